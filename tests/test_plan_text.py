"""The plan reader's text side: loading, headings and clause paths, sentences, unit lists and
annex tables, on plan texts made up here (never a seed's strings), and a sanity pass over the
seeds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.plan import Units, read_plan, read_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "rulesets" / "seeds").glob("*.txt"))


def by_text(plan, fragment):
    hits = [s for s in plan.sentences if fragment in s.text]
    assert hits, f"no sentence holds {fragment!r}: {[s.text for s in plan.sentences]}"
    return hits[0]


HEADINGS = """某某网站首页 | 政务公开
[ 索引号 ] 000-2020-001 [ 发文字号 ] 某府发〔2020〕1号
某县水污染防治工作方案
为改善全县水环境质量,制定本方案。
一、总体要求
(一)工作目标。到2020年,全县水质优良比例达到80%以上。
1.控制用水总量
(1)到2020年,用水总量控制在1.5亿立方米以内。
①严格取水许可。
②加强计量监管。
(2)新增节水灌溉面积3.2万亩。
2、提高用水效率。推广节水器具。
（二）主要任务
1．强化执法。
1.5万吨污水处理能力年底前建成。
二、保障措施
（1）加强领导。
附件1
重点工程清单
一、城镇污水
1)新建管网10公里。
附表2
３．全角编号的任务。
第二部分 其他
第二部分的文字。
"""


def test_every_heading_form_gives_its_clause_path():
    plan = read_text(HEADINGS, "h.txt")
    assert plan.title == "某县水污染防治工作方案"
    paths = [h.path for h in plan.headings]
    assert paths == [
        "一", "一(一)", "一(一)1", "一(一)1(1)", "一(一)1(1)①", "一(一)1(1)②", "一(一)1(2)", "一(一)2",
        "一(二)", "一(二)1", "二", "二(1)", "附件1", "附件1 一", "附件1 一(1)", "附表2", "附表2 3", "附表2 第二部分",
    ]  # fmt: skip
    assert by_text(plan, "为改善").clause == "前言"
    assert by_text(plan, "1.5亿立方米").clause == "一(一)1(1)"
    # A new higher heading resets the levels below it.
    assert by_text(plan, "3.2万亩").clause == "一(一)1(2)"
    assert by_text(plan, "推广节水器具").clause == "一(一)2"
    assert by_text(plan, "新建管网").clause == "附件1 一(1)"
    assert by_text(plan, "全角编号").clause == "附表2 3"
    assert by_text(plan, "第二部分的").clause == "附表2 第二部分"  # "第二部分的…" opens no heading
    assert {h.path: h.title for h in plan.headings}["附件1"] == "重点工程清单"


def test_furniture_before_the_title_is_no_clause():
    plan = read_text(HEADINGS, "h.txt")
    assert not [s for s in plan.sentences if "索引号" in s.text or "首页" in s.text]


def test_a_title_runs_on_into_its_first_sentence():
    plan = read_text("某区整改方案\n一、整改措施\n(一)科学施策,有效降低农业污染。相关部门要查清基数。抓住关键环节。\n", "r.txt")
    heading = plan.headings[-1]
    assert (heading.path, heading.title) == ("一(一)", "科学施策,有效降低农业污染")
    assert [s.text for s in plan.sentences] == ["相关部门要查清基数。", "抓住关键环节。"]
    assert {s.heading for s in plan.sentences} == {"科学施策,有效降低农业污染"}


def test_a_title_that_sets_a_target_is_a_sentence_too():
    plan = read_text("某市工作方案\n一、工作目标\n(一)到2020年水质优良比例达到70%。\n", "t.txt")
    assert by_text(plan, "达到70%").clause == "一(一)"


def test_numbers_are_no_headings_nor_split_points():
    plan = read_text(
        "某市工作方案\n一、任务\n1.5万吨污水处理能力要在年底前建成,处理率达到3.2%。\n10.5公里管网改造。\n一、二级保护区内禁止排污。\n",
        "n.txt",
    )
    assert [s.text for s in plan.sentences] == [
        "1.5万吨污水处理能力要在年底前建成,处理率达到3.2%。",
        "10.5公里管网改造。",
        "一、二级保护区内禁止排污。",
    ]
    assert {s.clause for s in plan.sentences} == {"一"}


def test_articles_and_chapters():
    plan = read_text(
        "某县河道管理办法\n第一章 总则\n第一条 为加强河道管理,制定本办法。\n第二条 县水利局负责实施。\n第二章 附则\n第三条 本办法自发布之日起施行。\n",
        "a.txt",
    )
    assert by_text(plan, "为加强").clause == "第一章第一条"
    assert by_text(plan, "负责实施").clause == "第一章第二条"
    assert by_text(plan, "自发布").clause == "第二章第三条"


def test_sentences_split_at_stops_and_keep_quotes_and_spaces():
    plan = read_text("某市方案\n一、任务\n落实“一河一策；一湖一策”要求;推进 两项  工程。完成整治！\n", "s.txt")
    assert [s.text for s in plan.sentences] == ["落实“一河一策；一湖一策”要求;", "推进 两项  工程。", "完成整治！"]


U = Units


@pytest.mark.parametrize(
    ("written", "units"),
    [
        ("(区建管委、区房管局、相关街道(镇))", U(responsible=("区建管委", "区房管局"), groups=("相关街道(镇)",))),
        (
            "(市环保局牵头,市经信委、市煤炭局配合,各县市区人民政府负责落实)",
            U(lead=("市环保局",), cooperating=("市经信委", "市煤炭局"), groups=("各县市区人民政府",)),
        ),
        ("[市水务局牵头,市工信委、城乡建设局配合]", U(lead=("市水务局",), cooperating=("市工信委", "市城乡建设局"))),
        ("（县水利局牵头，环保局、住建局配合）", U(lead=("县水利局",), cooperating=("县环保局", "县住建局"))),
        ("(区住房城乡建委等区级部门及各镇街)", U(responsible=("区住房城乡建委",), groups=("等区级部门", "各镇街"))),
        (
            "(行署环保局牵头,行署发改委、行署卫计委等单位参与)",
            U(lead=("行署环保局",), cooperating=("行署发改委", "行署卫计委"), groups=("等单位",)),
        ),
        ("(市机关事务管理局负责)", U(responsible=("市机关事务管理局",))),
        (
            "【省生态环境厅牵头，省水利厅、住房城乡建设厅按职责分工负责】",
            U(lead=("省生态环境厅",), responsible=("省水利厅", "省住房城乡建设厅")),
        ),
        ("(责任单位:区水务局;配合单位:区财政局、各街道)", U(cooperating=("区财政局",), responsible=("区水务局",), groups=("各街道",))),
        ("(县住建局、县水利局分别牵头,县财政局负责牵头筹资)", None),
        ("(州生态环境局牵头抓总,州水利局积极配合)", U(lead=("州生态环境局",), cooperating=("州水利局",))),
        ("(由县农业农村局牵头,县财政局配合)", U(lead=("县农业农村局",), cooperating=("县财政局",))),
        ("(市水务集团有限公司负责)", U(responsible=("市水务集团有限公司",))),
        ("(2016到2020年分年度目标,见附表)", U()),
        ("(含农村生活污水处理设施)", U()),
        ("(详见附件)", U()),
        ("(镇)", U()),
        (
            "（省经信委牵头，省环保厅参与，各市、县人民政府负责落实）",
            U(lead=("省经信委",), cooperating=("省环保厅",), groups=("各市、县人民政府",)),
        ),
        ("(各区县政府、市有关部门)", U(groups=("各区县政府", "市有关部门"))),
        ("(小区)", U()),
        ("(工业园区)", U()),
        ("(试行)", U()),
        ("(分别由市环保局、市水务局负责)", U(responsible=("市环保局", "市水务局"))),
        ("(市委、市政府督查室负责)", U(responsible=("市委", "市政府督查室"))),
        # the 等 closes the names; what follows is a group of its own
        ("(县住建局、县交通局等相关职能部门,各乡镇)", U(responsible=("县住建局", "县交通局"), groups=("相关职能部门", "各乡镇"))),
    ],
)
def test_unit_list_forms(written, units):
    plan = read_text(f"某市工作方案\n一、主要任务\n(一)开展河道整治,完成清淤工作。{written}\n", "u.txt")
    got = plan.sentences[-1].units
    if units is None:  # a role word the reader does not know leaves the list unread, never misread
        assert not got.lead and not got.cooperating
        return
    assert got == units


def test_labelled_unit_lines():
    text = "某县实施方案\n一、任务\n(一)完成水源地整治。\n牵头单位：县环保局；责任单位：各乡镇、县水利局；配合单位：县财政局、公安局\n(二)开展宣传。\n"
    plan = read_text(text, "l.txt")
    assert by_text(plan, "水源地").units == U(
        lead=("县环保局",), cooperating=("县财政局", "县公安局"), responsible=("县水利局",), groups=("各乡镇",)
    )
    assert by_text(plan, "开展宣传").units == U()
    assert not [s for s in plan.sentences if "单位" in s.text]


def test_a_trailing_list_covers_its_item_and_a_mid_paragraph_list_its_sentence():
    text = (
        "某市实施方案\n一、任务\n"
        "(一)加强城镇节水。公共机构年底前全部建成节水型单位(市机关事务管理局负责)。更新改造老旧管网。降低漏损率。(市住建局牵头,市水务局配合)\n"
        "(二)开展监测。每季度公开水质。\n"
    )
    plan = read_text(text, "m.txt")
    assert by_text(plan, "节水型单位").units == U(responsible=("市机关事务管理局",))
    assert by_text(plan, "节水型单位").heading == "加强城镇节水"
    for part in ("更新改造", "降低漏损率"):
        assert by_text(plan, part).units == U(lead=("市住建局",), cooperating=("市水务局",))
    # A list does not reach across a heading.
    assert by_text(plan, "每季度").units == U()


def test_a_blanket_sentence_applies_to_every_later_item():
    text = (
        "某市工作方案\n一、任务\n"
        "(一)控制用水总量。(市水务局牵头,市环保局配合,各县区政府负责落实。以下均需各县区政府落实,不再列出。)\n"
        "(二)治理工业污染。(市环保局负责)\n"
        "(三)加强宣传。\n"
    )
    plan = read_text(text, "b.txt")
    assert by_text(plan, "控制用水").units == U(lead=("市水务局",), cooperating=("市环保局",), groups=("各县区政府",))
    assert by_text(plan, "工业污染").units == U(responsible=("市环保局",), groups=("各县区政府",))
    assert by_text(plan, "加强宣传").units == U(groups=("各县区政府",))


def test_a_blanket_naming_responsible_bodies():
    text = "某县方案\n一、任务\n(一)完成整治。(县水利局牵头。以下各项任务县城管局、各乡镇均为责任单位,不再列出)\n(二)开展巡河。(县河长办负责)\n"
    plan = read_text(text, "b2.txt")
    assert by_text(plan, "开展巡河").units == U(responsible=("县河长办", "县城管局"), groups=("各乡镇",))


FLAT = """某区整改方案
一、整改措施
(一)加强治理。完成养殖尾水处理设施建设。详见附件。
附件:整改任务分解表

