"""Preview of a plan document taken in (issue 14): the tree `planner intake` read from it,
each item with its lead, supports and time limit, the unit names it could not resolve
highlighted and counted. The coordinator maps each such name to a known unit from a
fuzzy-filtered list, or accepts it as a new unit, then saves the plan as a new one through
the services of `planner intake` + `planner plans add`. Nothing is written before the save;
Escape leaves at any time with nothing written."""

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, Static, Tree
from textual.widgets.tree import TreeNode

from planner.core.errors import PlannerError
from planner.core.intake import IntakeItem, new_unit_id
from planner.core.textwidth import shorten
from planner.i18n import Msg, label, list_separator, msg
from planner.services.intake import default_plan_id, summary_lines
from planner.services.plan_yaml import PLAN_ID
from planner.tui.dialogs.form import Field, FormDialog
from planner.tui.dialogs.fuzzy import Entry, FuzzyChooseDialog
from planner.tui.dialogs.help import HelpDialog
from planner.tui.gateway import Outcome, PlanGateway
from planner.tui.host import GatewayHost
from planner.tui.intake_draft import IntakeDraft
from planner.tui.keys import Key, help_rows, key_bindings, localized
from planner.tui.widgets.title_bar import TitleBar

R = TypeVar("R")

KEYS: list[Key] = [
    ("n", "next_unresolved(1)", "key_intake_next", True),
    ("N", "next_unresolved(-1)", "key_intake_prev", False),
    ("m", "map", "key_intake_map", True),
    ("a", "new_unit", "key_intake_new_unit", True),
    ("u", "undo", "key_intake_undo", False),
    ("s,ctrl+s", "save", "key_intake_save", True),
    ("question_mark", "help", "key_help", False),
    ("escape", "leave", "key_intake_leave", True),
]
UNRESOLVED_STYLE = "bold white on red"
CHOSEN_STYLE = "bold green"
MUTED_STYLE = "dim"
MIN_YEAR, MAX_YEAR = 2000, 2099
#: The documents the path completion offers (what `planner intake` reads).
DOCUMENT_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".txt", ".md")
#: An item's title on its line is cut to this many cells (its detail line shows it whole), so
#: the units and the time limit after it stay on screen.
TITLE_CELLS = 40


class WorkingForm(FormDialog[R]):
    """A form whose Save runs its `validate` in a thread (it reads a document or writes the
    database): the result closes the dialog; a `PlannerError` stays in it as its one error
    line, so the coordinator corrects the field and tries again. A form that `writes` is not
    left while its write runs (it could still commit after the dialog said nothing was)."""

    class Finished(Message):
        """The work ended: its result, or the error line."""

        def __init__(self, result: object, error: str | None) -> None:
            super().__init__()
            self.result = result
            self.error = error

    def __init__(self, title: str, fields: list[Field],
                 validate: Callable[[dict[str, object]], R], *, lang: str, busy: str,
                 save_caption: str | None = None, writes: bool = False) -> None:
        super().__init__(title, fields, validate, lang=lang, save_caption=save_caption)
        self.busy = busy
        self.writes = writes
        self.running = False

    def action_cancel(self) -> None:
        if not (self.running and self.writes):
            super().action_cancel()

    def action_save(self) -> None:
        if self.running:
            return
        self.running = True
        self.query_one("#dialog-error", Label).update(self.busy)
        self._work(self.values())

    @work(thread=True, exclusive=True, group="form-work")
    def _work(self, values: dict[str, object]) -> None:
        try:
            result = self.validate(values)
        except PlannerError as exc:
            self.post_message(self.Finished(None, exc.message(self.lang)))
            return
        self.post_message(self.Finished(result, None))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.running = False
        if message.error is not None:
            self.query_one("#dialog-error", Label).update(message.error)
            return
        self.dismiss(cast(R, message.result))


class PathSuggester(Suggester):
    """Completes the path being typed from the file system (→ or End takes it): the first
    folder or document intake reads whose name goes on from what follows the last `/`."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip():
            return None
        path = Path(value).expanduser()
        folder, start = (path, "") if value.endswith("/") else (path.parent, path.name)
        try:
            names = sorted(entry.name for entry in folder.iterdir())
        except OSError:
            return None
        for name in names:
            if name == start or not name.startswith(start) \
                    or (name.startswith(".") and not start.startswith(".")):
                continue
            found = folder / name
            if found.is_dir():
                return f"{value}{name[len(start):]}/"
            if found.suffix.lower() in DOCUMENT_SUFFIXES:
                return f"{value}{name[len(start):]}"
        return None


class OpenDialog(WorkingForm[IntakeDraft]):
    """The document's path (completed from the file system) and, optionally, its year."""

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-path", Input).suggester = PathSuggester()


