"""One plan written in the forms plans arrive in, for the intake tests: a 推进计划 as numbered
paragraphs (.docx, .txt) and the same plan as a 分工方案 table (.xlsx on two sheets with a
merged title row, merged area rows, a 重点任务 cell merged down over its measures and a 注
row; and the same table inside a .docx). Our own wording, in the published shapes."""

from dataclasses import dataclass
from pathlib import Path

TITLE = "2026年内蒙古自治区知识产权强国建设推进计划"
TABLE_TITLE = "2026年内蒙古自治区知识产权强国建设推进计划重点任务分工表"
XCB = "自治区党委宣传部（自治区版权局）"  # a unit name with brackets, not in the registry
XCB_ID = "自治区党委宣传部(自治区版权局)"  # the id --new-units derives from it (NFKC)
LEAGUES = ("hhht", "bt", "hlbe", "xam", "tl", "cf", "xlgl", "wlcb", "eeds", "byne", "wh", "als")


@dataclass(frozen=True)
class Measure:
    """One item: its text, its clause in the paragraph form, and the table's cells."""

    text: str          # the paragraph without its number and clause
    clause: str        # the paragraph's responsibility clause
    lead: str          # 牵头单位 cell
    support: str       # 配合单位 cell
    limit: str         # 完成时限 cell


@dataclass(frozen=True)
class Task:
    """A 重点任务 (a （一） group) and its measures."""

    title: str
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class Area:
    """An `一、` area and its 重点任务."""

    title: str
    tasks: tuple[Task, ...]


PLAN = (
    Area("完善知识产权制度", (
        Task("健全地方法规体系", (
            Measure("推动专利促进和保护条例修订。2026年6月底前提请审议。",
                    "自治区市场监管局（知识产权局）负责",
                    "自治区市场监管局（知识产权局）", "", "2026年6月底前"),
            Measure("开展知识产权领域立法调研，上半年形成调研报告。",
                    "自治区司法厅、自治区知识产权局负责",
                    "自治区司法厅", "自治区知识产权局", "上半年"),
        )),
        Task("完善政策体系", (
            Measure("建设中国（内蒙古）知识产权保护中心快速预审通道。三季度末前建成运行。",
                    f"自治区知识产权局牵头，{XCB}、自治区公安厅配合",
                    "自治区知识产权局", f"{XCB}、自治区公安厅", "三季度末前"),
        )),
    )),
    Area("强化知识产权保护", (
        Task("加强行政和司法保护", (
            Measure("组织2025年度知识产权行政保护工作绩效考核，年底前完成。", "各盟市负责",
                    "各盟市", "", "年底前"),
            Measure("健全知识产权纠纷多元化解机制，长期坚持。",
                    "自治区高院、自治区检察院按职责分别负责",
                    "自治区高院", "自治区检察院", "长期坚持"),
            Measure("每季度调度知识产权侵权案件查处情况。", "自治区公安厅、各盟市人民政府负责",
                    "自治区公安厅", "各盟市人民政府", "每季度"),
        )),
        Task("强化区域协同保护", (
            Measure("推进呼包鄂乌知识产权执法协作，持续推进。",
                    "呼和浩特市人民政府牵头，包头市、鄂尔多斯市、乌兰察布市配合",
                    "呼和浩特市人民政府", "包头市、鄂尔多斯市、乌兰察布市", "持续推进"),
            Measure("每年4月开展知识产权宣传周活动。", "自治区科技厅、自治区财政厅等部门负责",
                    "自治区科技厅", "自治区财政厅", "每年4月"),
            Measure("编制全区知识产权保护状况白皮书。2026年4月底前发布。",
                    "自治区知识产权局负责", "自治区知识产权局", "", "2026年4月底前"),
        )),
    )),
)
CN = "一二三四五六七八九十"