附件

整改任务分解表

序号

重点任务

具体举措

完成时限

牵头单位

责任单位

配合单位

1

一、加强农业污染治理

完成养殖尾水处理设施建设。

2020年12月底

区农业农村委

各镇街


2

建成示范鱼塘尾水处理设施。
设施运行一年。

2021年6月底


某某街道

区农业农村委

3

二、加强工业污染防治

完善园区污水管网,提高收集率。

长期坚持

区经济信息委、生态环境局

各产业促进中心


抄送:区委办。

扫一扫在手机打开当前页
"""


def test_a_flattened_annex_table_reads_row_by_row():
    plan = read_text(FLAT, "f.txt")
    rows = [s for s in plan.sentences if s.row]
    assert [s.clause for s in rows] == ["附件 第1项", "附件 第2项", "附件 第3项"]
    first, second, third = rows
    assert dict(first.row)["完成时限"] == "2020年12月底"
    assert first.units == U(lead=("区农业农村委",), groups=("各镇街",))
    # An empty lead cell does not shift the others; the merged task cell carries down.
    assert dict(second.row)["牵头单位"] == ""
    assert dict(second.row)["重点任务"] == "一、加强农业污染治理"
    assert second.units == U(cooperating=("区农业农村委",), responsible=("某某街道",))
    assert dict(second.row)["具体举措"] == "建成示范鱼塘尾水处理设施。\n设施运行一年。"
    assert second.heading == "一、加强农业污染治理"
    assert third.units == U(lead=("区经济信息委", "区生态环境局"), groups=("各产业促进中心",))
    assert "2021年6月底" in second.text and "某某街道" in second.text
    # What follows the table is no row; the page's furniture at the end is dropped.
    assert by_text(plan, "抄送").row is None
    assert not [s for s in plan.sentences if "扫一扫" in s.text]
    assert [h.path for h in plan.headings].count("附件") == 1
    # The body's measure the table restates word for word takes the row's units.
    body = [s for s in plan.sentences if s.text == "完成养殖尾水处理设施建设。" and not s.row]
    assert body and body[0].units == first.units and body[0].clause == "一(一)"


FLAT_DENSE = """某县实施方案
一、任务
(一)落实责任。
附件1
重点任务清单
序  号
工作任务
责任单位
完成时间
1
建成县城第二污水处理厂,
日处理能力2万吨。
县住建局
2021年底前
2
开展入河排污口排查。
县生态环境局、水利局
2020年9月底前
"""


def test_a_flattened_table_without_blank_lines_and_other_column_names():
    plan = read_text(FLAT_DENSE, "d.txt")
    rows = [s for s in plan.sentences if s.row]
    assert [s.clause for s in rows] == ["附件1 第1项", "附件1 第2项"]
    assert dict(rows[0].row) == {
        "序号": "1",
        "工作任务": "建成县城第二污水处理厂,\n日处理能力2万吨。",
        "责任单位": "县住建局",
        "完成时间": "2021年底前",
    }
    assert rows[1].units == U(responsible=("县生态环境局", "县水利局"))


def test_a_docx_plan_with_a_real_table(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某县水污染防治实施方案")
    document.add_paragraph("一、主要任务")
    document.add_paragraph("(一)到2020年,县城污水处理率达到95%。(县住建局牵头,县环保局配合)")
    document.add_paragraph("附件")
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(
        table.rows,
        [
            ("序号", "任务", "牵头单位", "配合单位"),
            ("1", "完成管网改造。", "县住建局", "县财政局、各乡镇"),
            ("2", "建成监测站。", "县环保局", ""),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("二、保障措施")
    document.add_paragraph("加强组织领导。")
    path = tmp_path / "plan.docx"
    document.save(path)
    plan = read_plan(path)
    assert plan.title == "某县水污染防治实施方案"
    assert by_text(plan, "95%").units == U(lead=("县住建局",), cooperating=("县环保局",))
    rows = [s for s in plan.sentences if s.row]
    assert [s.clause for s in rows] == ["附件 第1项", "附件 第2项"]
    assert rows[0].row == (("序号", "1"), ("任务", "完成管网改造。"), ("牵头单位", "县住建局"), ("配合单位", "县财政局、各乡镇"))
    assert rows[0].units == U(lead=("县住建局",), cooperating=("县财政局",), groups=("各乡镇",))
    # Document order: the paragraph after the table comes after its rows.
    assert plan.sentences[-1].text == "加强组织领导。"
    assert plan.sentences[-1].clause == "附件 二"


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市政府网</title>
<style>p { color: red }</style><script>var nav = "一、首页";</script></head>
<body><nav><a href="/">首页</a> | <a>政务公开</a></nav>
<div class="index">索引号：000/2021-01</div>
<h1>某市水污染防治工作方案</h1>
<p>为改善水质,制定本方案。</p>
<p>一、工作目标</p><p>（一）到2025年，地表水优良比例达到&nbsp;80%。<br>（市生态环境局牵头，市水利局配合）</p>
<table><tr><th>序号</th><th>任务</th><th>责任单位</th></tr><tr><td>1</td><td><p>建成污水厂。</p></td><td>市住建局</td></tr></table>
<footer>版权所有</footer></body></html>"""


