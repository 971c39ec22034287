"""Intake parsing (core/intake*.py): time limits, responsibility clauses, unit names against a
registry, and the paragraph form read item by item."""

from datetime import date

import pytest

from planner.core.errors import PlannerError
from planner.core.intake import AREA, GROUP, ITEM, Paragraph, Table, plan_year, read_plan
from planner.core.intake_limits import find_limits, read_limit
from planner.core.intake_units import (
    Registry,
    RegistryGroup,
    RegistryUnit,
    last_clause,
    read_clause,
    split_names,
)
from tests.intake_support import LEAGUES, PLAN, XCB, paragraphs

END = date(2026, 12, 31)
QUARTERLY = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
LEAGUE_NAMES = ("呼和浩特市", "包头市", "呼伦贝尔市", "兴安盟", "通辽市", "赤峰市", "锡林郭勒盟",
                "乌兰察布市", "鄂尔多斯市", "巴彦淖尔市", "乌海市", "阿拉善盟")


def registry() -> Registry:
    """A registry like the bundled one: aliases, the 12 leagues and cities, 各盟市."""
    units = [
        RegistryUnit("amr", "自治区市场监管局（知识产权局）",
                     aliases=("自治区知识产权局", "自治区市场监管局")),
        RegistryUnit("xcb", XCB), RegistryUnit("gat", "自治区公安厅"),
        RegistryUnit("sft", "自治区司法厅"), RegistryUnit("czt", "自治区财政厅"),
        RegistryUnit("kjt", "自治区科学技术厅", aliases=("自治区科技厅",)),
        RegistryUnit("fy", "自治区高级人民法院", aliases=("自治区高院",)),
        RegistryUnit("jcy", "自治区人民检察院", aliases=("自治区检察院",)),
        RegistryUnit("fgw", "自治区发展和改革委员会", aliases=("自治区发展改革委",)),
        *(RegistryUnit(uid, name, "league") for uid, name in zip(LEAGUES, LEAGUE_NAMES,
                                                                 strict=True)),
    ]
    return Registry(units, [RegistryGroup("leagues", "各盟市", LEAGUES)])


def limit(text: str) -> tuple[date, bool, str | None] | None:
    found = read_limit(text, year=2026, plan_end=END)
    return None if found is None else (found.due, found.ongoing, found.rule)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026年6月底前", (date(2026, 6, 30), False, None)),
    ("2027年2月底前完成", (date(2027, 2, 28), False, None)),
    ("6月底前", (date(2026, 6, 30), False, None)),
    ("9月30日前报送", (date(2026, 9, 30), False, None)),
    ("上半年", (date(2026, 6, 30), False, None)),
    ("下半年完成", (END, False, None)),
    ("三季度末前", (date(2026, 9, 30), False, None)),
    ("第一季度", (date(2026, 3, 31), False, None)),
    ("年内", (END, False, None)),
    ("年底前", (END, False, None)),
    ("2026年底前", (END, False, None)),
    ("长期坚持", (END, True, None)),
    ("持续推进", (END, True, None)),
    ("每季度", (END, False, QUARTERLY)),
    ("每月", (END, False, "FREQ=MONTHLY;BYMONTHDAY=-1")),
    ("每年4月", (END, False, "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=-1")),
    ("每季度报送，2026年11月底前总结", (date(2026, 11, 30), False, QUARTERLY)),
    ("3月底前启动，6月底前完成", (date(2026, 6, 30), False, None)),
])
def test_each_time_limit_form(text: str, expected: tuple[date, bool, str | None]) -> None:
    assert limit(text) == expected


@pytest.mark.parametrize("text", [
    "组织2025年度知识产权保护工作考核", "在2025年12月召开的联席会议上部署", "完善制度",
    "2月30日前",  # no such day: not a time limit, not a crash
])
def test_a_date_that_is_no_time_limit_is_not_read_as_one(text: str) -> None:
    assert limit(text) is None


def test_every_limit_in_a_text_is_found_with_its_words() -> None:
    found = find_limits("组织2025年度考核，3月底前启动，长期坚持", year=2026, plan_end=END)
    assert [match.text for match in found] == ["3月底前", "长期坚持"]


