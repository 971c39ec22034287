"""Intake of real files (services/intake*.py): .docx paragraphs, .xlsx and .docx tables with
merged cells give the same tree; files that cannot be read get one line saying what to do;
the plan file written is one the loader accepts."""

import zipfile
from pathlib import Path

import pytest
import yaml

from planner.core.errors import PlannerError
from planner.core.intake import Paragraph
from planner.core.intake_units import Registry, RegistryUnit
from planner.services.intake import (
    IntakeRequest,
    bundled_registry,
    intake_document,
    plan_file_text,
    read_name_map,
)
from planner.services.intake_files import read_blocks
from planner.services.plan_file import expand_repeats
from planner.services.plan_yaml import parse_plan
from tests.core.test_intake import EXPECTED, tree
from tests.intake_support import (
    XCB,
    paragraphs,
    write_numbered_docx,
    write_paragraph_docx,
    write_table_docx,
    write_table_xlsx,
)


def registry() -> Registry:
    """The bundled registry and the one unit of the fixtures it does not know."""
    bundled = bundled_registry()
    return Registry([*bundled.units, RegistryUnit("xcb", XCB)], bundled.groups)


@pytest.mark.parametrize("write", [write_paragraph_docx, write_table_xlsx, write_table_docx,
                                   write_numbered_docx])
def test_each_form_of_the_plan_gives_the_same_tree(tmp_path: Path, write: object) -> None:
    suffix = ".xlsx" if write is write_table_xlsx else ".docx"
    path = write(tmp_path / f"plan{suffix}")  # type: ignore[operator]
    plan = intake_document(IntakeRequest(path), registry())
    assert tree(plan) == EXPECTED
    assert not plan.unresolved


def test_words_automatic_numbering_is_read_as_the_number_it_shows(tmp_path: Path) -> None:
    blocks = read_blocks(write_numbered_docx(tmp_path / "numbered.docx"))
    texts = [block.text for block in blocks if isinstance(block, Paragraph)]
    assert texts[1:5] == ["一、完善知识产权制度", "（一）健全地方法规体系",
                          "1.推动专利促进和保护条例修订。2026年6月底前提请审议。"
                          "（自治区市场监管局（知识产权局）负责）",
                          "2.开展知识产权领域立法调研，上半年形成调研报告。"
                          "（自治区司法厅、自治区知识产权局负责）"]
    assert texts[5:7] == ["（二）完善政策体系", "1.建设中国（内蒙古）知识产权保护中心快速预审通道。"
                          f"三季度末前建成运行。（自治区知识产权局牵头，{XCB}、自治区公安厅配合）"]
    assert texts[7] == "二、强化知识产权保护"


def test_text_and_markdown_files_are_read_too(tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_bytes("\n".join(paragraphs()).encode("gb18030"))  # as an office saves it
    assert tree(intake_document(IntakeRequest(text), registry())) == EXPECTED
    markdown = tmp_path / "plan.md"
    markdown.write_text("\n\n".join(f"# {line}" if "、" in line[:2] else line
                                    for line in paragraphs()), encoding="utf-8")
    assert tree(intake_document(IntakeRequest(markdown), registry())) == EXPECTED


def test_xlsx_cells_are_located_by_sheet_row_and_column(tmp_path: Path) -> None:
    plan = intake_document(IntakeRequest(write_table_xlsx(tmp_path / "plan.xlsx")), registry())
    where = [(at.render("en"), text) for at, text, _limit in plan.limits]
    assert where[0] == ("一、完善知识 row 4 column F", "2026年6月底前")
    assert where[-1] == ("二、强化知识 row 9 column F", "2026年4月底前")


def test_docx_paragraphs_and_tables_are_read_in_document_order(tmp_path: Path) -> None:
    path = write_table_docx(tmp_path / "plan.docx")
    kinds = [type(block).__name__ for block in read_blocks(path)]
    assert kinds == ["Paragraph", "Table", "Paragraph"]


def _cfb(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return path


@pytest.mark.parametrize(("name", "content", "words"), [
    ("old.doc", None, "另存为 .docx"),
    ("old.xls", None, "另存为 .xlsx"),
    ("locked.docx", None, "取消密码"),
    ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\n", "扫描件"),
    ("broken.docx", b"PK\x03\x04 this is not a zip archive", "已损坏"),
    ("broken.xlsx", b"not a workbook at all", "已损坏"),
    ("plan.odt", b"something", "不支持"),
])
def test_files_that_cannot_be_read_get_one_line_saying_what_to_do(
        tmp_path: Path, name: str, content: bytes | None, words: str) -> None:
    path = tmp_path / name
    if content is None:
        _cfb(path)
    else:
        path.write_bytes(content)
    with pytest.raises(PlannerError) as raised:
        read_blocks(path)
    line = raised.value.message("zh")
    assert words in line and "\n" not in line and str(path) in line


def test_a_docx_with_a_damaged_part_is_refused_in_one_line(tmp_path: Path) -> None:
    good = write_paragraph_docx(tmp_path / "good.docx")
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename ==
                            "word/document.xml" else data)
    with pytest.raises(PlannerError) as raised:
        read_blocks(damaged)
    assert "已损坏" in raised.value.message("zh")


def test_a_workbook_without_a_recognisable_header_names_the_headers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["事项", "单位"])  # type: ignore[union-attr]
    workbook.active.append(["甲", "自治区公安厅"])  # type: ignore[union-attr]
    workbook.save(tmp_path / "plain.xlsx")
    with pytest.raises(PlannerError) as raised:
        intake_document(IntakeRequest(tmp_path / "plain.xlsx", year=2026), registry())
    assert "具体措施 / 工作措施 / 主要内容" in raised.value.message("zh")