def test_an_html_page(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(HTML, encoding="utf-8")
    plan = read_plan(path)
    assert plan.title == "某市水污染防治工作方案"
    texts = [s.text for s in plan.sentences]
    assert not [t for t in texts if "首页" in t or "nav" in t or "color" in t]
    target = by_text(plan, "80%")
    assert target.clause == "一(一)" and target.units == U(lead=("市生态环境局",), cooperating=("市水利局",))
    row = [s for s in plan.sentences if s.row][0]
    assert dict(row.row)["任务"] == "建成污水厂。" and row.units == U(responsible=("市住建局",))


def test_gb2312_html_page(tmp_path):
    path = tmp_path / "plan.htm"
    path.write_bytes(HTML.replace("utf-8", "gb2312").encode("gb18030"))
    assert by_text(read_plan(path), "80%").clause == "一(一)"


def test_traditional_script_is_read_as_simplified():
    plan = read_text(
        "某縣水污染防治工作方案\n一、總體要求\n(一)加強監管。到2020年,水質達標率達到90%。(縣環保局牽頭,縣水務局配合)\n", "tw.txt"
    )
    s = by_text(plan, "90%")
    assert s.text == "到2020年,水质达标率达到90%。"
    assert s.original == "到2020年,水質達標率達到90%。"
    assert s.units == U(lead=("县环保局",), cooperating=("县水务局",))
    assert plan.headings[0].title == "总体要求"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_text_encodings(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes("某县工作方案\r\n一、任务\r\n(一)完成整治。(县水利局负责)\r\n".encode(encoding))
    plan = read_plan(path)
    assert plan.title == "某县工作方案"
    assert by_text(plan, "完成整治").units == U(responsible=("县水利局",))


def test_a_page_holding_the_plan_twice_is_read_once():
    once = "某市实施方案\n一、目标\n到2020年水质达标。\n二、任务\n(一)开展整治。(市环保局负责)\n"
    plan = read_text("网站导航\n" + once + "相关链接\n" + once, "twice.txt")
    assert [h.path for h in plan.headings] == ["一", "二", "二(一)"]


# Unit-list round trip: names made with a level prefix and a department's ending, written as a
# plan writes them (the prefix dropped on later names of the same level), read back whole.
_LEVEL = st.sampled_from(["市", "县", "区", "省", "行署"])
_CORE = st.text(alphabet="水务环保农业林交通财城建规划卫健文旅教育科技民", min_size=2, max_size=4)
_END = st.sampled_from(["局", "委", "办", "厅"])
_NAME = st.tuples(_CORE, _END).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    level=_LEVEL,
    lead=st.lists(_NAME, min_size=1, max_size=2, unique=True),
    coop=st.lists(_NAME, min_size=0, max_size=4, unique=True),
    resp=st.lists(_NAME, min_size=0, max_size=3, unique=True),
    groups=st.lists(st.sampled_from(["各乡镇", "相关部门", "各街道"]), max_size=1),
    drop=st.booleans(),
    square=st.booleans(),
)
def test_unit_list_round_trip(level, lead, coop, resp, groups, drop, square):
    if set(lead) & set(coop) or set(lead) & set(resp) or set(coop) & set(resp):
        return

    def names(xs, first_of_list):
        return "、".join(level + x if (i == 0 and first_of_list) or not drop else x for i, x in enumerate(xs))

    parts = [names(lead, True) + "牵头"]
    if coop:
        parts.append(names(coop, False) + "配合")
    if resp or groups:
        parts.append("、".join([names(resp, False)] * bool(resp) + groups) + "负责落实")
    open_, close = ("[", "]") if square else ("(", ")")
    plan = read_text(f"某地工作方案\n一、任务\n(一)开展整治工作。{open_}{','.join(parts)}{close}\n", "rt.txt")
    got = plan.sentences[-1].units
    assert got == Units(tuple(level + x for x in lead), tuple(level + x for x in coop), tuple(level + x for x in resp), tuple(groups))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seeds_read_sanely(seed):
    plan = read_plan(seed)
    assert plan.sentences
    assert all(s.clause for s in plan.sentences)
    paths = [h.path for h in plan.headings]
    assert len(paths) == len(set(paths)), "a heading path repeats"
    offsets = [s.offset for s in plan.sentences]
    assert offsets == sorted(offsets)
    for s in plan.sentences:
        assert s.text == s.text.strip() and s.text
        names = (*s.units.lead, *s.units.cooperating, *s.units.responsible)
        assert all(len(n) >= 2 and "。" not in n for n in names)
    assert read_plan(seed) == plan  # the same file, the same plan


def test_thirty_thousand_characters_read_fast():
    item = "(一)完善排水管网建设。到2020年,完成管网改造12公里,污水处理率达到95%以上。(区建管委牵头,区房管局、环保局配合,相关街道(镇)负责)\n"
    blocks = []
    n = 0
    while sum(map(len, blocks)) < 30_000:
        n += 1
        blocks.append(f"{'一二三四五六七八九十'[n % 10]}、任务{n}\n" + item * 8)
    text = "某区实施方案\n" + "".join(blocks)
    read_text(text, "warm.txt")
    # CPU time, best of three: the machine is shared, and other processes' load is not ours.
    times = []
    for _ in range(3):
        start = time.process_time()
        plan = read_text(text, "big.txt")
        times.append(time.process_time() - start)
    assert len(plan.sentences) > 300
    assert min(times) < 0.25, f"{min(times):.3f} s"


def test_a_subject_that_names_a_body_goes_on_through_its_paragraph():
    text = "某市工作方案\n一、任务\n各县区要落实整治责任。要定期开展巡查。全面完成清理。\n市水务局负责编制方案。\n(二)开展宣传。(市委宣传部负责)\n"
    plan = read_text(text, "subj.txt")
    assert by_text(plan, "落实整治责任").units == U(groups=("各县区",))
    assert by_text(plan, "定期开展巡查").units == U(groups=("各县区",))
    assert by_text(plan, "全面完成清理").units == U()
    assert by_text(plan, "编制方案").units == U(responsible=("市水务局",))


def test_working_group_labels():
    text = "某区方案\n一、组织\n(一)前期工作组\n主要职能:负责规划编制。\n组长单位:区规土局\n成员单位:区建管委、各相关街道(镇)\n"
    plan = read_text(text, "wg.txt")
    assert by_text(plan, "负责规划编制").units == U(lead=("区规土局",), cooperating=("区建管委",), groups=("各相关街道(镇)",))


def test_an_html_page_laid_out_in_tables(tmp_path):
    page = (
        '<html><body><form id="f"><table><tr><td class="nav">首页 | 政务公开</td></tr><tr><td>'
        "<h2>某区水污染防治实施方案</h2><p>一、主要任务</p><p>（一）完成河道整治。（区水务局负责）</p>"
        "<table><tr><td>序号</td><td>任务</td><td>责任单位</td></tr><tr><td>1</td><td>建成泵站。</td><td>区建管委</td></tr></table>"
        "<p>（二）开展巡查。</p></td></tr></table></form></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    plan = read_plan(path)
    assert plan.title == "某区水污染防治实施方案"
    assert by_text(plan, "完成河道整治").units == U(responsible=("区水务局",))
    row = by_text(plan, "建成泵站")
    assert row.clause == "一(一) 第1项" and row.units == U(responsible=("区建管委",)) and dict(row.row)["任务"] == "建成泵站。"
    assert by_text(plan, "开展巡查").clause == "一(二)"


def test_a_table_with_its_cells_on_one_line():
    text = "某县方案\n一、任务\n附件2\n序号\t工作任务\t牵头单位\t配合单位\t完成时限\n1\t建成污水处理厂。\t县住建局\t县环保局、各乡镇\t2021年底前\n2  开展排污口排查。  县环保局    2020年9月底\n"
    rows = [s for s in read_text(text, "inline.txt").sentences if s.row]
    assert [s.clause for s in rows] == ["附件2 第1项", "附件2 第2项"]
    assert rows[0].units == U(lead=("县住建局",), cooperating=("县环保局",), groups=("各乡镇",))
    assert dict(rows[1].row) == {
        "序号": "2",
        "工作任务": "开展排污口排查。",
        "牵头单位": "县环保局",
        "配合单位": "",
        "完成时限": "2020年9月底",
    }


_PLANISH = st.text(
    alphabet=list(
        "一二三十、()（）[]【】。；;,，:：.．1234567890\n\t  ①②第条章附件表序号任务责任牵头配合单位局委市区县各相关等及要负责方案年月底前达到以下均需不再列出“”《》"
    ),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(body=_PLANISH)
def test_any_text_reads_without_error_and_the_same_twice(body):
    plan = read_text("某县工作方案\n" + body, "fuzz.txt")
    assert plan == read_text("某县工作方案\n" + body, "fuzz.txt")
    for s in plan.sentences:
        assert s.text and s.clause


def test_a_blanket_written_as_a_sentence_of_its_own():
    text = "某市方案\n以下各项任务,各县(市)区政府均为责任单位,不再列出。\n一、任务\n(一)完成整治(市水务局负责)。\n(二)加强监测。\n"
    plan = read_text(text, "bs.txt")
    assert not [s for s in plan.sentences if "不再列出" in s.text]
    assert by_text(plan, "完成整治").units == U(responsible=("市水务局",), groups=("各县(市)区政府",))
    assert plan.headings[1].title == "完成整治"
    assert by_text(plan, "加强监测").units == U(groups=("各县(市)区政府",))


def test_a_docx_table_with_a_merged_category_cell(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in ("某县实施方案", "一、任务", "附件"):
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=5)
    data = [
        ("序号", "重点任务", "具体措施", "牵头单位", "完成时限"),
        ("1", "一、控源减排", "建成污水厂。", "县住建局", "2020年底"),
        ("2", "", "完成管网改造。", "县住建局", "2021年底"),
        ("3", "二、生态修复", "建设湿地。", "县林业局", "长期坚持"),
    ]
    for row, cells in zip(table.rows, data, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    table.cell(1, 1).merge(table.cell(2, 1))
    path = tmp_path / "merged.docx"
    document.save(path)
    rows = [s for s in read_plan(path).sentences if s.row]
    assert [s.heading for s in rows] == ["一、控源减排", "一、控源减排", "二、生态修复"]
    assert rows[1].text == "完成管网改造。 县住建局 2021年底"
    assert dict(rows[1].row)["重点任务"] == "一、控源减排"


def test_a_numbered_task_with_its_units_and_deadline_on_lines_below():
    text = "某县方案\n一、重点任务\n1.建成县城污水处理厂。\n责任单位：县住建局\n完成时限：2020年底\n2.开展排污口排查。\n"
    plan = read_text(text, "task.txt")
    task = by_text(plan, "建成县城污水处理厂")
    assert (task.clause, task.units) == ("一1", U(responsible=("县住建局",)))
    assert (by_text(plan, "完成时限").clause, by_text(plan, "完成时限").units) == ("一1", U(responsible=("县住建局",)))
    assert by_text(plan, "开展排污口排查").clause == "一2"


def test_without_a_title_the_body_starts_at_the_first_heading():
    plan = read_text("网站首页 | 信息公开\n索引号：000-2021\n浏览次数：12\n一、任务\n(一)完成整治。\n", "nt.txt")
    assert plan.title == ""
    assert [s.text for s in plan.sentences] == ["完成整治。"]


def test_a_body_sentence_holding_a_rows_task_takes_its_units():
    text = FLAT.replace("详见附件。", "要加强治理,完善园区污水管网,提高收集率。")
    plan = read_text(text, "f2.txt")
    body = by_text(plan, "要加强治理,完善园区")
    assert body.units == U(lead=("区经济信息委", "区生态环境局"), groups=("各产业促进中心",))


# ---------------------------------------------------------------- how plans are written: aims, duties, framing


def _found(text: str, year: int = 2019):
    from checker.plan.draft import found_items

    return found_items(read_text(text, "p.txt"), year)


def _drafted(text: str, year: int = 2019):
    from checker.plan.draft import draft

    return draft(read_text(text, "p.txt"), "some-county", year, ROOT / "rulesets").rules


AIMS_THEN_TASKS = """某县河湖治理实施方案
一、主要目标与指标
指标要求:
河道数量增至40条,长度增加3.5公里,水面积增加2万平方米;
构建8公里生态廊道;
消除全部违规排污口;
主要河道水质达到Ⅳ类标准。
二、主要任务
(一)完善水系格局
推进河道新开和拓宽,优化水系布局。(县水利局、县自然资源局)
(二)编制水系规划
完成全县水系规划编制。(县自然资源局)
(三)建设滨水生态廊道
沿河建设绿道和慢行步道。(县住建局、县林业局)
(四)开展违规排污口整治
对沿河违规排污口进行排查、封堵。(县生态环境局、各乡镇)
"""


def test_an_aim_that_names_no_unit_takes_the_units_of_the_item_that_delivers_it():
    """A 指标 line names no unit; the task item whose heading shares its words does the work
    (生态廊道, 违规排污口); the river network's size is the river-system item's whose works open
    and widen rivers, not the one that only plans it. An aim no item plainly delivers keeps none."""
    rules = {r["quote"]: r for r in _drafted(AIMS_THEN_TASKS)}
    network = ("县水利局", "县自然资源局")
    for quote in ("河道数量增至40条", "长度增加3.5公里", "水面积增加2万平方米"):
        assert tuple(rules[quote]["responsible_units"]) == network, quote
        assert any("完善水系格局" in note["zh"] for note in rules[quote]["review"])
    assert rules["构建8公里生态廊道"]["responsible_units"] == ["县住建局", "县林业局"]
    assert rules["构建8公里生态廊道"]["targets"] == {2019: 8}
    assert rules["消除全部违规排污口"]["responsible_units"] == ["县生态环境局", "各乡镇"]
    class_aim = rules["主要河道水质达到Ⅳ类标准"]
    assert not any("承担该项工作" in note["zh"] for note in class_aim["review"])
    assert any("原文未写责任单位" in note["zh"] for note in class_aim["review"])


@pytest.mark.parametrize(
    ("heading", "framing"),
    [
        ("一、指导思想和基本原则\n(一)坚持系统治理", "全县治污工作要坚持系统观念,统筹推进各项治理。"),  # principles
        ("一、主要任务", "结合老旧小区改造和道路建设工作。"),  # the occasion of a deed, not a deed
        ("一、主要任务", "根据省里部署,落实各项节水管理措施。"),  # every measure there is
        ("一、主要任务", "贯彻落实《某省节水行动实施方案》。"),  # another document's duties
        ("一、主要任务", "积极推进节水服务产业和环保装备产业发展。"),  # growth to promote
        ("一、主要任务", "各有关部门要按照职责分工,切实做好治污相关工作,加强协调配合。"),  # all, within their remit
        ("一、主要任务", "新建的湿地公园布置在城南片区。"),  # where, not what
        ("一、主要任务", "合理调整污水处理费,做到公开透明。"),  # a manner
        ("一、主要任务", "加强全县环境监管执法队伍建设。"),
        ("一、主要任务", "加强宣传教育。"),  # publicity naming nothing to publicise
    ],
    ids=["principles", "occasion", "every-measure", "another-document", "growth", "remit", "place", "manner", "staff", "publicity"],
)
def test_framing_is_no_duty_and_the_duty_beside_it_is_read(heading, framing):
    text = f"某县水污染防治实施方案\n{heading}\n建立排污口巡查通报制度。{framing}(县生态环境局)\n"
    if "原则" in heading:  # the plain duty under a heading of its own
        text = f"某县水污染防治实施方案\n{heading}\n{framing}(县生态环境局)\n二、主要任务\n建立排污口巡查通报制度。(县生态环境局)\n"
    duties = [f.quote for f in _found(text) if f.kind == "duty"]
    assert duties == ["建立排污口巡查通报制度"], duties


def test_work_done_in_step_with_a_target_is_the_targets():
    text = "某县方案\n一、主要任务\n2019年起,每年完成10公里污水管网建设,同步完善雨水管道,确保雨污分流。建立管网巡查台账。(县住建局)\n"
    found = [(f.kind, f.quote) for f in _found(text)]
    assert found == [("threshold", "2019年起,每年完成10公里污水管网建设"), ("duty", "建立管网巡查台账")], found


def test_within_so_many_years_is_a_task_with_its_year():
    rules = _drafted("某县方案\n一、主要任务\n力争通过3-5年的努力,基本完成老旧管网改造。(县住建局)\n", 2019)
    (task,) = rules
    assert task["kind"] == "task" and str(task["deadline"]) == "2023-12-31"
    assert any("通过…年的努力" in note["zh"] for note in task["review"])


def test_an_aim_quoted_from_another_plan_is_read():
    """ "省里提出了“2020年底前消除黑臭水体”": the citing is of what was; the aim quoted is read."""
    found = _found("某县方案\n一、工作目标\n省方案提出了“2020年底前全面消除城市黑臭水体,2022年前基本消除农村黑臭水体”的总体目标。\n")
    assert [(f.kind, f.year) for f in found] == [("done", 2020), ("done", 2022)], found


def test_outflow_no_worse_than_inflow_is_a_class_margin():
    rules = _drafted("某县方案\n一、工作目标\n到2020年,出境断面水质不劣于入境断面。(县生态环境局负责)\n")
    (rule,) = rules
    assert (rule["kind"], rule["op"], rule["targets"]) == ("threshold", ">=", {2020: 0})
    assert any("入境类别减出境类别" in note["zh"] for note in rule["review"])


def _numbered_docx(path, paragraphs):
    """A .docx whose headings are numbered by Word (w:numPr), not typed: 一、 （一） 1."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    document.save(path)
    return path


def test_word_list_numbering_is_read_as_headings(tmp_path):
    path = _numbered_docx(
        tmp_path / "numbered.docx",
        [
            (None, "某县水污染防治工作方案"),
            (0, "总体要求"),
            (1, "工作目标"),
            (None, "到2020年,全县污水处理率达到90%以上。(县住建局)"),
            (0, "主要任务"),
            (1, "治理工业污染"),
            (2, "取缔小型企业"),
            (None, "2018年底前全部取缔。(县工信局)"),
            (2, "整治工业园区"),
            (1, "治理城镇污染"),
            (0, "三、保障措施"),  # numbered by Word and typed as well: read once
        ],
    )
    plan = read_plan(path)
    assert [(h.path, h.title) for h in plan.headings] == [
        ("一", "总体要求"),
        ("一(一)", "工作目标"),
        ("二", "主要任务"),
        ("二(一)", "治理工业污染"),
        ("二(一)1", "取缔小型企业"),
        ("二(一)2", "整治工业园区"),
        ("二(二)", "治理城镇污染"),
        ("三", "保障措施"),
    ]
    assert by_text(plan, "全部取缔").clause == "二(一)1"


def test_word_list_numbering_from_the_paragraph_style(tmp_path):
    """A paragraph numbered through its style (Word's "List Number") shows 1. 2. …"""
    import docx

    document = docx.Document()
    document.add_paragraph("某县整改方案")
    document.add_paragraph("整改任务")
    for text in ("建成污水处理厂。(县住建局)", "建立河道保洁制度。(县水利局)"):
        document.add_paragraph(text, style="List Number")
    document.save(tmp_path / "styled.docx")
    plan = read_plan(tmp_path / "styled.docx")
    texts = [s.text for s in plan.sentences]
    assert "1.建成污水处理厂。" in texts and "2.建立河道保洁制度。" in texts, texts


def test_an_enumeration_in_a_sentence_gives_an_item_each():
    """一是…,二是…;三是…: each an item (a duty of its own, without its marker); what leads into
    一是 names their topic; a target among them is still read."""
    text = (
        "某县方案\n一、主要任务\n"
        "全面加强河湖管理,一是建立河长巡河制度,二是开展河道清淤疏浚;三是完善入河排污口台账,2019年底前建成监测平台。(县水利局)\n"
    )
    found = [(f.kind, f.quote) for f in _found(text)]
    assert found == [
        ("duty", "建立河长巡河制度"),
        ("duty", "开展河道清淤疏浚"),
        ("duty", "完善入河排污口台账"),
        ("done", "2019年底前建成监测平台"),
    ], found
    # without the markers the sentence binds the unit to one duty, as before
    plain = "某县方案\n一、主要任务\n建立河长巡河制度,开展河道清淤疏浚,完善入河排污口台账。(县水利局)\n"
    assert [f.quote for f in _found(plain)] == ["建立河长巡河制度,开展河道清淤疏浚,完善入河排污口台账"]
    assert [f.quote for f in _found(plain.replace("完善", "统一要求完善"))] == [
        "建立河长巡河制度,开展河道清淤疏浚,统一要求完善入河排污口台账"
    ]


def test_only_a_paragraphs_opening_sentence_names_its_topic():
    """A short sentence that opens its paragraph is its title; the same words further in are a duty."""
    text = "某县方案\n一、主要任务\n完善收费制度。调整水价并公开水价标准。严格限制违法企业取水。公开曝光违法取水案件。(县水利局)\n"
    duties = [f.quote for f in _found(text) if f.kind == "duty"]
    assert duties == ["调整水价并公开水价标准", "严格限制违法企业取水", "公开曝光违法取水案件"], duties