@pytest.mark.parametrize(("clause", "leads", "supports"), [
    ("自治区公安厅负责", ("自治区公安厅",), ()),
    ("自治区公安厅、自治区司法厅负责", ("自治区公安厅",), ("自治区司法厅",)),
    (f"自治区知识产权局牵头，{XCB}、自治区公安厅配合", ("自治区知识产权局",),
     (XCB, "自治区公安厅")),
    ("自治区高院、自治区检察院按职责分别负责", ("自治区高院",), ("自治区检察院",)),
    ("自治区科技厅、自治区财政厅等部门负责", ("自治区科技厅",), ("自治区财政厅",)),
    ("各盟市负责", ("各盟市",), ()),
    ("自治区公安厅、各盟市人民政府负责", ("自治区公安厅",), ("各盟市人民政府",)),
    ("自治区发展和改革委员会负责", ("自治区发展和改革委员会",), ()),
])
def test_each_clause_pattern(clause: str, leads: tuple[str, ...],
                             supports: tuple[str, ...]) -> None:
    found = read_clause(clause)
    assert found is not None
    assert (found.leads, found.supports) == (leads, supports)


@pytest.mark.parametrize("words", ["试点", "内蒙古", "2026年", "含本级"])
def test_bracketed_words_are_no_clause(words: str) -> None:
    assert read_clause(words) is None
    text = f"建设知识产权保护中心（{words}）。"
    assert last_clause(text) == (text, None)


def test_the_last_clause_is_split_off_brackets_in_names_and_text_kept() -> None:
    text = f"建设中国（内蒙古）知识产权保护中心。（自治区知识产权局牵头，{XCB}配合）。"
    body, clause = last_clause(text)
    assert body == "建设中国（内蒙古）知识产权保护中心。"
    assert clause is not None and clause.supports == (XCB,)
    assert split_names(f"{XCB}、自治区公安厅") == [XCB, "自治区公安厅"]


def test_names_resolve_exactly_by_alias_group_and_government() -> None:
    known = registry()
    found = {name: (r.how, r.unit_ids) for name in (
        "自治区市场监管局（知识产权局）", "自治区市场监管局(知识产权局)", "自治区科技厅",
        "各盟市", "包头市人民政府", "各盟市人民政府")
        if (r := known.resolve(name)) is not None}
    assert found == {
        "自治区市场监管局（知识产权局）": ("exact", ("amr",)),
        "自治区市场监管局(知识产权局)": ("exact", ("amr",)),
        "自治区科技厅": ("alias", ("kjt",)),
        "各盟市": ("group", LEAGUES),
        "包头市人民政府": ("government", ("bt",)),
        "各盟市人民政府": ("government", LEAGUES),
    }


def test_an_unknown_name_is_never_guessed() -> None:
    known = registry()
    assert known.resolve("自治区知识产权厅") is None
    assert known.resolve("自治区公安厅人民政府") is None  # 人民政府 only for leagues and cities
    closest = known.closest("自治区知识产权厅")
    assert len(closest) == 3 and "自治区知识产权局" in closest


def test_a_map_resolves_to_an_id_or_a_known_name() -> None:
    known = registry()
    mapping = {"区知识产权局": "amr", "公安机关": "自治区公安厅"}
    assert known.resolve("区知识产权局", mapping).unit_ids == ("amr",)  # type: ignore[union-attr]
    assert known.resolve("公安机关", mapping).how == "map"  # type: ignore[union-attr]


def _paragraph_plan(lines: list[str] | None = None, **options: object) -> object:
    blocks = [Paragraph(text, number) for number, text in enumerate(lines or paragraphs(), 1)]
    return read_plan(blocks, registry(), **options)  # type: ignore[arg-type]