def _loadable(text: str) -> str:
    """The plan file without plan.id / kind / parent: another branch teaches the loader those
    keys; until it is merged this loader refuses them, so the rest is checked here."""
    document = yaml.safe_load(text)
    for key in ("id", "kind", "parent"):
        document["plan"].pop(key, None)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def test_the_plan_file_written_is_one_the_loader_accepts(tmp_path: Path) -> None:
    known = registry()
    plan = intake_document(IntakeRequest(write_paragraph_docx(tmp_path / "p.docx")), known)
    text = plan_file_text(plan, known, plan_id="2026", parent="14th", source="p.docx")
    document = yaml.safe_load(text)
    assert document["plan"] == {
        "id": "2026", "kind": "annual", "parent": "14th",
        "title": "2026年内蒙古自治区知识产权强国建设推进计划",
        "period": {"start": "2026-01-01", "end": "2026-12-31"}, "report_cycle": "weekly",
        "source": "p.docx"}
    amr = next(unit for unit in document["units"] if unit["id"] == "amr")
    assert "自治区知识产权局" in amr["aliases"]
    spec = parse_plan(_loadable(text), "p.yaml")
    by_code = {task.code: task for task in spec.tasks}
    assert [(t.code, t.lead, t.support, t.due, t.repeat_rule, t.parent) for t in spec.tasks] == [
        (code, lead, supports, due or spec.end if parent is None or due else
         by_code[parent].due, rule, parent)
        for code, _title, lead, supports, due, rule, parent in EXPECTED]
    assert by_code["2.1.2"].description == "完成时限：长期坚持（长期任务，至计划期末）"
    quarterly = [row.due.isoformat() for row in expand_repeats(spec)
                 if row.generated and row.parent == "2.1.3"]
    assert quarterly == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]


def test_a_name_map_must_be_a_mapping_of_names(tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text("区知识产权局: amr\n", encoding="utf-8")
    assert read_name_map(path) == {"区知识产权局": "amr"}
    path.write_text("- amr\n", encoding="utf-8")
    with pytest.raises(PlannerError, match="YAML"):
        read_name_map(path)


def test_the_plan_file_text_reads_back_as_the_same_document() -> None:
    from planner.services.intake import _yaml_lines

    document = {"plan": {"id": "2026", "kind": "annual", "none": None, "flag": True},
                "units": [{"id": "yes", "name": "自治区党委宣传部（自治区版权局）",
                           "aliases": ["a: b", "#c", "'d'", '"e"', "- f", "null"]}],
                "tasks": [{"code": "1.2", "title": "行一\n行二\t\\ 末尾 ", "n": 3, "x": 1.5,
                           "support": [], "children": [[1, "2"], {}]}]}
    assert yaml.safe_load("".join(_yaml_lines(document, ""))) == document


def test_a_numbering_style_numbers_its_paragraphs_too(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("2026年工作要点", "一、甲"):
        document.add_paragraph(text)
    for text in ("乙。（自治区公安厅负责）", "丙。（自治区司法厅负责）"):
        document.add_paragraph(text, style="List Number")
    document.save(str(tmp_path / "styled.docx"))
    texts = [block.text for block in read_blocks(tmp_path / "styled.docx")
             if isinstance(block, Paragraph)]
    assert texts[2:] == ["1.乙。（自治区公安厅负责）", "2.丙。（自治区司法厅负责）"]
