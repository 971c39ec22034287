"""Intake of plans as they arrive: a 推进计划 as numbered paragraphs, a 分工方案 as tables.

Pure: the file readers (services/intake_files.py) hand over `Paragraph`s and `Table`s in
document order; `read_plan` finds the title, the year and the tree, reads each item's
responsibility clause or unit columns and its time limit, resolves the unit names against a
`Registry`, splits an item led by a group (各盟市) into one child per member, and says what
it did not understand and where.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from planner.core.errors import PlannerError
from planner.core.intake_limits import TimeLimit, read_limit
from planner.core.intake_units import (
    Clause,
    Registry,
    RegistryUnit,
    Resolution,
    last_clause,
    read_unit_cell,
)
from planner.core.text import MAX_CODE_CHARS, MAX_TITLE_CHARS, identity_key
from planner.i18n import Msg, msg

AREA, GROUP, ITEM, SUBITEM = 1, 2, 3, 4
_CN = "[一二三四五六七八九十]{1,3}"
#: Heading numbers by level: `一、`, `（一）`, `1.` / `1、` / `1．`, `（1）`; half-width too.
_HEADINGS = (
    (AREA, re.compile(f"^{_CN}[、.．]\\s*")),
    (GROUP, re.compile(f"^[（(]{_CN}[）)]\\s*")),
    (ITEM, re.compile(r"^\d{1,3}(?:[、．]|\.(?!\d))\s*")),
    (SUBITEM, re.compile(r"^[（(]\d{1,3}[）)]\s*")),
)
_NOTE_ROW = re.compile(r"^(注|备注)\s*\d*\s*[:：]")
_YEAR_RANGE = re.compile(r"(20\d\d)\s*[—–\-~至到]+\s*(20\d\d)\s*年")
_YEAR = re.compile(r"(20\d\d)\s*年")
_ANNUAL_WORDS = ("推进计划", "工作要点", "年度")
#: Table header words by column role; the first role with a word in a cell names it.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("序号",),
    "task": ("重点任务", "工作任务", "主要任务"),
    "measure": ("具体措施", "工作措施", "主要内容", "工作内容"),
    "lead": ("牵头单位", "责任单位", "牵头部门", "责任部门"),
    "support": ("配合单位", "参与单位", "配合部门"),
    "limit": ("完成时限", "时间节点", "进度安排", "完成时间"),
}


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of text and where it is (its number in the document)."""

    text: str
    number: int


@dataclass(frozen=True, slots=True)
class Table:
    """A table (a sheet, or a table in a document): its cells with merged ranges filled
    (a merged cell's text in every cell it spans), its name and the row number of its
    first row."""

    name: str
    rows: Sequence[Sequence[str]]
    first_row: int = 1


Block = Paragraph | Table


@dataclass(slots=True)
class IntakeItem:
    """An item of the parsed tree, its units resolved (or not yet) and its time limit."""

    code: str
    title: str
    level: int
    where: Msg
    parent: str | None = None
    description: str | None = None
    source: str | None = None
    lead_names: tuple[str, ...] = ()
    support_names: tuple[str, ...] = ()
    limit: TimeLimit | None = None
    lead: str | None = None
    supports: list[str] = field(default_factory=list)
    children: list["IntakeItem"] = field(default_factory=list)
    group: str | None = None  # the group (各盟市) whose members its children are
    names_where: Msg | None = None  # where its unit names are (a table's 牵头单位 cell)

    @property
    def due(self) -> date | None:
        """The due date read for this item (None: the parent's, or the plan's end)."""
        return self.limit.due if self.limit else None

    @property
    def rule(self) -> str | None:
        """The RRULE of a recurring item."""
        return self.limit.rule if self.limit else None

    @property
    def ongoing(self) -> bool:
        """长期坚持 / 持续推进: due at the plan's end, marked ongoing."""
        return bool(self.limit and self.limit.ongoing)


@dataclass(slots=True)
class Unresolved:
    """A name that is neither a unit, an alias nor a group: where it occurs and the three
    closest known names."""

    written: str
    closest: list[str]
    places: list[Msg]