EXPECTED = [  # code, title, lead, supports, due, recurrence, parent
    ("1", "完善知识产权制度", "amr", [], None, None, None),
    ("1.1", "健全地方法规体系", "amr", [], None, None, "1"),
    ("1.1.1", "推动专利促进和保护条例修订", "amr", [], date(2026, 6, 30), None, "1.1"),
    ("1.1.2", "开展知识产权领域立法调研，上半年形成调研报告", "sft", ["amr"],
     date(2026, 6, 30), None, "1.1"),
    ("1.2", "完善政策体系", "amr", [], None, None, "1"),
    ("1.2.1", "建设中国（内蒙古）知识产权保护中心快速预审通道", "amr", ["xcb", "gat"],
     date(2026, 9, 30), None, "1.2"),
    ("2", "强化知识产权保护", "fy", [], None, None, None),
    ("2.1", "加强行政和司法保护", "fy", [], None, None, "2"),
    ("2.1.1", "组织2025年度知识产权行政保护工作绩效考核，年底前完成", "fy", [], END, None,
     "2.1"),
    *((f"2.1.1.{n}", f"组织2025年度知识产权行政保护工作绩效考核，年底前完成（{name}）", uid,
       [], END, None, "2.1.1")
      for n, (uid, name) in enumerate(zip(LEAGUES, LEAGUE_NAMES, strict=True), 1)),
    ("2.1.2", "健全知识产权纠纷多元化解机制，长期坚持", "fy", ["jcy"], END, None, "2.1"),
    ("2.1.3", "每季度调度知识产权侵权案件查处情况", "gat", list(LEAGUES), END, QUARTERLY,
     "2.1"),
    ("2.2", "强化区域协同保护", "hhht", [], None, None, "2"),
    ("2.2.1", "推进呼包鄂乌知识产权执法协作，持续推进", "hhht", ["bt", "eeds", "wlcb"], END,
     None, "2.2"),
    ("2.2.2", "每年4月开展知识产权宣传周活动", "kjt", ["czt"], END,
     "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=-1", "2.2"),
    ("2.2.3", "编制全区知识产权保护状况白皮书", "amr", [], date(2026, 4, 30), None, "2.2"),
]


def tree(plan: object) -> list[tuple[object, ...]]:
    """Each item as (code, title, lead, supports, due, recurrence, parent)."""
    return [(item.code, item.title, item.lead, item.supports, item.due, item.rule, item.parent)
            for item in plan.items()]  # type: ignore[attr-defined]


def test_the_paragraph_form_item_by_item() -> None:
    plan = _paragraph_plan()
    assert (plan.title, plan.year, plan.kind) == (  # type: ignore[attr-defined]
        "2026年内蒙古自治区知识产权强国建设推进计划", 2026, "annual")
    assert tree(plan) == EXPECTED
    levels = [item.level for item in plan.items()]  # type: ignore[attr-defined]
    assert (levels.count(AREA), levels.count(GROUP), levels.count(ITEM)) == (2, 4, 9)
    ongoing = [item.code for item in plan.items() if item.ongoing]  # type: ignore[attr-defined]
    assert ongoing == ["2.1.2", "2.2.1"]
    assert not plan.unresolved  # type: ignore[attr-defined]
    notes = [(where.render(), note.key) for where, note in plan.notes]  # type: ignore[attr-defined]
    assert notes == [("第18段", "intake_note_not_item")]


def test_numbering_forms_half_width_brackets_and_items_without_groups() -> None:
    lines = ["2026年工作要点", "一、第一方面", "1、甲事项。（自治区公安厅负责）",
             "2．乙事项。（自治区司法厅负责）", "(1)乙的第一步（6月底前）。（自治区司法厅负责）",
             "二.第二方面", "(一)分组", "3.丙事项（自治区财政厅负责）"]
    plan = _paragraph_plan(lines)
    assert [(i.code, i.title, i.lead, i.parent) for i in plan.items()] == [  # type: ignore[attr-defined]
        ("1", "第一方面", "gat", None), ("1.1", "甲事项", "gat", "1"),
        ("1.2", "乙事项", "sft", "1"), ("1.2.1", "乙的第一步（6月底前）", "sft", "1.2"),
        ("2", "第二方面", "czt", None), ("2.1", "分组", "czt", "2"),
        ("2.1.1", "丙事项", "czt", "2.1")]


def test_unknown_names_are_listed_with_places_and_the_closest_names() -> None:
    lines = paragraphs()
    lines[4] = "1. 推动条例修订。（自治区知识产权厅负责）"
    lines[5] = "2. 开展调研。（自治区知识产权厅、自治区司法厅负责）"
    plan = _paragraph_plan(lines)
    [unknown] = plan.unresolved  # type: ignore[attr-defined]
    assert unknown.written == "自治区知识产权厅"
    assert [place.render() for place in unknown.places] == ["第5段", "第6段"]
    assert "自治区知识产权局" in unknown.closest and len(unknown.closest) == 3


