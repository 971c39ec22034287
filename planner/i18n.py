"""The one message catalogue: every label, message and error, in Simplified Chinese (default)
and English, by key.

A keyed module rather than gettext catalogues: there is no compile step, a message and its
translation sit side by side where a reviewer sees both, and tests/core/test_catalogue.py
checks every key has both languages with the same placeholders and no CJK in the English.
Entries are grouped in one dict per layer; `LABELS` is their union (keys never repeat).
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

Catalogue = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Msg:
    """A message by key with its parameters: rendered in the reader's language when shown.

    Parameters may themselves be `Msg`s (rendered in the same language) or lists and tuples
    (joined with the language's list separator)."""

    key: str
    params: dict[str, object] = dataclass_field(default_factory=dict)

    def render(self, lang: str = "zh") -> str:
        """The message in `lang`."""
        return label(self.key, lang, **self.params)


def msg(key: str, /, **params: object) -> Msg:
    """`Msg(key, params)` written as a call: `msg("unknown_unit", unit=code)`."""
    return Msg(key, params)


# Screens of the terminal UI and the labels reports share.
_SCREENS: Catalogue = {
    "code": ("编码", "Code"),
    "title": ("事项", "Item"),
    "lead": ("牵头单位", "Lead"),
    "support": ("配合单位", "Support"),
    "start": ("开始", "Start"),
    "due": ("截止", "Due"),
    "progress": ("进度", "Progress"),
    "expected": ("序时", "Expected"),
    "status": ("状态", "Status"),
    "warning": ("预警", "Warn"),
    "done_total": ("完成", "Done"),
    "flags": ("提示", "Notes"),
    "unreported": ("未报", "unreported"),
    "postponed": ("延期{n}次", "postponed ×{n}"),
    "coordination": ("需协调", "coordination"),
    "source": ("原文", "Source"),
    "description": ("说明", "Description"),
    "path": ("所属", "Under"),
    "days_left": ("剩余 {n} 天", "{n} days left"),
    "overdue_by": ("已逾期 {n} 天", "overdue by {n} days"),
    "due_today": ("今天到期", "due today"),
    "original_due": ("原定截止", "Original due"),
    "history": ("历史记录", "History"),
    "no_history": ("（暂无记录）", "(no history yet)"),
    "indicators": ("指标", "Indicators"),
    "baseline": ("基线", "Baseline"),
    "target": ("目标", "Target"),
    "latest": ("最新读数", "Latest"),
    "share": ("完成度", "Of the way"),
    "rollup_weighted": ("按权重加权平均（已取消的下级不计）", "weighted mean of children "
                        "(cancelled excluded)"),
    "rollup_leaf_count": ("按叶子事项数平均（已取消的不计）", "mean over leaf items "
                          "(cancelled excluded)"),
    "how_computed": ("进度计算", "How progress is computed"),
    "weight": ("权重", "Weight"),
    "contribution": ("占比", "Share"),
    "not_counted": ("不计入", "not counted"),
    "leaves_by_status": ("叶子事项", "Leaf items"),
    "earliest_due": ("最早未完成截止", "Earliest open due"),
    "coordination_reason": ("需协调事项", "Needs coordination"),
    "today": ("今天", "Today"),
    "plan": ("计划", "Plan"),
    "none": ("无", "none"),
    "due_change": ("截止日期 {old} → {new}", "due {old} → {new}"),
    "reason": ("原因", "reason"),
    "items": ("项", "items"),
    "direction_up": ("越高越好", "higher is better"),
    "direction_down": ("越低越好", "lower is better"),
    # terminal UI
    "key_update": ("更新", "Update"),
    "key_find": ("查找", "Find"),
    "key_filter": ("筛选", "Filter"),
    "key_clear": ("清除筛选", "Clear filter"),
    "key_help": ("帮助", "Help"),
    "key_quit": ("退出", "Quit"),
    "key_next_warning": ("下一个红/黄", "Next red/yellow"),
    "key_prev_warning": ("上一个红/黄", "Previous red/yellow"),
    "key_expand_all": ("全部展开", "Expand all"),
    "key_collapse_all": ("全部折叠", "Collapse all"),
    "key_add_child": ("添加下级", "Add child"),
    "key_add_sibling": ("添加同级", "Add sibling"),
    "key_edit": ("编辑", "Edit"),
    "key_move_up": ("上移", "Move up"),
    "key_move_down": ("下移", "Move down"),
    "key_reparent": ("移到其他上级", "Move to parent"),
    "key_delete": ("删除", "Delete"),
    "key_flag": ("标记需协调", "Flag coordination"),
    "key_reading": ("记录指标读数", "Record reading"),
    "key_due": ("调整截止日期", "Move deadline"),
    "key_reload": ("刷新", "Reload"),
    "key_report": ("本周周报", "Weekly report"),
    "report_writing": ("正在生成本周周报…", "Writing this week's report…"),
    "report_written": ("周报已写入 {path}", "weekly report written to {path}"),
    "key_detail": ("详情栏", "Detail pane"),
    "loading": ("正在载入…", "Loading…"),
    "save": ("保存", "Save"),
    "cancel": ("取消", "Cancel"),
    "note": ("进展说明", "Note"),
    "reporting_unit": ("报送单位", "Reporting unit"),
    "saved": ("已保存", "Saved"),
    "conflict": ("保存冲突", "Conflict"),
    "error": ("错误", "Error"),
    "filter_on": ("筛选", "Filter"),
    "search": ("搜索", "Search"),
    "search_placeholder": ("输入编码、事项或单位名称…（Esc 关闭）",
                           "code, title or unit name… (Esc closes)"),
    "matches": ("匹配 {n} 项", "{n} matching"),
    "esc_clears": ("Esc 清除", "Esc clears"),
    "unit_any": ("（任意单位）", "(any unit)"),
    "colours": ("预警颜色", "Warning colours"),
    "statuses": ("状态", "Statuses"),
    "due_within": ("N 天内到期", "Due within N days"),
    "needs_coordination": ("仅需协调事项", "Needs coordination only"),
    "apply": ("应用", "Apply"),
    "bad_number": ("请输入 0–100 之间的数字", "enter a number from 0 to 100"),
    "bad_days": ("请输入非负整数天数", "enter a whole number of days"),
    "nothing_to_save": ("没有需要记录的内容", "nothing to record"),
    "value": ("读数", "Value"),
    "date": ("日期", "Date"),
    "data_source": ("数据来源", "Source"),
    "no_indicators": ("该事项没有关联指标", "this item has no indicators"),
    "indicator": ("指标", "Indicator"),
    "code_optional": ("编码（留空自动生成）", "Code (blank: automatic)"),
    "support_ids": ("配合单位 id（逗号分隔）", "Supporting unit ids (comma-separated)"),
    "new_parent": ("新上级编码（留空为顶层）", "New parent code (blank: top level)"),
    "confirm_delete": ("确认删除 {code} {title}？有历史记录的事项将归档而不是删除。",
                       "Delete {code} {title}? Items with history are archived, not destroyed."),
    "deleted": ("已删除 {code}", "deleted {code}"),
    "archived": ("已归档 {code}（有历史记录）", "archived {code} (it has history)"),
    "yes": ("确定", "Yes"),
    "no": ("取消", "No"),
    "flag_reason": ("需协调原因（留空则取消标记）", "Reason (blank clears the flag)"),
    "due_new": ("新截止日期", "New due date"),
    "changed_elsewhere": ("数据已由他人更新，已刷新", "data changed elsewhere: reloaded"),
    "bindings": ("按键", "Keys"),
    "no_match": ("没有更多红/黄事项", "no more red/yellow items"),
    # meetings screen (联席会议)
    "key_meetings": ("联席会议", "Meetings"),
    "key_back": ("返回", "Back"),
    "key_meeting_new": ("新建会议", "New meeting"),
    "key_agenda_build": ("生成议程", "Build agenda"),
    "key_agenda_toggle": ("列入/不列入", "Include/exclude"),
    "key_entry_up": ("议题上移", "Entry up"),
    "key_entry_down": ("议题下移", "Entry down"),
    "key_entry_add": ("添加议题", "Add entry"),
    "key_decision": ("记录决定", "Record decision"),
    "key_meeting_print": ("打印议程/纪要", "Print agenda/minutes"),
    "meetings": ("会议", "Meetings"),
    "agenda": ("议程", "Agenda"),
    "meeting_planned": ("待召开", "planned"),
    "meeting_held": ("已召开", "held"),
    "kind_joint": ("联席会议", "joint"),
    "kind_office": ("办公会", "office"),
    "meeting_date": ("会议日期", "Date"),
    "meeting_date_hint": ("如 2021-07-20 或 2021年7月20日", "e.g. 2021-07-20"),
    "meeting_title": ("会议名称", "Title"),
    "meeting_kind": ("会议类型", "Kind"),
    "meeting_length": ("时长（分钟，15–600）", "Length (minutes, 15–600)"),
    "meeting_created": ("已创建会议 {id}：{on} {title}", "meeting {id} created: {on} {title}"),
    "meeting_past": ("会议日期 {on} 已过（今天 {today}）",
                     "the meeting date {on} is in the past (today is {today})"),
    "meeting_title_needed": ("会议名称不能为空", "the meeting needs a title"),
    "meeting_bad_length": ("会议时长应为 15–600 之间的整数分钟",
                           "the length must be a whole number of minutes, 15 to 600"),
    "no_meetings": ("还没有会议：按 n 新建", "no meetings yet: press n to create one"),
    "no_meeting_selected": ("请先选择或新建一个会议", "select or create a meeting first"),
    "no_agenda": ("尚无议程：按 p 根据需协调、逾期、滞后和近期到期事项生成",
                  "no agenda yet: press p to propose one from coordination, overdue, "
                  "lagging and due items"),
    "no_entry_selected": ("请先选择一个议题", "select an agenda entry first"),
    "agenda_built": ("议程已生成：{n} 项", "agenda built: {n} entries"),
    "agenda_refreshed": ("议程已刷新：{n} 项", "agenda refreshed: {n} entries"),
    "entry_included": ("议题 {n} 已列入", "entry {n} included"),
    "entry_excluded": ("议题 {n} 不列入", "entry {n} excluded"),
    "entry_added": ("已添加议题 {n}", "entry {n} added"),
    "minutes_total": ("合计 {used} / {length} 分钟", "{used} / {length} minutes"),
    "excluded_count": ("不列入 {n} 项", "{n} excluded"),
    "decisions_count": ("决定 {n} 项", "{n} decisions"),
    "col_no": ("序号", "No."),
    "col_section": ("类别", "Section"),
    "col_topic": ("议题", "Topic"),
    "col_presenter": ("汇报", "Presenter"),
    "col_items": ("事项", "Items"),
    "col_minutes": ("分钟", "Min"),
    "entry_title": ("议题", "Topic"),
    "entry_minutes": ("时间（分钟，留空则自动分配）", "Minutes (blank: shared out)"),
    "entry_presenter": ("汇报单位（可选）", "Presenting unit (optional)"),
    "entry_title_needed": ("议题不能为空", "the entry needs a title"),
    "entry_bad_minutes": ("时间应为 1–{length} 之间的整数分钟",
                          "minutes must be a whole number from 1 to {length}"),
    "unit_none": ("（无）", "(none)"),
    "decision_about": ("关于议题 {n}：{title}", "About entry {n}: {title}"),
    "decision_text": ("决定内容", "Decision"),
    "action_title": ("交办事项（可选，留空则不交办）", "Action item (optional)"),
    "action_lead": ("交办事项牵头单位", "Action item lead unit"),
    "action_due": ("交办事项截止日期", "Action item due date"),
    "decision_text_needed": ("决定内容不能为空", "the decision needs a text"),
    "action_title_needed": ("填写了截止日期或配合单位，请同时填写交办事项",
                            "a due date or supporting units need an action item title"),
    "action_due_needed": ("交办事项需要截止日期", "an action item needs a due date"),
    "action_due_early": ("交办事项截止日期 {due} 早于会议日期 {on}",
                         "due {due} is before the meeting ({on})"),
    "unknown_unit": ("未知单位“{unit}”", 'unknown unit "{unit}"'),
    "decision_saved": ("已记录决定；交办事项：{codes}", "decision recorded; action items: {codes}"),
    "meeting_printed": ("{what}已写入 {path}", "{what} written to {path}"),
    "print_agenda": ("议程", "agenda"),
    "print_minutes": ("会议纪要", "minutes"),
    "section_followup": ("决定落实", "follow-up"),
    "section_coordination": ("需协调", "coordinate"),
    "section_red": ("逾期", "overdue"),
    "section_yellow": ("滞后", "lagging"),
    "section_indicators": ("指标", "indicator"),
    "section_deadlines": ("近期到期", "due soon"),
    "section_free": ("其他", "other"),
    "connection_lost": ("数据库连接中断，正在重试……", "connection lost, retrying…"),
    "connection_back": ("数据库连接已恢复", "connection restored"),
}

# core/: dates, text rules, statuses, recurrence, rollups.
_CORE: Catalogue = {
}

# store/: database errors explained, PostgreSQL roles and access, migrations.
_STORE: Catalogue = {
    "store_no_plan": ("数据库中还没有计划，请先运行 planner init 或 planner import FILE",
                      "the database holds no plan yet: run `planner init` or "
                      "`planner import FILE` first"),
    "store_no_item": ("没有编码为 {code} 的事项", "no item with code {code}"),
}

# services/ reading files: plan files, backups and restores.
_PLAN_FILES: Catalogue = {
}

# services/ recording work: ledger, users and access, edits and updates, meetings and agendas.
_RECORDS: Catalogue = {
}

# reports/: weekly report, ledger workbook, meeting papers, item detail.
_REPORTS: Catalogue = {
}

# cli/: command help, arguments, what each command prints.
_COMMANDS: Catalogue = {
}

_GROUPS: tuple[Catalogue, ...] = (_SCREENS, _CORE, _STORE, _PLAN_FILES, _RECORDS, _REPORTS,
                                  _COMMANDS)
LABELS: Catalogue = {key: pair for group in _GROUPS for key, pair in group.items()}


def localised(value: object, lang: str = "zh") -> object:
    """A message parameter as shown in `lang`: a `Msg` rendered, a list joined."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return list_separator(lang).join(str(localised(part, lang)) for part in value)
    return value


def label(key: str, lang: str = "zh", **values: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled from `values`."""
    zh, en = LABELS[key]
    text = en if lang == "en" else zh
    if not values:
        return text
    return text.format(**{name: localised(value, lang) for name, value in values.items()})


def field(key: str, lang: str = "zh") -> str:
    """A label followed by the language's colon: 牵头单位： / Lead: ."""
    return label(key, lang) + (": " if lang == "en" else "：")


def paren(text: str, lang: str = "zh") -> str:
    """Text in the language's brackets: （…） / (…)."""
    return f" ({text})" if lang == "en" else f"（{text}）"


def list_separator(lang: str = "zh") -> str:
    """、 between list items in Chinese, a comma in English."""
    return ", " if lang == "en" else "、"