def _path(written: object) -> Path:
    """The path typed (quotes a terminal adds around a dropped file removed, `~` expanded)."""
    text = str(written).strip().strip("'\"")
    if not text:
        raise PlannerError("intake_path_needed")
    return Path(text).expanduser()


def _year(written: object, *, required: bool = False) -> int | None:
    """The year typed: four digits, or nothing when not `required`."""
    text = str(written).strip()
    if not text and not required:
        return None
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise PlannerError("intake_year_bad")
    return int(text)


def open_intake(app: App[Any], gateway: PlanGateway, then: Callable[[str], object]) -> None:
    """Ask for a document (its path; Enter opens it), then preview it; `then` gets the new
    plan's id after a save. An unreadable file, an unknown format or a title without a year
    is one line in the dialog."""
    lang = gateway.lang

    def read(values: dict[str, object]) -> IntakeDraft:
        path, year = _path(values["path"]), _year(values["year"])
        try:
            return gateway.read_intake(path, year)
        except PlannerError as exc:
            if exc.msg.key == "intake_no_year":  # say where the year goes here, not --year
                raise PlannerError("intake_tui_no_year", where=exc.where,
                                   **exc.msg.params) from None
            raise

    dialog = OpenDialog(
        label("intake_open_title", lang),
        [Field("path", label("intake_open_path", lang),
               placeholder=label("intake_open_placeholder", lang)),
         Field("year", label("intake_open_year", lang))],
        read, lang=lang, busy=label("intake_reading", lang),
        save_caption=label("intake_open", lang))

    def saved(code: str | None) -> None:
        if code is not None:
            then(code)

    def opened(draft: IntakeDraft | None) -> None:
        if draft is not None:
            app.push_screen(IntakePreviewScreen.localized(lang)(draft, lang), saved)

    app.push_screen(dialog, opened)