def test_new_units_take_an_id_from_their_name() -> None:
    lines = paragraphs()
    lines[4] = "1. 推动条例修订。（自治区知识产权研究会负责）"
    plan = _paragraph_plan(lines, new_units=True)
    assert not plan.unresolved  # type: ignore[attr-defined]
    [unit] = plan.new_units  # type: ignore[attr-defined]
    assert (unit.id, unit.name) == ("自治区知识产权研究会", "自治区知识产权研究会")
    assert plan.items()[2].lead == "自治区知识产权研究会"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("title", "year", "expected"), [
    ("2026年知识产权强国建设推进计划", None, (2026, 2026, "annual")),
    ("2026年全区知识产权工作要点", None, (2026, 2026, "annual")),
    ("知识产权保护专项行动方案（2024—2026年）", None, (2024, 2026, "programme")),
    ("2026年知识产权质押融资任务分工方案", None, (2026, 2026, "programme")),
    ("知识产权强国建设推进计划", 2027, (2027, 2027, "annual")),
])
def test_plan_year_and_kind(title: str, year: int | None, expected: tuple[int, int, str]) -> None:
    assert plan_year(title, year) == expected


def test_a_title_without_a_year_asks_for_year() -> None:
    with pytest.raises(PlannerError) as raised:
        _paragraph_plan(["知识产权推进计划", "一、甲", "1. 乙。（自治区公安厅负责）"])
    assert "--year" in raised.value.message("zh")


def test_a_table_without_a_header_names_the_headers_looked_for() -> None:
    table = Table("Sheet1", [["名称", "单位"], ["甲", "自治区公安厅"]])
    with pytest.raises(PlannerError) as raised:
        read_plan([table], registry(), year=2026)
    text = raised.value.message("zh")
    assert "序号" in text and "牵头单位 / 责任单位" in text and "完成时限" in text


def test_the_table_form_gives_the_same_tree() -> None:
    from tests.intake_support import HEADER, TABLE_TITLE, table_rows

    rows: list[list[str]] = [[TABLE_TITLE] * 6, HEADER]
    for index, area in enumerate(PLAN):
        for row in table_rows(area, index):
            rows.append([row[0]] * 6 if not row[1] and not row[2] else row)
    for row_index in range(3, len(rows)):  # a merged 重点任务 cell: its text in every row
        if rows[row_index][2] and not rows[row_index][1]:
            rows[row_index][1] = rows[row_index - 1][1]
    rows.append(["注：完成时限未写年份的，均指2026年。"] * 6)
    plan = read_plan([Table("Sheet1", rows)], registry())
    assert tree(plan) == EXPECTED


def test_an_unknown_name_in_a_table_is_located_at_its_unit_cell() -> None:
    from tests.intake_support import HEADER

    rows = [["2026年推进计划分工表"] * 6, HEADER, ["一、甲方面"] * 6,
            ["1", "任务", "措施一", "自治区公安厅", "", "6月底前"],
            ["2", "任务", "措施二", "自治区知识产权厅", "自治区司法厅", "年内"]]
    plan = read_plan([Table("分工", rows, first_row=3)], registry())
    [unknown] = plan.unresolved
    assert [place.render("en") for place in unknown.places] == ["分工 row 7 column D"]


def test_a_time_limit_before_the_plan_starts_is_noted() -> None:
    plan = _paragraph_plan(["2026年工作要点", "一、甲",
                            "1. 乙，2025年底前完成。（自治区公安厅负责）"])
    notes = [(where.render(), note.key) for where, note in plan.notes]  # type: ignore[attr-defined]
    assert notes == [("第3段", "intake_note_limit_before_plan")]


