"""The plan reader's small parsers: a table of phrase -> operator and kind, and hypothesis tests
for numbers (digits, Chinese numerals, ranges, lists, 万/亿, shares), dates and frequencies."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.plan.dates import bare_deadlines, five_year_span, frequency, marks, month_end, times_a_year
from checker.plan.numbers import cn_number, numbers, water_classes
from checker.plan.operators import binding, class_binding, hedges, stable

# phrase, the number in it, the operator, the kind
PHRASES = [
    ("城镇公共供水普及率达到100%", "100", ">=", "threshold"),
    ("重大病虫统防统治覆盖率达到40%以上", "40", ">=", "threshold"),
    ("污水处理率不低于95%", "95", ">=", "threshold"),
    ("水质优良比例高于70%", "70", ">=", "threshold"),
    ("再生水利用率大于20%", "20", ">=", "threshold"),
    ("绿化覆盖率超过40%", "40", ">=", "threshold"),
    ("每年至少完成30个", "30", ">=", "threshold"),
    ("建设不少于80000平方米的人工湿地", "80000", ">=", "threshold"),
    ("全区用水总量控制在1.11亿立方米以内", "1.11", "<=", "threshold"),
    ("公共供水管网漏损率控制在12%以内", "12", "<=", "threshold"),
    ("劣Ⅴ类水体比例不高于5%", "5", "<=", "threshold"),
    ("地下水极差比例低于15%", "15", "<=", "threshold"),
    ("入河排污量不超过3万吨", "3", "<=", "threshold"),
    ("黑臭水体比例在10%以下", "10", "<=", "threshold"),
    ("万元工业增加值用水量降至30立方米", "30", "<=", "threshold"),
    ("万元国内生产总值用水量比2015年下降23%", "23", ">=", "reduction"),
    ("化学需氧量排放总量削减10%", "10", ">=", "reduction"),
    ("氨氮排放量较2015年减少8%", "8", ">=", "reduction"),
    ("新增污水管网50公里", "50", ">=", "cumulative"),
    ("新建2-3个具有雨水集聚功能的绿地公园", "2", ">=", "cumulative"),
    ("新、改建排水管网不低于204公里", "204", ">=", "cumulative"),
    ("河道数量增至58条", "58", ">=", "threshold"),
    ("累计达标10个", "10", ">=", "threshold"),
    ("完成15个左右老旧小区改造", "15", ">=", "threshold"),
    ("农田灌溉水有效利用系数达到0.612以上", "0.612", ">=", "threshold"),
]


@pytest.mark.parametrize(("phrase", "number", "op", "kind"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase_to_operator(phrase, number, op, kind):
    n = next(n for n in numbers(phrase) if f"{n.value:g}" == number)
    bound = binding(phrase, n.start, n.end, share=n.is_share)
    assert (bound.op, bound.kind) == (op, kind)


CLASSES = [
    ("水质达到或优于Ⅲ类", 3, "<="),
    ("水质达到IV类标准", 4, "<="),
    ("水质不劣于V类", 5, "<="),
    ("水质优于Ⅲ类", 3, "<"),
    ("全部达到Ⅰ~Ⅲ类断面", 3, "<="),
]


@pytest.mark.parametrize(("phrase", "value", "op"), CLASSES, ids=[c[0] for c in CLASSES])
def test_class_targets(phrase, value, op):
    (wc,) = water_classes(phrase)
    assert wc.value == value and class_binding(phrase, wc.start)[0] == op


def test_worse_than_v_is_six_and_a_pollutant_class_is_no_water_class():
    assert [w.value for w in water_classes("消除劣V类水体")] == [6]
    assert water_classes("加强一类污染物监管") == []


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("20%左右的河道", ["左右"]),
        ("力争达到Ⅲ类", ["力争"]),
        ("基本消除黑臭水体", ["基本"]),
        ("比率进一步提高", ["进一步"]),
        ("达到90%", []),
    ],
)
def test_hedges_are_read(phrase, words):
    assert hedges(phrase) == words


@pytest.mark.parametrize("phrase", ["水质保持稳定", "地下水质量不退化", "比例不下降", "全部保持或优于现状水质"])
def test_stable(phrase):
    assert stable(phrase)


# ---------------------------------------------------------------- numbers

CN_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """A plain Chinese numeral for 1..9999 (十五, 一百零三, 两千): what plans write."""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for size, name in units:
        digit, n = divmod(n, size)
        if digit:
            if zero:
                out += "零"
            out += ("" if (size == 10 and digit == 1 and not out) else CN_DIGITS[digit]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + CN_DIGITS[n]
    return out


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_read_as_their_value(n):
    assert cn_number(to_chinese(n)) == n


@given(
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["%", "个", "公里", "万平方米", "亿立方米", "条"]),
)
def test_a_number_with_its_unit(value, unit):
    text = f"达到{value}{unit}"
    found = numbers(text)
    assert len(found) == 1 and found[0].value == pytest.approx(float(value)) and found[0].unit == unit


@given(st.decimals(min_value=0, max_value=999, places=1), st.booleans())
def test_full_width_digits_read_as_half_width(value, percent):
    half = f"{value}{'%' if percent else '个'}"
    full = half.translate(str.maketrans("0123456789.%", "０１２３４５６７８９．％"))
    assert [(n.value, n.unit) for n in numbers(full)] == [(n.value, n.unit) for n in numbers(half)]


@given(st.integers(1, 500), st.integers(1, 500), st.sampled_from(["-", "～", "至", "—"]))
def test_a_range_keeps_both_ends(low, span, dash):
    (n,) = numbers(f"新建{low}{dash}{low + span}个")
    assert (n.value, n.high, n.unit) == (low, low + span, "个")


@given(st.lists(st.integers(1, 99), min_size=2, max_size=6))
def test_a_list_shares_its_unit(values):
    found = numbers("分别是" + "、".join(map(str, values)) + "个")
    assert [n.value for n in found] == values and all(n.unit == "个" and n.listed for n in found)


@given(st.integers(1950, 2099))
def test_a_year_is_never_a_quantity(year):
    assert numbers(f"到{year}年,完成") == []


def test_shares_percent_points_and_words():
    assert [(n.value, n.unit) for n in numbers("提高5个百分点,达到百分之八十")] == [(5, "百分点"), (80, "%")]


# ---------------------------------------------------------------- dates


@given(st.integers(1990, 2090), st.sampled_from(["到{y}年", "{y}年底前", "{y}年前", "截至{y}年底", "{y}年年底前"]))
def test_by_a_year(year, form):
    (mark,) = marks(form.format(y=year) + ",完成", 2016)
    assert (mark.kind, mark.year) == ("by", year)


@given(st.integers(1990, 2090), st.integers(1, 12))
def test_a_month_end_is_that_months_last_day(year, month):
    (mark,) = marks(f"{year}年{month}月底前完成", 2016)
    assert mark.deadline == month_end(year, month) and mark.deadline.month == month
    assert (mark.deadline + dt.timedelta(days=1)).day == 1


@given(st.integers(1990, 2090), st.integers(1, 12), st.integers(1, 28))
def test_a_day_without_a_year_is_in_the_given_year(year, month, day):
    (mark,) = bare_deadlines(f"于{month}月{day}日前上报", year)
    assert mark.deadline == dt.date(year, month, day)


@given(st.integers(1990, 2090))
def test_this_year_is_the_plans(plan_year):
    (mark,) = marks("今年完成", plan_year)
    assert mark.year == plan_year
    (mark,) = marks("在今年5月形成", plan_year)
    assert mark.deadline == dt.date(plan_year, 5, 31)


@given(st.integers(1990, 2080), st.integers(1, 10))
def test_from_baseline_and_span(start, length):
    kinds = [(m.kind, m.year, m.until) for m in marks(f"{start}年起,比{start - 1}年下降,{start}到{start + length}年", 2016)]
    assert kinds == [("from", start, None), ("baseline", start - 1, None), ("span", start, start + length)]


def test_five_year_plans():
    assert five_year_span("十三") == (2016, 2020) and five_year_span("十四") == (2021, 2025) and five_year_span("一") == (1953, 1957)
    (mark,) = marks("“十三五”期间,每年完成", 2016)
    assert (mark.kind, mark.year, mark.until) == ("period", 2016, 2020)


@pytest.mark.parametrize(
    ("phrase", "name", "times"),
    [
        ("每年开展1次全分析监测", "每年", 1),
        ("自2016年起每季度向社会公开", "每季度", None),
        ("县级水源地水质半年一测", "每半年", 2),
        ("市级水源地水质一月一测", "每月", 12),
        ("每两年1次", "每两年", 0.5),
        ("每年至少监测2次", "每年", 2),
    ],
)
def test_frequencies(phrase, name, times):
    assert frequency(phrase) == name
    assert [t for t, _, _ in times_a_year(phrase)] == ([] if times is None else [times])


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_agree_with_cn2an(n):
    import cn2an

    written = cn2an.an2cn(n)
    assert cn_number(written) == float(cn2an.cn2an(written, "smart")) == n


@pytest.mark.parametrize(
    ("phrase", "deadline"),
    [
        ("一季度末前完成", dt.date(2018, 3, 31)),
        ("2019年第三季度前完成", dt.date(2019, 9, 30)),
        ("上半年完成", dt.date(2018, 6, 30)),
        ("2019年下半年前完成", dt.date(2019, 12, 31)),
    ],
)
def test_quarters_and_halves(phrase, deadline):
    (mark,) = marks(phrase, 2018)
    assert mark.deadline == deadline


def test_year_end_without_a_year_is_in_the_given_year():
    (mark,) = bare_deadlines("年底前完成整改", 2021)
    assert mark.deadline == dt.date(2021, 12, 31)


def test_a_cited_title_sets_no_date_and_no_number():
    text = "贯彻实施《集中式饮用水水源地专项治理行动方案(2018-2020年)》和国发〔2015〕17号文,到2020年完成3个"
    assert [(m.kind, m.year) for m in marks(text, 2018)] == [("by", 2020)]
    assert [(n.value, n.unit) for n in numbers(text)] == [(3, "个")]


def test_a_distance_that_says_where_is_no_quantity():
    """河道两岸10米范围内: where something lies, not how much is to be done."""
    assert numbers("禁止在河道两岸10米范围内新建建筑") == []
    assert numbers("清理沿岸各5米内的垃圾") == []
    assert [(n.value, n.unit) for n in numbers("新建截污管道10米")] == [(10, "米")]


@given(st.integers(2000, 2060), st.integers(1, 9), st.integers(1, 9))
def test_within_so_many_years_of_the_plan(plan_year, low, extra):
    """通过3-5年的努力: done by the end of the longer bound, the plan's own year counted first."""
    high = low + extra
    (mark,) = marks(f"力争通过{low}-{high}年的努力,基本完成改造", plan_year)
    assert (mark.kind, mark.year) == ("within", plan_year + high - 1)
    (mark,) = marks("经过三年时间,完成整治", plan_year)
    assert (mark.kind, mark.year) == ("within", plan_year + 2)