@dataclass(slots=True)
class IntakePlan:
    """What intake understood: the plan's title, year, kind and period, the tree, how each
    name was resolved, every time limit, and what it did not understand."""

    title: str
    year: int
    kind: str
    start: date
    end: date
    roots: list[IntakeItem]
    resolutions: list[Resolution]
    unresolved: list[Unresolved]
    new_units: list[RegistryUnit]
    limits: list[tuple[Msg, str, TimeLimit]]
    notes: list[tuple[Msg, Msg]]

    def items(self) -> list[IntakeItem]:
        """Every item, parents before their children, in document order."""
        result: list[IntakeItem] = []
        pending = list(reversed(self.roots))
        while pending:
            item = pending.pop()
            result.append(item)
            pending.extend(reversed(item.children))
        return result

    def count(self, level: int) -> int:
        """How many items were read at `level` (AREA, GROUP, ITEM or SUBITEM)."""
        return sum(1 for item in self.items() if item.level == level)


@dataclass(slots=True)
class _Raw:
    """An entry as read, before the tree: level, text, names as written, time limit text."""

    level: int
    text: str
    where: Msg
    source: str
    lead_names: tuple[str, ...] = ()
    support_names: tuple[str, ...] = ()
    limit_text: str | None = None
    limit_where: Msg | None = None
    name_where: Msg | None = None


def paragraph_at(number: int) -> Msg:
    """Where a paragraph is: 第12段 / paragraph 12."""
    return msg("intake_at_paragraph", number=number)