def test_an_item_going_on_in_the_next_paragraph_takes_that_paragraphs_clause() -> None:
    plan = _paragraph_plan(["2026年工作要点", "一、甲", "1. 完善快速维权机制。",
                            "在包头市建设快速维权中心，6月底前挂牌。（包头市人民政府负责）",
                            "另起一段、未编号的事项。（自治区公安厅负责）"])
    assert tree(plan)[1:] == [
        ("1.1", "完善快速维权机制", "bt", [], date(2026, 6, 30), None, "1"),
        ("1.2", "另起一段、未编号的事项", "gat", [], None, None, "1")]
    assert plan.items()[1].description == "在包头市建设快速维权中心，6月底前挂牌。"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "rule"), [
    ("每年4月20日前", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20"),
    ("每年12月31日前", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
    ("每年4月底前", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=-1"),
])
def test_a_yearly_time_limit_may_name_its_day(text: str, rule: str) -> None:
    assert limit(text) == (END, False, rule)


def test_a_yearly_day_that_does_not_exist_is_no_time_limit() -> None:
    assert limit("每年2月30日前") is None


def test_a_government_named_without_its_city_suffix_resolves_to_the_city() -> None:
    found = registry().resolve("包头人民政府")
    assert found is not None and (found.how, found.unit_ids) == ("government", ("bt",))
    assert registry().resolve("兴安人民政府").unit_ids == ("xam",)  # type: ignore[union-attr]
    assert registry().resolve("包头政府") is None


def test_a_recurring_item_with_sub_items_passes_its_rule_down() -> None:
    """A plan file may hold only generated occurrences under a recurring item: the rule goes
    to the sub-items (and to each member of a group leading it)."""
    plan = _paragraph_plan(["2026年工作要点", "一、甲方面",
                            "1. 每季度调度侵权案件查处情况。（各盟市负责）",
                            "2. 每月报送工作进展。（自治区公安厅负责）",
                            "（1）报送执法数据。（自治区公安厅负责）",
                            "（2）报送典型案例，6月底前。（自治区司法厅负责）"])
    rules = {item.code: (item.rule, item.due) for item in plan.items()}  # type: ignore[attr-defined]
    assert rules["1.1"] == (None, END) and rules["1.2"] == (None, END)
    assert {rules[f"1.1.{n}"] for n in range(1, 13)} == {(QUARTERLY, END)}
    assert rules["1.2.1"] == ("FREQ=MONTHLY;BYMONTHDAY=-1", END)
    assert rules["1.2.2"] == (None, date(2026, 6, 30))


def test_table_rows_of_a_task_without_measures_and_of_sub_items() -> None:
    """A 重点任务 cell merged across 具体措施 is a leaf that ends the 重点任务 above it; a measure
    numbered （1） is a sub-item of the measure before it."""
    from tests.intake_support import HEADER

    task = "（一）健全地方法规体系"
    rows = [["2026年推进计划分工表"] * 6, HEADER, ["一、甲方面"] * 6,
            ["1", task, "推动条例修订", "自治区公安厅", "", "6月底前"],
            ["", task, "（1）起草条例草案", "自治区司法厅", "", "3月底前"],
            ["2", task, "开展立法调研", "自治区公安厅", "", "年内"],
            ["3", "（二）完善政策体系", "（二）完善政策体系", "自治区财政厅", "", "9月底前"],
            ["二、乙方面"] * 6,
            ["4", "出台配套政策", "出台配套政策", "自治区财政厅", "自治区公安厅", "长期坚持"]]
    plan = read_plan([Table("分工", rows)], registry())
    assert [(i.code, i.title, i.level, i.lead, i.due) for i in plan.items()] == [
        ("1", "甲方面", AREA, "gat", None),
        ("1.1", "健全地方法规体系", GROUP, "gat", None),
        ("1.1.1", "推动条例修订", ITEM, "gat", date(2026, 6, 30)),
        ("1.1.1.1", "起草条例草案", 4, "sft", date(2026, 3, 31)),
        ("1.1.2", "开展立法调研", ITEM, "gat", END),
        ("1.2", "完善政策体系", GROUP, "czt", date(2026, 9, 30)),
        ("2", "乙方面", AREA, "czt", None),
        ("2.1", "出台配套政策", GROUP, "czt", END)]
    assert plan.items()[-1].supports == ["gat"] and plan.items()[-1].ongoing


def test_a_clause_may_name_a_time_limit_too() -> None:
    """`（A负责，2026年底前完成）` names the units and the time limit; before, the whole
    bracket was taken for words of the item and its units went unread."""
    clause = read_clause("自治区公安厅牵头，自治区司法厅配合，9月底前完成")
    assert clause is not None and (clause.leads, clause.supports, clause.limit) == (
        ("自治区公安厅",), ("自治区司法厅",), "9月底前完成")
    assert read_clause("2026年底前") is None  # a time limit alone names no one
    plan = _paragraph_plan(["2026年工作要点", "一、甲方面（自治区财政厅负责，6月底前）",
                            "1. 推动条例修订，3月底前启动。（自治区公安厅负责，9月底前完成）"])
    assert tree(plan) == [("1", "甲方面", "czt", [], date(2026, 6, 30), None, None),
                          ("1.1", "推动条例修订，3月底前启动", "gat", [], date(2026, 9, 30),
                           None, "1")]
