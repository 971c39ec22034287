"""督办 and 催办 notices (督办通知单, 催办通知单): their kinds, how a number is written
(督办〔2026〕3号), and which items a coordinator would put in one (pure)."""

from enum import StrEnum

from planner.core.errors import PlannerError
from planner.core.rollup import Colour


class NoticeKind(StrEnum):
    """A notice's kind, as stored in `notice.kind`; each kind numbers its own series."""

    SUPERVISE = "supervise"  # 督办
    URGE = "urge"  # 催办

    @property
    def prefix(self) -> str:
        """The series' name in its numbers: 督办, 催办 (the official form in any language)."""
        return _PREFIX[self]


_PREFIX = {NoticeKind.SUPERVISE: "督办", NoticeKind.URGE: "催办"}
_KIND_NAMES = {"督办": NoticeKind.SUPERVISE, "supervise": NoticeKind.SUPERVISE,
               "催办": NoticeKind.URGE, "urge": NoticeKind.URGE}
#: The warnings that put an open item into a unit's notice when the items are not named:
#: a 督办 takes the overdue, the lagging and those due soon; a 催办 (a unit already late)
#: only the overdue and the lagging.
DUE_COLOURS: dict[NoticeKind, frozenset[Colour]] = {
    NoticeKind.SUPERVISE: frozenset({Colour.RED, Colour.YELLOW, Colour.BLUE}),
    NoticeKind.URGE: frozenset({Colour.RED, Colour.YELLOW}),
}
#: Working days a unit has to answer a notice, unless the coordinator says otherwise.
DEFAULT_FEEDBACK_DAYS = 5
MAX_FEEDBACK_DAYS = 250


def parse_kind(text: str) -> NoticeKind:
    """督办 or 催办 (or supervise, urge); anything else is refused naming the choices."""
    kind = _KIND_NAMES.get(text.strip().lower())
    if kind is None:
        raise PlannerError("notice_bad_kind", kind=text, kinds=list(_KIND_NAMES))
    return kind


def notice_number(kind: NoticeKind, year: int, serial: int) -> str:
    """The notice's number as printed under the 版头: 督办〔2026〕3号."""
    return f"{kind.prefix}〔{year}〕{serial}号"


def numbers_span(kind: NoticeKind, year: int, serials: list[int]) -> str:
    """The numbers of notices issued together, for a file name: 督办〔2026〕3号, or
    督办〔2026〕3-5号 for a run of them."""
    first, last = min(serials), max(serials)
    return notice_number(kind, year, first) if first == last \
        else f"{kind.prefix}〔{year}〕{first}-{last}号"