def column_letter(index: int) -> str:
    """The spreadsheet letter of 0-based column `index`: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_at(table: Table, row: int, column: int) -> Msg:
    """Where a cell is: sheet, row and column (0-based `row` within the table's rows)."""
    return msg("intake_at_cell", sheet=table.name, row=table.first_row + row,
               column=column_letter(column))


def heading_level(text: str) -> tuple[int, str] | None:
    """The level a numbered paragraph's number gives and the text after the number."""
    for level, pattern in _HEADINGS:
        found = pattern.match(text)
        if found:
            return level, text[found.end():].strip()
    return None


def split_title(text: str) -> tuple[str, str | None]:
    """An item's title (its first sentence) and the rest of its text, if any."""
    depth = 0
    for index, char in enumerate(text):
        if char in "（(《“":
            depth += 1
        elif char in "）)》”":
            depth = max(0, depth - 1)
        elif char == "。" and depth == 0:
            rest = text[index + 1:].strip()
            return _short(text[:index]), rest or None
    return _short(text.rstrip("。；; ")), None


def _short(title: str) -> str:
    title = title.strip()
    return title if len(title) <= MAX_TITLE_CHARS else title[:MAX_TITLE_CHARS - 1] + "…"


def _paragraph_raws(paragraphs: list[Paragraph], preamble: list[str],
                    notes: list[tuple[Msg, Msg]], *, started: bool) -> list[_Raw]:
    """Entries of numbered paragraphs; before the first (`started` False) the preamble."""
    raws: list[_Raw] = []
    for paragraph in paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        where = paragraph_at(paragraph.number)
        heading = heading_level(text)
        if heading is None and _NOTE_ROW.match(text):
            continue
        if heading is None:
            body, clause = last_clause(text)
            if clause is None or not (raws or started):
                if raws or started:
                    notes.append((where, msg("intake_note_not_item", text=text[:30])))
                else:
                    preamble.append(text)
                continue
            last = raws[-1] if raws else None
            if last is not None and last.level >= ITEM and not last.lead_names:
                # the numbered item's text went on in this paragraph, its clause at the end
                last.text = f"{last.text}{body}"
                last.limit_text = _with_limit(last.text, clause)
                last.source = f"{last.source}{text}"
                last.lead_names, last.support_names = clause.leads, clause.supports
                continue
            level = max((raw.level for raw in raws[-1:]), default=ITEM)
        else:
            level, rest = heading
            body, clause = last_clause(rest)
        raws.append(_Raw(level, body, where, text,
                         clause.leads if clause else (), clause.supports if clause else (),
                         _with_limit(body, clause), where, where))
    return raws


def _with_limit(text: str, clause: Clause | None) -> str:
    """The text to read an item's time limit in: its own, then its clause's limit (named
    last, it wins over a deadline in the text)."""
    return f"{text}，{clause.limit}" if clause is not None and clause.limit else text


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    """The header row (index) and the column of each role it names."""
    for index, row in enumerate(table.rows[:15]):
        columns: dict[str, int] = {}
        for column, cell in enumerate(row):
            words = "".join(cell.split())
            for role, names in HEADER_WORDS.items():
                if role not in columns and any(name in words for name in names):
                    columns[role] = column
                    break
        if "lead" in columns and ("measure" in columns or "task" in columns):
            return index, columns
    return None


def _table_raws(table: Table, preamble: list[str], notes: list[tuple[Msg, Msg]]) -> list[_Raw]:
    found = _header(table)
    if found is None:
        notes.append((msg("intake_at_table", name=table.name), msg("intake_no_header",
                                                                  words=_header_words())))
        return []
    header, columns = found
    for row in table.rows[:header]:
        values = [cell.strip() for cell in row if cell.strip()]
        if values:
            preamble.append(values[0])
    raws: list[_Raw] = []
    last_task: str | None = None

    def cell(row: Sequence[str], role: str) -> str:
        column = columns.get(role)
        return " ".join(row[column].split()) if column is not None and column < len(row) else ""

    for offset, row in enumerate(table.rows[header + 1:], start=header + 1):
        values = list(dict.fromkeys(" ".join(c.split()) for c in row if c.strip()))
        if not values:
            continue
        if _NOTE_ROW.match(values[0]):
            break
        heading = _heading_row(values, cell(row, "number"), cell(row, "lead"))
        if heading is not None:
            level, text = heading
            raws.append(_heading_raw(level, text, cell_at(table, offset, 0), " ".join(values)))
            last_task = None
            continue
        task, measure = cell(row, "task"), cell(row, "measure")
        # a 重点任务 without measures: its cell merged across 具体措施 (the same text in both),
        # a leaf at the 重点任务's level that ends the 重点任务 above
        alone = bool(task) and task == measure
        if task and measure and task != last_task and not alone:
            title = (heading_level(task) or (GROUP, task))[1]
            raws.append(_heading_raw(GROUP, title, cell_at(table, offset, columns["task"]), task))
        last_task = None if alone else task or None
        text = measure or task
        if not text:
            notes.append((cell_at(table, offset, columns.get("measure", columns.get("task", 0))),
                          msg("intake_note_no_text")))
            continue
        text_column = columns["measure"] if measure and not alone else columns["task"]
        numbered = heading_level(text)
        level = GROUP if alone else SUBITEM if numbered and numbered[0] == SUBITEM else ITEM
        if re.fullmatch(_CN, cell(row, "number")):  # numbered 三 like the areas: a top item
            level = AREA
        body = numbered[1] if numbered and numbered[0] >= min(level, ITEM) else text
        leads = read_unit_cell(cell(row, "lead"))
        supports = read_unit_cell(cell(row, "support")) if "support" in columns else []
        limit_text = cell(row, "limit") or body
        limit_column = columns["limit"] if cell(row, "limit") else text_column
        raws.append(_Raw(level, body, cell_at(table, offset, text_column), text,
                         tuple(leads[:1]), tuple(leads[1:] + supports), limit_text,
                         cell_at(table, offset, limit_column),
                         cell_at(table, offset, columns["lead"])))
    return raws


def _heading_raw(level: int, text: str, where: Msg, source: str) -> _Raw:
    """An area row or a 重点任务 cell; a responsibility clause ending it names its units, as
    a heading's does in the paragraph form."""
    body, clause = last_clause(text)
    if clause is None:
        return _Raw(level, text, where, source)
    return _Raw(level, body, where, source, clause.leads, clause.supports, clause.limit, where,
                where)


def _heading_row(values: list[str], number: str, lead: str) -> tuple[int, str] | None:
    """An area or group row: one text (merged across the table, or after a `一` in the 序号
    column) numbered `一、` / `（一）`, or merged over the unit columns too."""
    if number and re.fullmatch(_CN, number) and len(values) == 2 and values[0] == number:
        return AREA, values[1]
    if len(values) != 1:
        return None
    heading = heading_level(values[0])
    if heading is not None and heading[0] <= GROUP:
        return heading
    if lead == values[0]:
        return AREA, values[0]
    return None


def _header_words() -> list[str]:
    return [" / ".join(words) for words in HEADER_WORDS.values()]


def plan_year(title: str, year: int | None) -> tuple[int, int, str]:
    """First and last year of the plan and its kind: `annual` for a 推进计划 / 工作要点 of one
    year, else `programme`; `year` (--year) overrides the title's."""
    span = _YEAR_RANGE.search(title)
    single = _YEAR.search(title)
    annual = any(word in title for word in _ANNUAL_WORDS)
    if year is not None:
        return year, year, "annual" if annual and not span else "programme"
    if span:
        return int(span[1]), int(span[2]), "programme"
    if single:
        found = int(single[1])
        return found, found, "annual" if annual else "programme"
    raise PlannerError("intake_no_year", title=title[:40])


def read_plan(blocks: Sequence[Block], registry: Registry, *, year: int | None = None,
              mapping: Mapping[str, str] | None = None, new_units: bool = False,
              fallback_title: str = "") -> IntakePlan:
    """The plan the blocks state (see the module's docstring)."""
    preamble: list[str] = []
    notes: list[tuple[Msg, Msg]] = []
    raws: list[_Raw] = []
    paragraphs: list[Paragraph] = []
    tables = 0
    for block in [*blocks, None]:
        if isinstance(block, Paragraph):
            paragraphs.append(block)
            continue
        raws += _paragraph_raws(paragraphs, preamble, notes, started=bool(raws))
        paragraphs = []
        if isinstance(block, Table):
            tables += 1
            raws += _table_raws(block, preamble, notes)
    if not raws:
        if tables:
            raise PlannerError("intake_no_header", words=_header_words())
        raise PlannerError("intake_no_items")
    title = next((text for text in preamble if _YEAR.search(text)),
                 preamble[0] if preamble else fallback_title)
    first, last, kind = plan_year(title, year)
    start, end = date(first, 1, 1), date(last, 12, 31)
    plan = IntakePlan(_short(title), first, kind, start, end, [], [], [], [], [], notes)
    _build(plan, raws)
    _resolve(plan, registry, mapping or {}, new_units=new_units)
    return plan


def _build(plan: IntakePlan, raws: list[_Raw]) -> None:
    """The tree from the entries in order, codes by position (1, 1.1, 1.1.1), time limits."""
    stack: list[IntakeItem] = []
    counts: dict[str | None, int] = defaultdict(int)
    for raw in raws:
        while stack and stack[-1].level >= raw.level:
            stack.pop()
        parent = stack[-1] if stack else None
        key = parent.code if parent else None
        counts[key] += 1
        code = f"{key}.{counts[key]}" if key else str(counts[key])
        title, description = split_title(raw.text)
        item = IntakeItem(code, title or raw.source, raw.level, raw.where, key, description,
                          raw.source, raw.lead_names, raw.support_names,
                          names_where=raw.name_where)
        if raw.limit_text:
            item.limit = read_limit(raw.limit_text, year=plan.year, plan_end=plan.end)
            if item.limit is not None:
                plan.limits.append((raw.limit_where or raw.where, item.limit.text, item.limit))
                if item.limit.due < plan.start:
                    plan.notes.append((raw.limit_where or raw.where, msg(
                        "intake_note_limit_before_plan", text=item.limit.text,
                        start=plan.start)))
            elif raw.limit_where is not None and raw.limit_where != raw.where:
                plan.notes.append((raw.limit_where, msg("intake_note_bad_limit",
                                                        text=raw.limit_text[:30])))
        (parent.children if parent else plan.roots).append(item)
        stack.append(item)


def new_unit_id(name: str) -> str:
    """The id a new unit gets: its name as compared (NFKC, no blanks), at most 64 characters."""
    return identity_key(name).replace(" ", "")[:MAX_CODE_CHARS]


def _resolve(plan: IntakePlan, registry: Registry, mapping: Mapping[str, str], *,
             new_units: bool) -> None:
    """Resolve every name, give each item its lead and supports, split group-led items."""
    places: dict[str, list[Msg]] = defaultdict(list)
    for item in plan.items():
        for name in item.lead_names + item.support_names:
            places[name].append(item.names_where or item.where)
    resolved: dict[str, Resolution] = {}
    for name, where in places.items():
        found = registry.resolve(name, mapping)
        if found is None and new_units:
            unit = RegistryUnit(new_unit_id(name), name)
            plan.new_units.append(unit)
            registry = Registry([*registry.units, unit], registry.groups)
            found = Resolution(name, "new", (unit.id,))
        if found is None:
            plan.unresolved.append(Unresolved(name, registry.closest(name), where))
        else:
            resolved[name] = found
            plan.resolutions.append(found)
    for item in plan.items():
        leads = [resolved[name] for name in item.lead_names if name in resolved]
        supports = [unit for name in item.support_names if name in resolved
                    for unit in resolved[name].unit_ids]
        if leads and leads[0].group is not None and not item.children:
            _split(item, leads[0], registry, supports)
            continue
        if leads:
            item.lead = leads[0].unit_ids[0]
            supports = list(leads[0].unit_ids[1:]) + supports
        item.supports = [unit for unit in dict.fromkeys(supports) if unit != item.lead]
    _fill_leads(plan)
    _recurrence_to_leaves(plan)


def _split(item: IntakeItem, group: Resolution, registry: Registry, supports: list[str]) -> None:
    """One child per member of the group leading `item` (分解到各盟市), each led by it; the
    item itself takes its parent's lead."""
    item.group = group.group
    for index, member in enumerate(group.unit_ids, start=1):
        unit = registry.unit(member)
        name = unit.name if unit else member
        child = IntakeItem(f"{item.code}.{index}", _short(f"{item.title}（{name}）"),
                           item.level + 1, item.where, item.code, None, item.source,
                           limit=item.limit, lead=member,
                           supports=[u for u in dict.fromkeys(supports) if u != member])
        item.children.append(child)


def _recurrence_to_leaves(plan: IntakePlan) -> None:
    """A recurring item with sub-items (its own, or one per member of the group leading it)
    is not itself recurring: in a plan file only its generated occurrences go under a recurring
    item. Each sub-item without a time limit of its own takes the rule; the item keeps the
    due date."""
    for item in plan.items():  # parents first: the rule goes down as far as the leaves
        if item.limit is not None and item.limit.rule and item.children:
            for child in item.children:
                if child.limit is None:
                    child.limit = item.limit
            item.limit = replace(item.limit, rule=None)


def _fill_leads(plan: IntakePlan) -> None:
    """A heading without a clause is led by the unit leading most of its items (an item
    split over a group's members not counted); an item without one takes its parent's lead
    (and is noted)."""
    def majority(item: IntakeItem) -> str | None:
        for child in item.children:
            majority(child)
        if item.lead is None and item.children and item.group is None:
            counts = Counter(child.lead for child in item.children if child.lead)
            item.lead = counts.most_common(1)[0][0] if counts else None
        return item.lead

    def inherit(item: IntakeItem, lead: str | None) -> None:
        if item.lead is None and lead is not None:
            if not item.children and not item.lead_names:
                plan.notes.append((item.where, msg("intake_note_no_units", code=item.code)))
            item.lead = lead
        for child in item.children:
            inherit(child, item.lead)

    for root in plan.roots:
        majority(root)
        inherit(root, None)