def paragraphs(plan: tuple[Area, ...] = PLAN) -> list[str]:
    """The paragraph form: title, preamble, `一、` areas, `（一）` groups, items numbered on
    across sections, each ending in its clause, and a closing paragraph that is no item."""
    lines = [TITLE, "为深入实施知识产权强国建设纲要，结合我区实际，制定本计划。"]
    group = number = 0
    for index, area in enumerate(plan):
        lines.append(f"{CN[index]}、{area.title}")
        for task in area.tasks:
            lines.append(f"（{CN[group]}）{task.title}")
            group += 1
            for measure in task.measures:
                number += 1
                lines.append(f"{number}. {measure.text}（{measure.clause}）")
    lines.append("各地区、各部门要加强组织领导，确保各项任务落到实处。")
    return lines


def table_rows(area: Area, first_number: int) -> list[list[str]]:
    """One area's rows of the 分工方案 table (cells as written before merging)."""
    rows = [[f"{CN[first_number]}、{area.title}"] + [""] * 5]
    number = sum(len(t.measures) for a in PLAN[:first_number] for t in a.tasks)
    for task in area.tasks:
        for position, measure in enumerate(task.measures):
            number += 1
            rows.append([str(number), task.title if position == 0 else "", measure.text,
                         measure.lead, measure.support, measure.limit])
    return rows


HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]


def write_paragraph_docx(path: Path, lines: list[str] | None = None) -> Path:
    """The paragraph form as a .docx."""
    import docx

    document = docx.Document()
    for line in lines or paragraphs():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_table_xlsx(path: Path) -> Path:
    """The table form as a .xlsx: one sheet per area, merged title, area rows and 重点任务."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for index, area in enumerate(PLAN):
        sheet = workbook.create_sheet(f"{CN[index]}、{area.title[:4]}")
        sheet.append([TABLE_TITLE] + [""] * 5)
        sheet.merge_cells("A1:F1")
        sheet.append(HEADER)
        start = 3
        for row in table_rows(area, index):
            sheet.append(row)
        sheet.merge_cells(f"A{start}:F{start}")
        row_number = start + 1
        for task in area.tasks:
            last = row_number + len(task.measures) - 1
            if last > row_number:
                sheet.merge_cells(f"B{row_number}:B{last}")
            row_number = last + 1
        sheet.append(["注：完成时限未写年份的，均指2026年。"] + [""] * 5)
        sheet.merge_cells(f"A{row_number}:F{row_number}")
    workbook.save(path)
    return path


def write_table_docx(path: Path) -> Path:
    """The table form inside a .docx: a title paragraph, then one table with merged cells."""
    import docx

    document = docx.Document()
    document.add_paragraph(TABLE_TITLE)
    rows = [HEADER]
    for index, area in enumerate(PLAN):
        rows += table_rows(area, index)
    table = document.add_table(rows=len(rows), cols=6)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    r = 1
    for area in PLAN:
        table.cell(r, 0).merge(table.cell(r, 5))
        r += 1
        for task in area.tasks:
            last = r + len(task.measures) - 1
            if last > r:
                table.cell(r, 1).merge(table.cell(last, 1))
            r = last + 1
    document.add_paragraph("注：完成时限未写年份的，均指2026年。")
    document.save(str(path))
    return path


def write_numbered_docx(path: Path) -> Path:
    """The paragraph form with Word's automatic numbering: `一、`, `（一）` and `1.` come from
    the numbering definitions, not from the paragraphs' text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for level, (fmt, text) in enumerate([("chineseCounting", "%1、"),
                                             ("chineseCounting", "（%2）"),
                                             ("decimal", "%3.")]))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f"{levels}</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90">'
                               '<w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        numbers = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                            '<w:numId w:val="90"/></w:numPr>')
        paragraph._p.get_or_add_pPr().append(numbers)
        assert paragraph._p.pPr.find(qn("w:numPr")) is not None

    document.add_paragraph(TITLE)
    for area in PLAN:
        numbered(area.title, 0)
        for task in area.tasks:
            numbered(task.title, 1)
            for measure in task.measures:
                numbered(f"{measure.text}（{measure.clause}）", 2)
    document.save(str(path))
    return path