class IntakePreviewScreen(Screen[str | None]):
    """The parsed tree of a document; dismissed with the new plan's id after a save, None
    when left."""

    DEFAULT_CSS = """
    #intake-summary { height: auto; padding: 0 1; background: $boost; }
    #intake-status { height: 1; padding: 0 1; }
    #intake-status.unresolved { background: $error 40%; }
    #intake-status.resolved { background: $success 30%; }
    #intake-tree { height: 1fr; }
    #intake-detail { height: auto; max-height: 9; padding: 0 1; border-top: solid $primary;
                     color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = key_bindings(KEYS)

    @classmethod
    def localized(cls, lang: str) -> type["IntakePreviewScreen"]:
        """A subclass whose footer and help show the key descriptions in `lang`."""
        return localized(cls, KEYS, lang)  # type: ignore[type-var]  # a Screen[str | None], not Screen[None]: `localized` only subclasses it

    def __init__(self, draft: IntakeDraft, lang: str) -> None:
        super().__init__()
        self.draft = draft
        self.lang = lang
        self.nodes: dict[str, TreeNode[str]] = {}
        self.items: dict[str, IntakeItem] = {}
        self.shape: list[tuple[str, str | None]] = []
        """(code, parent code) of every item drawn, in order."""
        self.texts: dict[str, Text] = {}
        """The line drawn for each item."""
        self.lines: dict[tuple[object, ...], Text] = {}
        """Lines made so far, by what they show."""

    @cached_property
    def captions(self) -> dict[str, str]:
        """The words of an item's line, in the UI language."""
        return {"lead": f"  {label('lead', self.lang)} ",
                "support": f"  {label('support', self.lang)} ",
                "intake_new_mark": label("intake_new_mark", self.lang),
                "intake_split_mark": label("intake_split_mark", self.lang),
                "separator": list_separator(self.lang)}

    @property
    def gateway(self) -> PlanGateway:
        """Reads and writes of the app."""
        return cast(GatewayHost, self.app).gateway

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="intake-summary", markup=False)
        yield Static("", id="intake-status", markup=False)
        tree: Tree[str] = Tree("", id="intake-tree")
        tree.show_root = False
        tree.auto_expand = False
        yield tree
        yield Static("", id="intake-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = label("intake_open_title", self.lang)
        self.sub_title = str(self.draft.path)
        self.show()
        first = self._unresolved_codes()
        self.query_one(Tree).focus()
        if first:
            self.call_after_refresh(self._go_to, first[0])

    # -- the tree -------------------------------------------------------------------------
    def show(self, keep: str | None = None) -> None:
        """Draw the tree of the plan as read now, the cursor on item `keep`. When a choice
        left the tree's shape as it was (it does, unless a name became a group whose items
        split), only the lines that changed are drawn again: a 500-item plan stays quick."""
        plan = self.draft.plan
        items = plan.items()
        shape = [(item.code, item.parent) for item in items]
        texts = {item.code: self.item_text(item) for item in items}
        self.items = {item.code: item for item in items}
        if shape == self.shape:
            for code, text in texts.items():
                if text != self.texts.get(code):
                    self.nodes[code].set_label(text)
        else:
            self._build(texts)
        self.shape, self.texts = shape, texts
        self.query_one("#intake-summary", Static).update(self._summary())
        status = self.query_one("#intake-status", Static)
        count = len(plan.unresolved)
        status.update(label("intake_unresolved_count", self.lang, n=count) if count
                      else label("intake_all_resolved", self.lang))
        status.set_class(bool(count), "unresolved")
        status.set_class(not count, "resolved")
        current = self.current
        if current is not None:  # the detail of the line under the cursor may have changed
            self.query_one("#intake-detail", Static).update(self.detail(current))
        if keep is not None and keep in self.nodes:
            self.call_after_refresh(self._go_to, keep)

    def _build(self, texts: dict[str, Text]) -> None:
        """The tree drawn afresh, every branch open."""
        tree: Tree[str] = self.query_one(Tree)
        tree.clear()
        self.nodes = {}

        def add(parent: TreeNode[str], item: IntakeItem) -> None:
            if item.children:
                node = parent.add(texts[item.code], data=item.code, expand=True)
                for child in item.children:
                    add(node, child)
            else:
                node = parent.add_leaf(texts[item.code], data=item.code)
            self.nodes[item.code] = node

        for root in self.draft.plan.roots:
            add(tree.root, root)

    def _summary(self) -> str:
        plan = self.draft.plan
        lines = [summary_lines(plan)[0].render(self.lang)]
        if plan.notes:
            lines.append(label("intake_notes_count", self.lang, n=len(plan.notes)))
        return "\n".join(lines)

    def item_text(self, item: IntakeItem) -> Text:
        """An item's line: code, title, lead, supports and time limit as read, its unresolved
        names highlighted and the units chosen for it in this preview marked. Made once for
        what it shows (a choice changes the lines of the items naming that name only)."""
        draft = self.draft
        unresolved = draft.unresolved_of(item)
        chosen = frozenset(draft.mapped.get(name, new_unit_id(name))
                           for name in draft.chosen_of(item))
        shown = (item.code, item.title, item.lead, tuple(item.supports), item.group,
                 item.lead_names[:1], tuple(unresolved), chosen, draft.plan.year,
                 item.limit.text if item.limit else None)
        text = self.lines.get(shown)
        if text is None:
            text = self.lines[shown] = self._item_text(item, set(unresolved), chosen)
        return text

    def _item_text(self, item: IntakeItem, unresolved: set[str], chosen: frozenset[str]
                   ) -> Text:
        draft = self.draft
        text = Text(f"{item.code} ", style=MUTED_STYLE)
        text.append(shorten(item.title, TITLE_CELLS))  # the detail line has it whole

        def unit(unit_id: str) -> None:
            text.append(draft.unit_name(unit_id), style=CHOSEN_STYLE if unit_id in chosen else "")
            if draft.is_new(unit_id):
                text.append(self.captions["intake_new_mark"], style=CHOSEN_STYLE)

        def part(caption: str) -> None:
            text.append(self.captions[caption], style=MUTED_STYLE)

        if item.lead_names and item.lead_names[0] in unresolved:
            part("lead")
            text.append(item.lead_names[0], style=UNRESOLVED_STYLE)
        elif item.group is not None:
            part("lead")
            unit(item.group)
            text.append(self.captions["intake_split_mark"], style=MUTED_STYLE)
        elif item.lead is not None:
            part("lead")
            unit(item.lead)
        support_unresolved = [name for name in item.support_names if name in unresolved]
        if item.supports or support_unresolved:
            part("support")
            for index, name in enumerate(support_unresolved):  # first: a long line is cut
                if index:
                    text.append(self.captions["separator"])
                text.append(name, style=UNRESOLVED_STYLE)
            for index, unit_id in enumerate(item.supports):
                if index or support_unresolved:
                    text.append(self.captions["separator"])
                unit(unit_id)
        if item.limit is not None:
            text.append(f"  {self._limit(item).render(self.lang)}", style=MUTED_STYLE)
        return text

    @staticmethod
    def _limit(item: IntakeItem) -> Msg:
        limit = item.limit
        assert limit is not None
        if limit.rule:
            return msg("intake_limit_recurring", rule=limit.text)
        if limit.ongoing:
            return msg("intake_limit_ongoing", due=limit.due)
        return msg("intake_limit_due", due=limit.due)

    def _go_to(self, code: str) -> None:
        """Put the cursor on item `code`, opening its collapsed ancestors first."""
        node = self.nodes.get(code)
        if node is None:
            return
        collapsed, parent = [], node.parent
        while parent is not None:
            if not parent.is_expanded:
                collapsed.append(parent)
            parent = parent.parent
        if collapsed:
            for ancestor in collapsed:
                ancestor.expand()
            self.call_after_refresh(self._go_to, code)  # its line is known once drawn
            return
        tree: Tree[str] = self.query_one(Tree)
        tree.move_cursor(node)
        tree.scroll_to_node(node, animate=False)

    @property
    def current(self) -> IntakeItem | None:
        """The highlighted item."""
        node = self.query_one(Tree).cursor_node
        return self.items.get(node.data) if node is not None and node.data else None

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        item = self.items.get(event.node.data or "")
        self.query_one("#intake-detail", Static).update(self.detail(item) if item else "")

    def detail(self, item: IntakeItem) -> str:
        """What the detail line says of `item`: where it was read, each name it writes and
        how it was resolved (the closest known names of an unresolved one), its time limit
        as written, and what intake did not understand there."""
        draft, lang = self.draft, self.lang
        lines = [f"{item.where.render(lang)} · {item.source or item.title}"]
        resolutions = {resolution.written: resolution for resolution in draft.plan.resolutions}
        unknowns = {unknown.written: unknown for unknown in draft.plan.unresolved}
        for name in dict.fromkeys(item.lead_names + item.support_names):
            if name in unknowns:
                lines.append(label("intake_detail_unknown", lang, written=name,
                                   closest=unknowns[name].closest))
            elif name in resolutions:
                resolution = resolutions[name]
                how = "new" if name in draft.new_names else "chosen" if name in draft.mapped \
                    else resolution.how
                lines.append(msg("intake_resolved", written=name, how=msg(f"intake_how_{how}"),
                                 units=[draft.unit_name(unit_id)
                                        for unit_id in resolution.unit_ids]).render(lang))
        if item.limit is not None:
            lines.append(msg("intake_limit", at=item.where, text=item.limit.text,
                             meaning=self._limit(item)).render(lang))
        for where, note in draft.plan.notes:
            if where in (item.where, item.names_where):
                lines.append(msg("intake_note", at=where, note=note).render(lang))
        return "\n".join(lines)

    # -- resolving names --------------------------------------------------------------------
    def _unresolved_codes(self) -> list[str]:
        """The items naming an unresolved unit, in document order."""
        return [item.code for item in self.draft.plan.items() if self.draft.unresolved_of(item)]

    def action_next_unresolved(self, step: int) -> None:
        codes = self._unresolved_codes()
        if not codes:
            self.notify(label("intake_all_resolved", self.lang))
            return
        order = list(self.items)
        current = self.current
        at = order.index(current.code) if current is not None else -1
        for offset in range(1, len(order) + 1):
            code = order[(at + step * offset) % len(order)]
            if code in codes:
                self._go_to(code)
                return

    def _name_here(self) -> str | None:
        """The first unresolved name of the highlighted item; else a warning saying so."""
        item = self.current
        names = self.draft.unresolved_of(item) if item is not None else []
        if names:
            return names[0]
        self.notify(label("intake_nothing_here", self.lang), severity="warning")
        return None

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        self.action_map()

    def action_map(self) -> None:
        name = self._name_here()
        if name is None:
            return
        unknown = next(u for u in self.draft.plan.unresolved if u.written == name)
        intro = label("intake_map_intro", self.lang, places=unknown.places,
                      closest=unknown.closest)
        dialog = FuzzyChooseDialog(label("intake_map_title", self.lang, written=name),
                                   self.unit_entries(name), intro=intro,
                                   placeholder=label("intake_filter_placeholder", self.lang),
                                   count_text=label("intake_filter_count", self.lang))
        code = self.current.code if self.current else None

        def chosen(unit_id: str | None) -> None:
            if unit_id is not None:
                self.draft.map_name(name, unit_id)
                self.show(keep=code)
                self.notify(label("intake_mapped", self.lang, written=name,
                                  unit=self.draft.unit_name(unit_id)))

        self.app.push_screen(dialog, chosen)

    def unit_entries(self, written: str) -> list[Entry]:
        """Every unit and group the name may be mapped to, closest to `written` first."""
        from rapidfuzz import fuzz, process

        registry = self.draft.registry
        entries: list[Entry] = []
        for unit in registry.units:
            shown = label("unit_choice", self.lang, name=unit.name, uid=unit.id)
            if unit.aliases:
                shown += label("intake_aliases", self.lang, names=list(unit.aliases))
            entries.append((unit.id, shown, " ".join((unit.name, unit.id, *unit.aliases))))
        for group in registry.groups:
            shown = label("intake_group_choice", self.lang, name=group.name, uid=group.id,
                          n=len(group.members))
            entries.append((group.id, shown, " ".join((group.name, group.id, *group.aliases))))
        names = [matched.split(" ")[0] for _, _, matched in entries]
        scores = process.extract(written, names, scorer=fuzz.ratio, limit=None)
        return [entries[index] for _, _, index in sorted(scores, key=lambda s: (-s[1], s[2]))]

    def action_new_unit(self) -> None:
        name = self._name_here()
        if name is None:
            return
        code = self.current.code if self.current else None
        unit_id = self.draft.accept_new(name)
        self.show(keep=code)
        self.notify(label("intake_accepted_new", self.lang, written=name, uid=unit_id))

    def action_undo(self) -> None:
        item = self.current
        names = self.draft.chosen_of(item) if item is not None else []
        if item is None or not names:
            self.notify(label("intake_nothing_to_undo", self.lang), severity="warning")
            return
        self.draft.forget(names)
        self.show(keep=item.code)
        self.notify(label("intake_undone", self.lang, names=names))

    # -- saving and leaving -------------------------------------------------------------
    def action_save(self) -> None:
        count = len(self.draft.plan.unresolved)
        if count:
            self.notify(label("intake_still_unresolved", self.lang, n=count),
                        severity="warning")
            return
        lang, draft = self.lang, self.draft
        taken = {plan.code for plan in draft.plans}
        none = label("unit_none", lang)
        parents = ((none, ""), *((f"{plan.code}  {plan.title}", plan.code)
                                 for plan in draft.plans))

        def save(values: dict[str, object]) -> Outcome:
            plan_id = str(values["id"]).strip()
            if not PLAN_ID.fullmatch(plan_id) or plan_id == "all":
                raise PlannerError("intake_plan_id_bad", value=plan_id)
            if plan_id in taken:
                raise PlannerError("plan_id_taken", plan=plan_id)
            year = _year(values["year"], required=True)
            assert year is not None
            draft.with_year(year)
            return self.gateway.write_intake(draft, plan_id, str(values["parent"]) or None)

        dialog: WorkingForm[Outcome] = WorkingForm(
            label("intake_save_title", lang),
            [Field("id", label("intake_save_id", lang), default_plan_id(draft.plan)),
             Field("parent", label("intake_save_parent", lang), "", parents),
             Field("year", label("intake_save_year", lang), str(draft.plan.year))],
            save, lang=lang, busy=label("intake_saving", lang), writes=True)
        code = self.current.code if self.current else None

        def saved(outcome: Outcome | None) -> None:
            if outcome is None:
                self.show(keep=code)  # the year may have changed the dates shown
                return
            self.notify(outcome.message, timeout=8)
            self.dismiss(outcome.code)

        self.app.push_screen(dialog, saved)

    def action_leave(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        rows = help_rows(KEYS, self.lang)
        rows += [("Enter", label("key_intake_map", self.lang)), ("↑↓", "↑↓"),
                 ("Space", "▸/▾")]
        self.app.push_screen(HelpDialog(label("bindings", self.lang), rows))
