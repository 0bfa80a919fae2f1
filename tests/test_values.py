"""Value parsing: every accepted way of writing a number reads back as that number."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.values import ValueProblem, parse_date, parse_number

FULLWIDTH = str.maketrans("0123456789.,-%", "０１２３４５６７８９．，－％")


def forms(number: float):
    plain = f"{number:.2f}"
    sign, digits = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, frac = digits.split(".")
    grouped = sign + f"{int(whole):,}" + "." + frac
    return [
        plain,
        grouped,
        plain + "%",
        plain + " %",
        plain.translate(FULLWIDTH),
        grouped.translate(FULLWIDTH),
        f"  {plain}  ",
        (plain + "%").translate(FULLWIDTH),
    ]


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_number_forms_round_trip(value):
    for text in forms(float(value)):
        number, unit = parse_number(text)
        assert number == pytest.approx(float(value), abs=1e-9), text
        assert unit in (None, "%")


@pytest.mark.parametrize(
    "text,expected",
    [("55%", 55), ("５５", 55), ("1,234.5", 1234.5), ("55 %", 55), ("４７．３８", 47.38), ("1，234", 1234), ("-3", -3), (".5", 0.5)],
)
def test_examples_of_the_contract(text, expected):
    assert parse_number(text)[0] == expected


@pytest.mark.parametrize("text", ["abc", "五十五", "55-60", "", "—", "nan", "1,23,4x"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueProblem):
        parse_number(text)


@given(st.text())
def test_parse_number_raises_only_value_problem(text):
    try:
        number, _ = parse_number(text)
    except ValueProblem:
        return
    assert number == number  # never NaN


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2020-09-30", dt.date(2020, 9, 30)),
        ("2020年9月30日", dt.date(2020, 9, 30)),
        ("2020/9/30", dt.date(2020, 9, 30)),
        ("2020年9月底", dt.date(2020, 9, 30)),
        ("2020年12月底", dt.date(2020, 12, 31)),
        (44104, dt.date(2020, 9, 30)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_forms_round_trip(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
