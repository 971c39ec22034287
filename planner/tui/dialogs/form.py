"""One modal form for every dialog: fields, a validator, and a typed result."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from planner.core.errors import PlannerError
from planner.i18n import label
from planner.tui.dialogs.frame import DialogScreen

T = TypeVar("T")
SHORT_TERMINAL = 32


@dataclass(frozen=True, slots=True)
class Field:
    """A form field: a text input, a single choice (`options`) or many (`multi`)."""

    key: str
    caption: str
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()
    multi: bool = False
    selected: frozenset[str] = field(default_factory=frozenset)
    placeholder: str = ""


class FormDialog(DialogScreen[T | None], Generic[T]):
    """A modal form; Save runs `validate` on the values and dismisses with its result."""

    DEFAULT_CSS = """
    #dialog-fields {
        height: auto;
        max-height: 60vh;
    }
    /* On a short terminal the fields scroll, so Save and the error line stay on screen. */
    FormDialog.short #dialog-fields {
        max-height: 30vh;
    }
    .field-caption {
        color: $text-muted;
    }
    #dialog SelectionList {
        height: auto;
        max-height: 9;  /* every status (7) inside the list's border */
    }
    #dialog-buttons {
        height: auto;
        margin-top: 1;
    }
    #dialog-buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "save", show=False),
    ]

    def __init__(self, title: str, fields: list[Field],
                 validate: Callable[[dict[str, object]], T], *, lang: str,
                 intro: str = "", save_caption: str | None = None) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.validate = validate
        self.lang = lang
        self.intro = intro
        self.save_caption = save_caption or label("save", lang)

    @classmethod
    def ask(cls, app: App[object], title: str,
            form: tuple[list[Field], Callable[[dict[str, object]], T]],
            then: Callable[[T], object], *, lang: str, intro: str = "") -> None:
        """Open a form built by a `*_form` function; call `then` with its result unless
        cancelled."""
        fields, validate = form
        dialog: FormDialog[T] = cls(title, fields, validate, lang=lang, intro=intro)

        def answered(result: T | None) -> None:
            if result is not None:
                then(result)

        app.push_screen(dialog, answered)

    def on_mount(self) -> None:
        self.on_resize()

    def on_resize(self) -> None:
        """On a short terminal the fields scroll, so Save and the error line stay visible."""
        self.set_class(self.app.size.height < SHORT_TERMINAL, "short")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.form_title, id="dialog-title", markup=False)
            if self.intro:
                yield Static(self.intro, id="dialog-intro", markup=False)
            fields_box = VerticalScroll(id="dialog-fields")
            fields_box.can_focus = False  # focus starts on the first field, not its container
            with fields_box:
                for spec in self.fields:
                    yield Label(spec.caption, classes="field-caption", markup=False)
                    yield self._field_widget(spec)
            yield Label("", id="dialog-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(self.save_caption, variant="primary", id="save")
                yield Button(label("cancel", self.lang), id="cancel")

    @staticmethod
    def _field_widget(spec: Field) -> Input | Select[str] | SelectionList[str]:
        if spec.multi:
            return SelectionList[str](
                *((text, value, value in spec.selected) for text, value in spec.options),
                id=f"field-{spec.key}")
        if spec.options:
            return Select(list(spec.options), value=spec.value or spec.options[0][1],
                          allow_blank=False, id=f"field-{spec.key}")
        return Input(spec.value, placeholder=spec.placeholder, id=f"field-{spec.key}")

    def values(self) -> dict[str, object]:
        """Current values: text for inputs and selects, a list for multi-selects."""
        result: dict[str, object] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.key}")
            if isinstance(widget, SelectionList):
                result[spec.key] = list(widget.selected)
            elif isinstance(widget, Select):
                result[spec.key] = str(widget.value)
            elif isinstance(widget, Input):
                result[spec.key] = widget.value.strip()
        return result

    def action_save(self) -> None:
        try:
            result = self.validate(self.values())
        except PlannerError as exc:
            self.query_one("#dialog-error", Label).update(exc.message(self.lang))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
