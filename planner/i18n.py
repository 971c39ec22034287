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
    "key_switch_plan": ("切换计划", "Switch plan"),
    "key_follow_link": ("跳转关联事项", "Go to linked item"),
    "choose_plan": ("选择计划", "Choose a plan"),
    "choose_link": ("选择关联事项", "Choose a linked item"),
    "no_links": ("该事项没有与其他计划关联", "this item has no links to other plans"),
    "title_closed": ("（已关闭，只读）", " (closed, read-only)"),
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
    # terminal UI: forms, filter bar, notifications, meetings screen (issue 11)
    "form_reading_number": ("读数必须是数字", "the reading must be a number"),
    "form_title_needed": ("标题不能为空", "the title must not be empty"),
    "form_weight_positive": ("权重必须是正数", "the weight must be a positive number"),
    "form_due_reason_needed": ("调整截止日期必须说明原因", "changing a due date needs a reason"),
    "indicator_choice": ("{code} {name}（{unit}）", "{code} {name} ({unit})"),
    "unit_choice": ("{name}（{uid}）", "{name} ({uid})"),
    "weekly_file_name": ("周报-{week}.html", "weekly-{week}.html"),
    "reading_saved": ("{code} 已保存：{value}", "{code} Saved: {value}"),
    "update_saved": ("{code} 已保存：{status} {progress}%", "{code} Saved: {status} {progress}%"),
    "filter_search": ("搜索“{text}”", 'Search "{text}"'),
    "filter_separator": ("，", ", "),
    "help_palette": ("命令面板 / command palette", "command palette"),
    "meeting_heading": ("{on} {title}（{status}）", "{on} {title} ({status})"),
    "decisions_with_codes": ("决定 {n} 项：{codes}", "{n} decisions: {codes}"),
    "key_inbox": ("督办待办", "Inbox"),
    "key_inbox_approve": ("同意", "Approve"),
    "key_inbox_reject": ("驳回", "Reject"),
    "key_inbox_reassign": ("交办", "Reassign"),
    "key_inbox_urge": ("催办", "Urge"),
    "inbox_col_id": ("编号", "Id"),
    "inbox_col_date": ("日期", "Date"),
    "inbox_col_what": ("事由", "Waiting"),
    "inbox_col_item": ("事项", "Item"),
    "inbox_col_unit": ("单位", "Unit"),
    "inbox_col_detail": ("内容", "Detail"),
    "inbox_count": ("共 {n} 件待处理", "{n} waiting"),
    "inbox_key_not_for": ("此键不适用于：{what}", "this key does not apply to: {what}"),
    "plan_reading": ("正在读取整个计划，请稍候…", "Reading the whole plan, one moment…"),
    "rollup_follow_annual": ("跟随落实事项：按权重加权平均（已取消、已结转的不计）",
                             "follows the items carrying it out: weighted mean "
                             "(cancelled and carried over excluded)"),
    # terminal UI: a plan document taken in, previewed and saved as a new plan (issue 14)
    "key_intake": ("读入计划文档", "Take in a plan document"),
    "key_intake_next": ("下一个未识别单位", "Next unresolved name"),
    "key_intake_prev": ("上一个未识别单位", "Previous unresolved name"),
    "key_intake_map": ("对应到已知单位", "Map to a known unit"),
    "key_intake_new_unit": ("作为新单位", "Accept as a new unit"),
    "key_intake_undo": ("撤销本项的对应", "Undo this item's choices"),
    "key_intake_save": ("保存为新计划", "Save as a new plan"),
    "key_intake_leave": ("放弃并返回", "Leave, saving nothing"),
    "intake_open_title": ("读入计划文档", "Take in a plan document"),
    "intake_open_path": ("文件路径（.docx、.xlsx、.txt、.md）",
                         "File path (.docx, .xlsx, .txt, .md)"),
    "intake_open_placeholder": ("例如 ~/文档/2026年推进计划.docx",
                                "e.g. ~/Documents/plan-2026.docx"),
    "intake_open_year": ("年份（标题中没有年份时填写，可留空）",
                         "Year (when the title names none; may be left blank)"),
    "intake_open": ("打开", "Open"),
    "intake_reading": ("正在读取……", "Reading…"),
    "intake_saving": ("正在保存……", "Saving…"),
    "intake_path_needed": ("请填写文件路径", "enter the file's path"),
    "intake_year_bad": ("年份应为四位数字，如 2026", "the year must be four digits, e.g. 2026"),
    "intake_tui_no_year": ('标题"{title}"中没有年份：请在"年份"中填写',
                           'the title "{title}" names no year: enter it under Year'),
    "intake_unresolved_count": ("{n} 个单位名称未识别（红底）：n 跳到下一个，Enter 对应到已知单位，"
                                "a 作为新单位",
                                "{n} unit names unresolved (on red): n goes to the next, Enter "
                                "maps it to a known unit, a accepts it as new"),
    "intake_all_resolved": ("单位名称已全部识别：按 s 保存为新计划",
                            "every unit name is resolved: s saves the plan as a new one"),
    "intake_notes_count": ("另有 {n} 处未读懂（见各项详情）",
                           "{n} places not understood (see each item's detail)"),
    "intake_new_mark": ("（新单位）", " (new unit)"),
    "intake_split_mark": ("（分解到各成员）", " (split among its members)"),
    "intake_detail_unknown": ('"{written}"未识别；最接近的已知名称：{closest}',
                              '"{written}" unresolved; closest known names: {closest}'),
    "intake_nothing_here": ("此事项没有未识别的单位名称：按 n 跳到下一个",
                            "this item names no unresolved unit: n goes to the next"),
    "intake_map_title": ('"{written}"对应到', 'Map "{written}" to'),
    "intake_map_intro": ("出现在：{places}；最接近：{closest}",
                         "occurs at: {places}; closest: {closest}"),
    "intake_filter_placeholder": ("输入名称、简称或 id 筛选",
                                  "type a name, short name or id to filter"),
    "intake_filter_count": ("{shown} / {total} 项", "{shown} of {total}"),
    "intake_aliases": ("，简称：{names}", "; also: {names}"),
    "intake_group_choice": ("{name}（{uid}，单位组，{n} 个成员）",
                            "{name} ({uid}, group of {n})"),
    "intake_mapped": ('"{written}" → {unit}', '"{written}" -> {unit}'),
    "intake_accepted_new": ('"{written}"作为新单位（id {uid}）',
                            '"{written}" accepted as a new unit (id {uid})'),
    "intake_nothing_to_undo": ("此事项的单位名称没有在本次预览中对应过",
                               "none of this item's names was chosen in this preview"),
    "intake_undone": ("已撤销：{names}", "undone: {names}"),
    "intake_still_unresolved": ("还有 {n} 个单位名称未识别，不能保存",
                                "{n} unit names are still unresolved: nothing saved"),
    "intake_save_title": ("保存为新计划", "Save as a new plan"),
    "intake_save_id": ("计划 id（字母、数字、- 或汉字）",
                       "Plan id (letters, digits, - or Chinese)"),
    "intake_save_parent": ("所落实的上级计划（可选）", "Plan it carries out (optional)"),
    "intake_save_year": ("年份", "Year"),
    "intake_plan_id_bad": ('计划 id "{value}" 无效：只能用字母、数字、- 或汉字，最多 32 个字符',
                           'plan id "{value}" is not valid: letters, digits, - or Chinese, '
                           "at most 32 characters"),
    "intake_how_chosen": ("本次预览中对应", "chosen in this preview"),
    "key_notice": ("督办/催办通知单", "Notice"),
    "notice_form_title": ("{code} 发通知单给 {unit}", "{code}: notice to {unit}"),
    "notice_form_kind": ("种类", "Kind"),
    "notice_form_path": ("文件（.docx 或 .pdf）", "File (.docx or .pdf)"),
    "notice_form_path_default": ("留空：按编号命名，存入报告目录",
                                 "empty: named by its number, in the report folder"),
    "key_chart": ("趋势图", "Chart"),
    "key_assessment": ("考核评分", "Assessment"),
    "key_chart_zoom": ("全期/截至今日", "Whole period/to today"),
    "chart_title": ("{code} {title} · 趋势图", "{code} {title} · chart"),
    "chart_loading": ("正在读取进度记录…", "Reading the history…"),
    "chart_progress": ("实际进度与序时进度（%）", "Progress against time elapsed (%)"),
    "chart_actual": ("实际进度", "progress"),
    "chart_expected": ("序时进度", "time elapsed"),
    "chart_progress_summary": (
        "{start} 至 {end} · 截至 {today}：实际进度 {progress}%，序时进度 {expected}% · "
        "进度记录 {n} 条",
        "{start} to {end} · on {today}: progress {progress}%, time elapsed {expected}% · "
        "{n} recorded changes"),
    "chart_no_history": (
        "尚无进度记录：{code} 自 {start} 起未报送过进度（当前进度 {progress}%，"
        "序时进度 {expected}%）。报送进度后即可绘制趋势。",
        "No progress recorded yet: {code} has had no report since {start} (progress "
        "{progress}%, time elapsed {expected}%). The chart appears after the first report."),
    "chart_indicator": ("指标 {code} {name}（{unit}）：基期值 {baseline} → 目标值 {target}",
                        "Indicator {code} {name} ({unit}): baseline {baseline} → target "
                        "{target}"),
    "chart_readings": ("实测值", "readings"),
    "chart_path": ("目标路径", "target path"),
    "chart_no_target": ("未设目标值", "no target set"),
    "chart_no_readings": ("尚无实测值：图中仅有目标路径。",
                          "No reading recorded yet: only the target path is drawn."),
    "assess_screen_period": ("考核期 {start} 至 {end}（本年度截至今日，默认规则）",
                             "Period {start} to {end} (the year to date, default rules)"),
    "assess_none": ("本期无参加考核的单位。", "No unit is assessed in this period."),
    "chart_score": ("{unit} · 累计得分（按月）", "{unit} · cumulative score by month"),
    "chart_score_line": ("累计得分", "score"),
}

# core/: dates, text rules, statuses, recurrence, rollups.
_CORE: Catalogue = {
    "message": ("{message}", "{message}"),  # an inner error's message, located anew
    # statuses, warning colours (Status.label, Colour.label)
    "status_not_started": ("未启动", "not started"),
    "status_in_progress": ("推进中", "in progress"),
    "status_blocked": ("受阻", "blocked"),
    "status_done": ("已完成", "done"),
    "status_closed": ("已销号", "closed"),
    "status_cancelled": ("已取消", "cancelled"),
    "status_carried_over": ("已结转", "carried over"),
    "status_ref": ("{status.zh}", "{status.value}"),
    "status_choice": ("{status.value}/{status.zh}", "{status.value}"),
    "status_unknown": ('未知状态"{text}"，可选：{choices}', 'unknown status "{text}"; one of: '
                       "{choices}"),
    "status_change_not_allowed": ("不允许的状态变更：{old.zh} → {new.zh}（可变更为：{allowed}）",
                                  "status change not allowed: {old.value} → {new.value} "
                                  "(allowed: {allowed})"),
    "status_done_at_100": ("{status.zh}的事项进度应为 100%（给出的是 {progress:g}%）",
                           "a {status.value} item is at 100% (got {progress:g}%)"),
    "status_has_children": ("事项 {code} 有下级事项（汇总项）：其状态和进度由下级汇总，"
                            "不能直接填写，请填报具体的下级事项",
                            "item {code} has children: its status and progress are rolled up "
                            "from them and cannot be set; report on its child items instead"),
    "colour_green": ("绿", "green"),
    "colour_blue": ("蓝", "blue"),
    "colour_yellow": ("黄", "yellow"),
    "colour_red": ("红", "red"),
    # dates
    "date_long": ("{day.year}年{day.month}月{day.day}日", "{day:%Y-%m-%d}"),
    "date_unrecognised": ('无法识别的日期"{text}"', 'unrecognised date "{text}"'),
    "date_no_such": ('日期不存在"{text}"', 'no such date "{text}"'),
    "date_relative_needs_today": ('相对日期"{text}"需要给定今天的日期',
                                  'relative date "{text}" needs today\'s date'),
    "date_recorded_range": ("日期应在 {first}–{last} 年之间（{day}）",
                            "the date must fall in {first}–{last} ({day})"),
    # recurrence
    "recur_year_suffix": ("（{year}年）", " ({year})"),
    "recur_day_suffix": ("（{day}）", " ({day})"),
    "recur_bad_duration": ("重复事项的持续天数必须≥1（{days}）",
                           "repeat duration must be at least 1 day ({days})"),
    "recur_sub_daily": ('重复规则"{rule}"的频率过细，最细为每天（DAILY）',
                        'repeat rule "{rule}" is finer than daily (DAILY is the finest)'),
    "recur_unparsable": ('无法解析的重复规则"{rule}"：{detail}',
                         'invalid repeat rule "{rule}": {detail}'),
    "recur_twice_a_day": ('重复规则"{rule}"在{day}产生多次，每天至多一次',
                          'repeat rule "{rule}" yields more than one occurrence on {day}; at '
                          "most one a day"),
    "recur_too_many": ('重复规则"{rule}"在计划期内产生超过{limit}次',
                       'repeat rule "{rule}" yields more than {limit} occurrences'),
    # user text (core/text.py): the fields' names, then the refusals
    "field_code": ("编码", "code"),
    "field_unit_id": ("单位 id", "unit id"),
    "field_user_name": ("用户名（--as）", "user name (--as)"),
    "field_title": ("标题", "title"),
    "field_unit_name": ("单位名称", "unit name"),
    "field_meeting_title": ("会议名称", "meeting title"),
    "field_entry_title": ("议题", "agenda entry"),
    "field_reading_source": ("数据来源", "reading source"),
    "field_note": ("进展说明", "note"),
    "field_due_reason": ("调整原因", "reason"),
    "field_coordination_reason": ("需协调原因", "coordination reason"),
    "field_decision": ("决定内容", "decision"),
    "field_entry_detail": ("议题说明", "entry detail"),
    "field_description": ("描述", "description"),
    "field_reading": ("读数", "reading"),
    "text_undecodable_byte": ("{field}不是有效的 UTF-8 文本（第 {position} 个字符是无法解码的字节 "
                              "0x{byte:02X}）",
                              "the {field} is not valid UTF-8 (character {position} is the "
                              "undecodable byte 0x{byte:02X})"),
    "text_lone_surrogate": ("{field}不是有效的 UTF-8 文本（第 {position} 个字符 {point} 是孤立的"
                            "代理字符）",
                            "the {field} is not valid UTF-8 (character {position}, {point}, is "
                            "a lone surrogate)"),
    "text_tab": ("制表符", "a tab"),
    "text_line_break": ("换行", "a line break"),
    "text_one_line": ("{field}只能是一行：第 {position} 个字符是{kind}",
                      "the {field} must be one line: character {position} is {kind}"),
    "text_control_char": ("{field}含有不允许的控制字符 {point}（第 {position} 个字符）",
                          "the {field} contains a control character that is not allowed: "
                          "{point} at character {position}"),
    "text_too_long": ("{field}过长：{length:,} 个字符（最多 {limit:,} 个）",
                      "the {field} is too long: {length:,} characters (at most {limit:,})"),
    "measure_out_of_range": ("{what}必须是绝对值不超过 {limit:g} 的有限数字（实际 {value}）",
                             "the {what} must be a finite number within ±{limit:g} (got "
                             "{value})"),
    "cycle_kind_assign": ("交办", "assignment"),
    "cycle_kind_ack": ("签收", "acknowledgement"),
    "cycle_kind_return": ("退办", "return"),
    "cycle_kind_extend_request": ("延期申请", "extension request"),
    "cycle_kind_extend_approve": ("同意延期", "extension approved"),
    "cycle_kind_extend_reject": ("不同意延期", "extension rejected"),
    "cycle_kind_done_request": ("办结申请", "completion report"),
    "cycle_kind_done_accept": ("复核通过（销号）", "completion accepted (closed)"),
    "cycle_kind_done_send_back": ("复核退回", "completion sent back"),
    "cycle_kind_urge": ("催办", "reminder"),
    "cycle_state_new": ("未交办", "not assigned"),
    "cycle_state_awaiting_ack": ("待签收", "awaiting acknowledgement"),
    "cycle_state_returned": ("已退办、待重新交办", "returned, awaiting reassignment"),
    "cycle_state_in_hand": ("办理中", "in hand"),
    "cycle_state_extension_pending": ("延期申请待审批", "with an extension request pending"),
    "cycle_state_done_pending": ("办结待复核", "reported done, awaiting review"),
    "cycle_state_settled": ("已完成、已销号或已取消", "done, closed or cancelled"),
    "cycle_request_pending": ("待审批", "pending"),
    "cycle_request_approved": ("已同意", "approved"),
    "cycle_request_rejected": ("已驳回", "rejected"),
    "cycle_step_out_of_order": ("不能{step}：该事项{state}",
                                "cannot record the {step}: the item is {state}"),
    # intake of plan documents (core/intake.py)
    "intake_at_paragraph": ("第{number}段", "paragraph {number}"),
    "intake_at_cell": ("{sheet} 第{row}行{column}列", "{sheet} row {row} column {column}"),
    "intake_at_table": ("表格 {name}", "table {name}"),
    "intake_no_header": ("未找到表头：查找的列名为 {words}",
                         "no header row found: looked for the columns {words}"),
    "intake_no_items": ("没有读到事项：段落应以 一、（一）1.（1）编号，或用带表头的表格",
                        "no items read: number the paragraphs as areas, groups and items "
                        "(1. and (1)), or use a table with a header row"),
    "intake_no_year": ('标题"{title}"中没有年份：请用 --year 指定',
                       'the title "{title}" names no year: give it with --year'),
    "intake_note_not_item": ('"{text}"既无编号也无责任单位，未作为事项读入',
                             '"{text}" has neither a number nor a responsibility clause: not '
                             'read as an item'),
    "intake_note_no_text": ("该行有单位或时限但没有任务内容，已跳过",
                            "this row names units or a time limit but no task: skipped"),
    "intake_note_bad_limit": ('未能识别完成时限"{text}"', 'time limit "{text}" not understood'),
    "intake_note_no_units": ("事项 {code} 未写明责任单位，沿用上级的牵头单位",
                             "item {code} names no responsible unit: it takes its parent's "
                             "lead"),
    "intake_note_limit_before_plan": ('完成时限"{text}"早于计划开始（{start}）：请核对年份或用 '
                                      "--year 指定",
                                      'the time limit "{text}" falls before the plan starts '
                                      "({start}): check the year, or give it with --year"),
    # plan evaluation: item outcomes and indicator judgements (core/evaluation.py)
    "outcome_on_time": ("按期完成", "completed on time"),
    "outcome_late": ("逾期完成", "completed late"),
    "outcome_carried_over": ("已结转", "carried over"),
    "outcome_cancelled": ("已取消", "cancelled"),
    "outcome_open": ("未完成", "open"),
    "judgement_ahead": ("提前实现", "achieved early"),
    "judgement_achieved": ("已实现", "achieved"),
    "judgement_on_track": ("基本符合预期", "on track"),
    "judgement_behind": ("滞后", "behind"),
    "judgement_not_started": ("未开展", "not started"),
    "carry_over_same_plan": ("不能把计划 {plan} 结转到它自己",
                             "cannot carry plan {plan} over into itself"),
    "carry_over_into_closed": ("计划 {plan} 已关闭，不能结转进去",
                               "plan {plan} is closed: nothing can be carried over into it"),
    "carry_over_nothing_open": ("计划 {plan} 没有未完成的事项，无需结转",
                                "plan {plan} has no unfinished items to carry over"),
    "carry_over_copy_note": ("自 {ref} 结转", "carried over from {ref}"),
    "carry_over_original_note": ("已结转至 {ref}", "carried over to {ref}"),
    "status_carried_over_final": ("该事项已结转，不能再修改：请在结转后的事项上报送进展",
                                  "this item was carried over and cannot change: report "
                                  "progress on the item it was carried over to"),
    "notice_bad_kind": ('未知的通知种类"{kind}"，可选：{kinds}',
                        'unknown notice kind "{kind}" (one of {kinds})'),
    "field_meeting_place": ("会议地点", "meeting place"),
}

# store/: database errors explained, PostgreSQL roles and access, migrations.
_STORE: Catalogue = {
    "db_nothing_saved": ("未完成的改动没有保存", "an unfinished change was not saved"),
    "db_error": ("数据库错误：{detail}", "database error: {detail}"),
    "db_value_out_of_range": ("数值超出数据库能存的范围：{detail}",
                              "a number is out of the range the database can store: {detail}"),
    "db_not_utf8": ("文本无法按 UTF-8 编码或解码（{detail}）：请使用 UTF-8 文本",
                    "text that is not valid UTF-8 ({detail}): give UTF-8 text"),
    "db_out_of_memory": ("内存不足，操作未完成", "out of memory: the command did not finish"),
    "db_url_hint": ("请给出 SQLite 文件路径、sqlite:///文件 或 postgresql+psycopg://用户@主机/库",
                    "give a SQLite file path, sqlite:///FILE or "
                    "postgresql+psycopg://USER@HOST/DB"),
    "db_unknown_scheme": ('不认识的数据库类型"{scheme}"（--db/PLANNER_DB）：{hint}',
                          'unknown database type "{scheme}" (--db/PLANNER_DB): {hint}'),
    "db_bad_url": ("不是有效的数据库地址：{url}（--db/PLANNER_DB）：{hint}",
                   "not a database URL: {url} (--db/PLANNER_DB): {hint}"),
    "db_busy": ("数据库正忙：另一个 planner 进程（导入、恢复或应用台账？）"
                "正持有 {database} 的写锁，"
                "已等待 {seconds} 秒；请待其完成后重试（PLANNER_BUSY_TIMEOUT 可调整等待秒数）",
                "the database is busy: another planner process (an import, a restore or a "
                "ledger apply?) holds the write lock on {database}; waited {seconds} s; try again "
                "when it finishes (PLANNER_BUSY_TIMEOUT sets the wait in seconds)"),
    "db_not_sqlite": ("{path} 不是 SQLite 数据库文件（请检查 --db/PLANNER_DB）",
                      "{path} is not a SQLite database file (check --db/PLANNER_DB)"),
    "db_is_folder": ("{path} 是文件夹，不是数据库文件（--db 应指向 .db 文件）",
                     "{path} is a folder, not a database file (--db names a .db file)"),
    "db_cannot_open": ("无法打开数据库文件 {path}：请检查文件及其所在文件夹的权限",
                       "cannot open the database file {path}: check the permissions of the "
                       "file and its folder"),
    "db_disk_full": ("磁盘已满，无法写入 {path}；{nothing_saved}：请腾出空间后重试",
                     "the disk holding {path} is full; {nothing_saved}: free some space and "
                     "try again"),
    "db_read_only": ("没有写入 {path} 的权限：请检查文件及其所在文件夹的权限",
                     "permission denied writing {path}: check the permissions of the file and "
                     "its folder"),
    "db_damaged": ("读写数据库文件 {path} 出错（{detail}）：请检查磁盘，必要时从备份恢复"
                   "（planner restore）",
                   "error reading or writing {path} ({detail}): check the disk, restore from a "
                   "backup if need be (planner restore)"),
    "db_value_refused": ("数据库拒绝了这个值：{detail.zh}", "the database refused a value: "
                         "{detail.en}"),
    "db_pg_login_refused": ("PostgreSQL 服务器 {database} 拒绝登录：请检查 --db/PLANNER_DB "
                            "中的用户名和密码",
                            "the PostgreSQL server at {database} refused the login: check the "
                            "user name and password in --db/PLANNER_DB"),
    "db_pg_no_database": ("PostgreSQL 服务器 {database} 上没有数据库 {name}"
                          "（请检查 --db/PLANNER_DB）",
                          "no database {name} on the PostgreSQL server at {database} (check "
                          "--db/PLANNER_DB)"),
    "db_pg_bad_option": ("PostgreSQL 连接参数有误：{detail}（请检查 --db/PLANNER_DB）",
                         "a PostgreSQL connection option is wrong: {detail} (check "
                         "--db/PLANNER_DB)"),
    "db_pg_unreachable": ("无法连接 PostgreSQL 服务器 {database}"
                          "（服务器已停止、无法访问或连接中断），"
                          "{nothing_saved}：请确认服务器在运行后重试",
                          "cannot reach the PostgreSQL server at {database} (stopped, unreachable, "
                          "or the connection was lost); {nothing_saved}: check that the server "
                          "is running and try again"),
    "db_concurrent_change": ("与其他人的修改冲突，{nothing_saved}：请重试",
                             "a concurrent change got in the way; {nothing_saved}: try again"),
    "db_pg_disk_full": ("PostgreSQL 服务器 {database} 磁盘已满，{nothing_saved}：请联系其管理员",
                        "the disk of the PostgreSQL server at {database} is full; "
                        "{nothing_saved}: tell its administrator"),
    "db_permission_denied": ("数据库拒绝操作（权限不足）：{detail.zh}；请联系协调员或管理员",
                             "the database refused (permission denied): {detail.en}; ask a "
                             "coordinator or the administrator"),
    "os_file": ("{file}：{problem}", "{file}: {problem}"),
    "os_disk_full": ("磁盘已满，{nothing_saved}：请腾出空间后重试",
                     "the disk is full; {nothing_saved}: free some space and try again"),
    "os_denied": ("没有权限（{reason}）：请检查文件及文件夹的权限",
                  "permission denied ({reason}): check the permissions of the file and its "
                  "folder"),
    "os_reason": ("{reason}", "{reason}"),
    "os_error": ("系统错误：{reason}", "system error: {reason}"),
    "db_bad_busy_timeout": ("{name} 应为 0 到 3600 之间的秒数：{text}",
                            "{name} must be a number of seconds from 0 to 3600: {text}"),
    "db_no_driver": ("未安装 {driver} 数据库驱动（{module}）：请用 SQLite 文件或 postgresql+psy"
                     "copg:// "
                     "地址",
                     "no driver for {driver} databases ({module}): use a SQLite file or a "
                     "postgresql+psycopg:// URL"),
    "db_no_plan": ("数据库中还没有计划，请先运行 planner init 或 planner import FILE",
                   "the database holds no plan yet: run `planner init` or `planner import FILE` "
                   "first"),
    "db_no_item": ("没有编码为 {code} 的事项", "no item with code {code}"),
    "db_integrity_violations": ("数据库中有不合规的数据（{listed}），请先改正，未作更改",
                                "rows break the integrity checks ({listed}): correct them "
                                "first, nothing changed"),
    "migrate_foreign_keys": ("升级后外键检查失败，未升级：{problems}",
                             "foreign key check failed after the upgrade, nothing changed: "
                             "{problems}"),
    "migrate_newer_schema": ("数据库结构版本 {revision} 比本程序新（{head}），请升级 planner",
                             "the database schema {revision} is newer than this program's "
                             "({head}): upgrade planner"),
    "migrate_needs_upgrade": ("数据库结构版本 {revision} 需要升级到 {head}：请运行 planner db u"
                              "pgrade",
                              "the database schema {revision} must be upgraded to {head}: run "
                              "`planner db upgrade`"),
    "db_unknown_plan": ("没有 id 为 {plan} 的计划；现有计划：{plans}",
                        "no plan with the id {plan}; the plans are: {plans}"),
    "db_choose_plan": ("数据库中有多个计划（{plans}），请用 --plan ID 指定，或用 planner plans use "
                       "ID 设定当前计划",
                       "the database holds several plans ({plans}): name one with --plan ID, "
                       "or set the current plan with `planner plans use ID`"),
}

# services/ reading files: plan files, backups and restores.
_PLAN_FILES: Catalogue = {
    # plan_yaml.py: names of parts of the file (the file's own keys are shown as written)
    "yaml_top_level": ("顶层", "the top level"),
    "yaml_unit": ("单位", "a unit"),
    "yaml_item": ("事项", "an item"),
    "yaml_indicator": ("指标", "an indicator"),
    "yaml_target_year": ("targets 年份", "a year under targets"),
    "yaml_target_value": ("targets 目标值", "a value under targets"),
    # plan_yaml.py: the file and its syntax
    "yaml_alias": ("不支持 YAML 别名（*引用），请直接写出内容",
                   "YAML aliases (*refs) are not allowed; write the content out"),
    "yaml_too_deep": ("嵌套层次过深（超过 {limit} 层）",
                      "nested too deeply (more than {limit} levels)"),
    "yaml_unreadable": ("无法读取文件：{reason}", "cannot read file: {reason}"),
    "yaml_too_large": ("文件过大（超过 50 MB）", "file too large (over 50 MB)"),
    "yaml_not_utf8": ("文件不是 UTF-8 编码", "file is not UTF-8 encoded"),
    "yaml_empty": ("文件为空", "file is empty"),
    "yaml_control_char": ("文件含有不允许的控制字符 U+{code:04X}",
                          "the file contains a control character that is not allowed: "
                          "U+{code:04X}"),
    "yaml_syntax": ("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "yaml_error": ("YAML 错误：{problem}", "YAML error: {problem}"),
    "yaml_top_not_mapping": ("顶层必须是映射（plan/units/tasks/indicators）",
                             "the top level must be a mapping (plan/units/tasks/indicators)"),
    # plan_yaml.py: values
    "yaml_not_mapping": ("{what}必须是映射", "{what} must be a mapping"),
    "yaml_unknown_key": ('未知字段"{name}"（可用：{allowed}）', 'unknown key "{name}" (allowed: '
                         "{allowed})"),
    "yaml_duplicate_key": ('字段"{name}"重复', 'duplicate key "{name}"'),
    "yaml_not_list": ("{what}必须是列表", "{what} must be a list"),
    "yaml_not_text": ("{what}必须是文本", "{what} must be text"),
    "yaml_empty_value": ("{what}不能为空", "{what} must not be empty"),
    "yaml_not_number": ("{what}必须是数字", "{what} must be a number"),
    "yaml_not_a_number": ('{what}必须是数字："{value}"', '{what} must be a number: "{value}"'),
    "yaml_not_finite": ("{what}必须是有限数字", "{what} must be a finite number"),
    "yaml_out_of_range": ("{what}必须在 {low:g}–{high:g} 之间（实际 {value}）",
                          "{what} must be between {low:g} and {high:g} (got {value})"),
    "yaml_not_choice": ('{what}必须是 {choices} 之一（实际"{value}"）',
                        '{what} must be one of {choices} (got "{value}")'),
    "yaml_bad_value": ("{what}：{problem}", "{what}: {problem}"),
    "yaml_key_not_text": ("{name} 必须是文本", "{name} must be text"),
    "yaml_key_empty": ("{name} 不能为空", "{name} must not be empty"),
    # plan_yaml.py: sections, units, items, indicators
    "yaml_missing_plan": ("缺少 plan 段", 'missing "plan" section'),
    "yaml_plan_needs": ("plan 需要 title 和 period", "plan needs title and period"),
    "yaml_period_needs": ("period 需要 start 和 end", "period needs start and end"),
    "yaml_plan_end_early": ("计划结束日期 {end} 早于开始日期 {start}",
                            "plan end {end} is before its start {start}"),
    "yaml_unit_missing": ("单位缺少 {name}", "unit is missing {name}"),
    "yaml_unit_same_as": ('，即"{unit}"', ', the same as "{unit}"'),
    "yaml_duplicate_unit": ('单位 id "{written}" 重复{same}（首次出现在 {first}）',
                            'duplicate unit id "{written}"{same} (first at {first})'),
    "yaml_duplicate_unit_name": ('单位名称"{name}"与 {first} 的单位相同',
                                 'unit name "{name}" is the same as the unit at {first}'),
    "yaml_unknown_unit": ('未知单位"{unit}"（请先在 units 中定义）',
                          'unknown unit "{unit}" (define it under units first)'),
    "yaml_item_no_code": ("事项缺少 code", "item is missing its code"),
    "yaml_duplicate_code": ("编码 {code} 重复（首次出现在 {first}）",
                            "duplicate code {code} (first at {first})"),
    "yaml_item_no_title": ("事项 {code} 缺少标题（title）", "item {code} has no title"),
    "yaml_nested_parent": ("嵌套在 children 中的事项不能再写 parent",
                           "an item nested under children cannot also name a parent"),
    "yaml_item_no_lead": ("事项 {code} 缺少牵头单位（lead）", "item {code} has no lead unit"),
    "yaml_due_before_start": ("事项 {code} 的截止日期 {due} 早于开始日期 {start}",
                              "item {code}: due {due} is before start {start}"),
    "yaml_done_at_100": ("{status.zh}的事项进度应为 100（实际 {progress:g}）",
                         "a {status.value} item is at 100 (got {progress:g})"),
    "yaml_repeat_needs_rule": ("repeat 需要 rule（RRULE）", "repeat needs a rule (RRULE)"),
    "yaml_unknown_parent": ("事项 {code} 的上级 {parent} 不存在",
                            "item {code}: parent {parent} does not exist"),
    "yaml_parent_cycle": ("上级关系出现循环：{path}", "parent cycle: {path}"),
    "yaml_indicator_missing": ("指标缺少 {name}", "indicator is missing {name}"),
    "yaml_duplicate_indicator": ("指标编码 {code} 重复", "duplicate indicator {code}"),
    "yaml_wrong_direction": ("指标 {code}：方向 {direction} 与基线 {baseline:g}→目标 {target:g}"
                             " 不一致",
                             "indicator {code}: direction {direction} contradicts baseline "
                             "{baseline:g} → target {target:g}"),
    "yaml_indicator_no_task": ("指标 {code} 关联的事项 {task} 不存在",
                               "indicator {code}: task {task} does not exist"),
    "yaml_targets_not_mapping": ("targets 必须是 年份: 目标值 映射",
                                 "targets must map year: value"),
    "yaml_reading_needs": ("读数需要 date 和 value", "a reading needs date and value"),
    # plan_file.py
    "plan_no_occurrence": ('重复事项 {code} 的规则"{rule}"在 {start}–{due} 内不产生任何一次',
                           'recurring item {code}: rule "{rule}" yields no occurrence between '
                           "{start} and {due}"),
    "plan_not_an_occurrence": ("{code} 不是重复事项 {parent} 在计划期内生成的某一次",
                               "{code} is not an occurrence of recurring item {parent}"),
    "plan_due_before_start": ("截止日期 {due} 早于开始日期 {start}",
                              "due {due} is before start {start}"),
    "plan_start_after_due": ("开始日期 {start} 晚于截止日期 {due}",
                             "start {start} is after the due date {due}"),
    "plan_unit_id_look_alike": ('单位 id "{unit}"与数据库中的单位 "{twin}" 看起来相同',
                                'unit id "{unit}" looks the same as the stored unit "{twin}"'),
    "plan_unit_name_taken": ('单位名称"{name}"与单位 {twin} 的名称相同',
                             'unit name "{name}" is the same as the name of unit {twin}'),
    "plan_no_plan": ("数据库中还没有计划", "the database holds no plan yet"),
    # restore_check.py: a backup's rows
    "restore_bad_value": ("表 {table} 的行（{row}）列 {column}：{problem}",
                          "table {table}, row ({row}), column {column}: {problem}"),
    "restore_not_text": ("必须是文本", "must be text"),
    "restore_nul": ("含有 NUL 字符", "holds a NUL character"),
    "restore_surrogate": ("含有无效的 Unicode 字符（代理项）",
                          "holds invalid Unicode (a lone surrogate)"),
    "restore_control_char": ("含有不允许的控制字符 {point}（第 {position} 个字符）",
                             "holds a control character that is not allowed: {point} at "
                             "character {position}"),
    "restore_too_long": ("过长：{length:,} 个字符（最多 {limit:,}）",
                         "is too long: {length:,} characters (at most {limit:,})"),
    "restore_not_boolean": ("必须是布尔值", "must be a boolean"),
    "restore_not_integer": ("必须是整数", "must be an integer"),
    "restore_integer_range": ("整数超出范围（{value}）", "integer out of range ({value})"),
    "restore_not_number": ("必须是数字", "must be a number"),
    "restore_not_finite": ("必须是有限数字（实际 {value}）",
                           "must be a finite number (got {value})"),
    "restore_not_date": ("不是日期：{value}", "not a date: {value}"),
    "restore_not_time": ("不是时间：{value}", "not a time: {value}"),
    "restore_time_range": ("记录时间应在 {first}–{last} 年之间：{moment}",
                           "a recorded time must fall in {first}–{last} (got {moment})"),
    "restore_missing_column": ("表 {table} 缺少必需的列 {column}",
                               "table {table} lacks the required column {column}"),
    "restore_null": ("不能为空", "must not be null"),
    "restore_one_plan": ("备份应至少有一个计划（plan 表有 {count} 行）",
                         "a backup holds at least one plan (the plan table has {count} rows)"),
    "restore_twice": ("重复", "appears twice"),
    "restore_dangling": ("引用的 {table} {value} 不在备份中",
                         "refers to {table} {value}, which is not in the backup"),
    "restore_not_choice": ("必须是 {allowed} 之一（实际“{value}”）",
                           'must be one of {allowed} (got "{value}")'),
    "restore_out_of_range": ("必须在 {low:g}–{high:g} 之间（实际 {value:g}）",
                             "must be between {low:g} and {high:g} (got {value:g})"),
    "restore_before": ("{last} 早于 {first} {first_value}",
                       "{last} is before {first} {first_value}"),
    "restore_empty": ("不能为空", "must not be empty"),
    "restore_bad_user_name": ("不是可用的用户名", "is not a usable user name"),
    "restore_user_unit": ("用户须属于一个单位或是协调员，二者选一",
                          "a user belongs to one unit or is a coordinator, one of the two"),
    "restore_parent_cycle": ("上级关系出现循环：{cycle} → {current}",
                             "parent cycle: {cycle} → {current}"),
    "restore_look_alike": ("与单位 {unit} 看起来相同", "looks the same as unit {unit}"),
    "restore_one_lead": ("应恰好有一个牵头单位（实际 {count} 个）",
                         "needs exactly one lead unit (has {count})"),
    # backup.py
    "backup_cannot_write": ("无法写入备份文件 {path}：{detail}",
                            "cannot write the backup file {path}: {detail}"),
    "backup_is_target": ("{path} 就是目标数据库本身", "{path} is the target database itself"),
    "backup_target_not_empty": ("目标数据库已有数据，未做恢复；确认要覆盖请加 --force",
                                "the target database is not empty, nothing restored; add "
                                "--force to replace its content"),
    "backup_trust_mode": ("备份中没有用户，而目标数据库有用户：恢复后将进入信任模式（人人都是协"
                          "调员），"
                          "未做恢复；确认要这样做请加 --allow-trust-mode",
                          "the backup has no users and the target database has some: "
                          "restoring it would switch to trust mode (everyone a coordinator), "
                          "nothing restored; add --allow-trust-mode if that is what you want"),
    "backup_restore_failed": ("恢复失败，目标数据库未改动：{detail}",
                              "restore failed, the target database is unchanged: {detail}"),
    "backup_onto_live": ("不能备份到 {path}：它是正在使用的数据库（或其日志文件）本身，请换一个"
                         "文件名",
                         "cannot back up to {path}: it is the live database (or one of its "
                         "journal files) itself; choose another file name"),
    "backup_unusable": ("{path} 不是可用的 planner 备份：{why}",
                        "{path} is not a usable planner backup: {why}"),
    "backup_unreadable": ("无法读取备份文件 {path}：{reason}",
                          "cannot read the backup file {path}: {reason}"),
    "backup_unknown_format": ("既不是 SQLite 数据库也不是 JSON 导出文件",
                              "neither a SQLite database nor a JSON dump"),
    "backup_in_memory": ("内存数据库不能备份或恢复",
                         "an in-memory database cannot be backed up or restored"),
    "backup_wal_beside": ("旁边有未合并的 -wal 文件（是正在使用的数据库？请用 planner backup 生"
                          "成备份）",
                          "a -wal file beside it holds unmerged changes (a live database? make "
                          "a backup with `planner backup`)"),
    "backup_not_plain_table": ("{name} 不是普通的表", "{name} is not a plain table"),
    "backup_no_plan_table": ("其中没有 plan 表", "it holds no plan table"),
    "backup_unknown_table": ("未知的表 {name}（更新版本的备份？）",
                             "unknown table {name} (a newer version's backup?)"),
    "backup_unknown_columns": ("表 {name} 有未知列 {columns}", "table {name} has unknown columns "
                               "{columns}"),
    "backup_repeated_column": ("表 {name} 有重复的列", "table {name} repeats a column"),
    "backup_newer_schema": ("它由更新版本的 planner 生成（结构版本 {stamp}，本程序为 {head}），"
                            "请先升级 planner",
                            "it was made by a newer version of planner (schema {stamp}, this "
                            "program's is {head}): upgrade planner first"),
    "backup_cannot_open": ("无法打开（{detail}）", "cannot be opened ({detail})"),
    "backup_bad_stamp_table": ("{name} 表结构有误", "the {name} table is malformed"),
    "backup_damaged_sqlite": ("SQLite 文件已损坏或无法读取（{detail}）",
                              "damaged or unreadable SQLite file ({detail})"),
    "backup_too_big": ("内容超过 {size} 上限（解压后）",
                       "its content exceeds the {size} limit (uncompressed)"),
    "backup_bad_json": ("JSON 无法解析（{detail}）", "unreadable JSON ({detail})"),
    "backup_not_planner_json": ("不是 planner 的 JSON 导出", "not a planner JSON dump"),
    "backup_newer_format": ("格式版本 {version} 高于本程序支持的 {supported}",
                            "format version {version} is newer than {supported}"),
    "backup_malformed": ("内容不完整或有误（{detail}）",
                         "incomplete or malformed content ({detail})"),
    "yaml_bad_plan_id": ("{what} 只能由字母、数字、- 或汉字组成（不含空格，至多 32 个字符，"
                         "all 留给 --plan all）：{value}",
                         "{what} may hold only letters, digits, - or Chinese characters (no "
                         "spaces, at most 32; all is kept for --plan all): {value}"),
    "plan_file_other_plan": ("文件中的计划是 {plan}，而 --plan 指定的是 {asked}，未导入",
                             "the file's plan is {plan} but --plan names {asked}; nothing "
                             "imported"),
    "plan_file_no_id": ("文件没有写明计划 id（plan.id）：请在 plan 下写 id，或用 --plan ID 指定",
                        "the file gives no plan id (plan.id): add `id:` under `plan`, or name "
                        "it with --plan ID"),
    "plan_id_taken": ("已有 id 为 {plan} 的计划，未添加（合并到该计划请用 planner import）",
                      "there is already a plan with the id {plan}; nothing added (use "
                      "`planner import` to merge into it)"),
    "plan_not_in_database": ("数据库中没有计划 {plan}：新计划请用 planner plans add FILE 添加",
                             "the database has no plan {plan}: add a new plan with `planner "
                             "plans add FILE`"),
    "plan_unknown_parent": ("上级计划 {parent} 不在数据库中（或就是本计划）",
                            "the parent plan {parent} is not in the database (or is this "
                            "plan)"),
    "plan_unit_renamed": ("单位 {unit} 在数据库中名为“{stored}”，文件中为“{name}”；单位为各计划"
                          "共用，确需改名请在该单位上写 renames: true",
                          'unit {unit} is named "{stored}" in the database but "{name}" in '
                          "the file; units are shared by all plans: to rename it, write "
                          "`renames: true` on the unit"),
    # unit groups and aliases in the plan file
    "yaml_group": ("单位组", "a unit group"),
    "yaml_group_missing": ("单位组缺少 {name}", "unit group is missing {name}"),
    "yaml_group_id_taken": ('单位组 id "{group}" 与已有的单位或单位组相同',
                            'unit group id "{group}" is already a unit\'s or a group\'s'),
    "plan_alias_taken": ('简称"{alias}"已属于单位 {unit}', 'the alias "{alias}" already names '
                         "the unit {unit}"),
    # intake of plan documents: reading files (services/intake_files.py)
    "intake_unreadable": ("无法读取：{reason}", "cannot be read: {reason}"),
    "intake_too_large": ("文件超过 50 MB，不是计划文档", "over 50 MB: not a plan document"),
    "intake_pdf": ("PDF 无法读入（扫描件没有文字）：请向发文单位索取 .docx 或 .xlsx 原件，"
                   "或将文字复制到 .txt 文件后再读入",
                   "a PDF cannot be taken in (a scanned one holds no text): ask the sender "
                   "for the .docx or .xlsx original, or copy the text into a .txt file"),
    "intake_encrypted": ("文件设有密码：请在 Word/WPS/Excel 中取消密码后另存，再读入",
                         "the file is password-protected: remove the password in Word, WPS "
                         "or Excel, save it, and take that in"),
    "intake_legacy_word": ("旧版 Word（.doc）格式：请在 Word/WPS 中另存为 .docx 后再读入",
                           "a legacy Word (.doc) file: save it as .docx in Word or WPS first"),
    "intake_legacy_excel": ("旧版 Excel（.xls）格式：请在 Excel/WPS 中另存为 .xlsx 后再读入",
                            "a legacy Excel (.xls) file: save it as .xlsx in Excel or WPS "
                            "first"),
    "intake_unknown_format": ("不支持 {suffix} 文件：可读入 .docx、.xlsx、.txt、.md",
                              "{suffix} files are not supported: use .docx, .xlsx, .txt or .md"),
    "intake_damaged": ("文件已损坏，无法打开：请在 Word/WPS/Excel 中打开并另存后再读入",
                       "the file is damaged and cannot be opened: open it in Word, WPS or "
                       "Excel, save it again, and take that in"),
    "intake_not_text": ("既不是 UTF-8 也不是 GB18030 编码的文本",
                        "text neither in UTF-8 nor in GB18030"),
    "intake_map_not_mapping": ("--map 文件应为“书写名称: 单位 id”形式的 YAML 映射",
                               "the --map file must be a YAML mapping of written name: unit id"),
    "intake_map_unknown_target": ('--map 中"{written}"对应的"{target}"不是已知单位或单位组'
                                  '（最接近：{closest}）',
                                  '--map maps "{written}" to "{target}", which is no known unit '
                                  'or group (closest: {closest})'),
    # intake: the summary
    "intake_summary": ("《{title}》（{kind}，{start} 至 {end}）：{areas} 个领域，{groups} 个分组，"
                       "{items} 个事项",
                       '"{title}" ({kind}, {start} to {end}): {areas} areas, {groups} groups, '
                       "{items} items"),
    "intake_kind_annual": ("年度计划", "annual plan"),
    "intake_kind_programme": ("专项方案", "programme"),
    "intake_how_exact": ("全称", "exact"),
    "intake_how_alias": ("简称", "alias"),
    "intake_how_group": ("单位组", "group"),
    "intake_how_government": ("盟市人民政府", "league/city government"),
    "intake_how_map": ("--map 指定", "by --map"),
    "intake_how_new": ("新建单位", "new unit"),
    "intake_resolved": ("单位 {written} → {units}（{how}）", "unit {written} -> {units} ({how})"),
    "intake_limit_due": ("截止 {due}", "due {due}"),
    "intake_limit_ongoing": ("长期任务，至计划期末 {due}", "ongoing, due at the plan's end {due}"),
    "intake_limit_recurring": ("周期性事项 {rule}", "recurring {rule}"),
    "intake_limit": ("时限 {at}：{text} → {meaning}", "time limit {at}: {text} -> {meaning}"),
    "intake_note": ("未读懂 {at}：{note}", "not understood {at}: {note}"),
    "intake_unknown_name": ('未知单位"{written}"（{places}）；最接近的已知名称：{closest}',
                            'unknown unit "{written}" ({places}); closest known names: '
                            "{closest}"),
    # assessment_rules.py: the assessment rule file
    "rules_missing_base": ("规则文件缺少 base（基础分）",
                           'the rule file has no "base" (base score)'),
    "rules_unknown_kind": ('未知的计分事件"{name}"（可用：{allowed}）',
                           'unknown event kind "{name}" (allowed: {allowed})'),
    "rules_late_needs_per_day": ("points.late 需要 per_working_day（每逾期一个工作日的分值）",
                                 "points.late needs per_working_day (points per working day "
                                 "late)"),
    "rules_not_flag": ("{what}必须是 true 或 false", "{what} must be true or false"),
    "yaml_bad_implements": ("implements 的每一项应写作 计划:编码（如 sw15:3.2），而不是“{ref}”",
                            'each entry of implements is written PLAN:CODE (e.g. sw15:3.2), '
                            'not "{ref}"'),
    "implements_unknown_plan": ("implements 引用的计划 {plan} 不存在；现有计划：{plans}",
                                "implements names the plan {plan}, which does not exist; the "
                                "plans are: {plans}"),
    "implements_unknown_item": ("implements 引用的事项 {ref} 不存在",
                                "implements names the item {ref}, which does not exist"),
    "implements_same_plan": ("implements 只能引用其他计划的事项：{ref} 属于本计划",
                             "implements names items of other plans only: {ref} is in this "
                             "plan"),
    "rules_not_count": ("{what}必须是整数（实际 {value}）",
                        "{what} must be a whole number (not {value})"),
}

# services/ recording work: ledger, users and access, edits and updates, meetings and agendas.
_RECORDS: Catalogue = {
    # updates: progress, deadlines, readings
    "record_item_archived": ("该事项已归档", "this item is archived"),
    "record_unknown_unit": ('未知单位"{unit}"', 'unknown unit "{unit}"'),
    "record_conflict": ("保存被拒绝：{code} 已被他人修改（版本 {old} → {new}，现为{status} "
                        "{progress:g}%），请刷新后再{what}",
                        "save refused: {code} was changed by someone else (version {old} → {new},"
                        " now {status} {progress:g}%); reload and {what} again"),
    "record_what_update": ("更新", "update"),
    "record_what_change_due": ("调整", "change it"),
    "record_what_edit": ("修改", "edit it"),
    "record_what_move": ("移动", "move it"),
    "record_what_change": ("修改", "change it"),
    "record_progress_range": ("进度必须在 0–100 之间（实际 {value}）",
                              "progress must be between 0 and 100 (got {value})"),
    "record_nothing_to_record": ("没有需要记录的内容：请给出状态、进度或说明",
                                 "nothing to record: give a status, progress or note"),
    "due_reason_needed": ("调整截止日期必须说明原因（--reason）",
                          "changing a due date needs a reason (--reason)"),
    "due_before_start": ("新截止日期 {due} 早于开始日期 {start}",
                         "new due date {due} is before the start {start}"),
    "due_unchanged": ("截止日期已是 {due}", "the due date is already {due}"),
    "reading_unknown_indicator": ("没有编码为 {code} 的指标", "no indicator with code {code}"),
    # edits: the plan's items
    "edit_not_a_child": ("{code} 不是 {parent} 的下级事项", "{code} is not a child of {parent}"),
    "edit_code_empty": ("编码不能为空", "the code must not be empty"),
    "edit_code_taken": ("编码 {code} 已被占用", "code {code} is already in use"),
    "edit_occurrence_move": ("重复事项自动生成的某一次不能移到其他上级下",
                             "an occurrence of a recurring item cannot be moved to another parent"),
    "edit_parent_archived": ("目标上级 {parent} 已归档", "the new parent {parent} is archived"),
    "edit_move_into_itself": ("不能把 {code} 移到它自身或它的下级 {parent} 之下",
                              "cannot move {code} under itself or its own descendant {parent}"),
    "edit_flag_reason_needed": ("标记需协调事项必须说明原因",
                                "flagging an item for coordination needs a reason"),
    "edit_recurring_parent": ("{code} 是重复事项或其中的一次，不能在其下添加下级事项",
                              "{code} is a recurring item or one of its occurrences: it cannot "
                              "take other children"),
    "edit_title_empty": ("标题不能为空", "the title must not be empty"),
    "edit_lead_needed": ("必须指定牵头单位", "a lead unit is required"),
    "edit_due_before_start": ("截止日期 {due} 早于开始日期 {start}",
                              "due {due} is before start {start}"),
    "edit_weight_invalid": ("权重必须是大于 0 的数（实际 {weight}）",
                            "the weight must be a number above 0 (got {weight})"),
    # access: who may write what
    "access_unknown_user": ("未登记的用户“{user}”：请协调员用 planner user add 添加",
                            'unknown user "{user}": ask a coordinator to add you with `planner '
                            "user add`"),
    "access_not_editor": ("用户“{user}”（单位 {unit}）不能修改计划，只能填报本单位牵头或配合事项的"
                          "进展",
                          "user \"{user}\" (unit {unit}) cannot edit the plan: a unit's user "
                          "only reports progress on the unit's own items"),
    "access_not_their_item": ("用户“{user}”（单位 {unit}）不能填报此项：本单位既不牵头也不配合",
                              'user "{user}" (unit {unit}) cannot report on this: the unit '
                              "neither leads nor supports it"),
    "access_closing_is_coordinators": ("销号（已销号）及修改已销号事项由协调员核验办理，单位用户不"
                                       "能操作",
                                       "closing an item (and changing a closed one) is the "
                                       "coordinator's verification: a unit's user cannot do it"),
    "access_other_unit": ("用户“{user}”属于单位 {unit}，不能以 {by_unit} 名义报送",
                          'user "{user}" belongs to unit {unit} and cannot report for {by_unit}'),
    # users
    "user_name_invalid": ("用户名“{name}”无效：只能用字母、数字和下划线，不以数字开头，最长 63 个"
                          "字符",
                          'invalid user name "{name}": letters, digits and _, not starting with '
                          "a digit, at most 63 characters"),
    "user_name_reserved": ("用户名“{name}”是保留名称", '"{name}" is a reserved name'),
    "user_role_needed": ("请指定所属单位（--unit）或协调员（--coordinator），二者选一",
                         "give the user's unit (--unit) or --coordinator, one of the two"),
    "user_first_coordinator": ("第一个用户必须是协调员（--coordinator），否则无人能管理计划",
                               "the first user must be a coordinator (--coordinator), or nobody "
                               "could manage the plan"),
    "user_exists": ("用户“{name}”已存在（修改其单位或角色用 planner user grant）",
                    'user "{name}" already exists (change it with `planner user grant`)'),
    "user_password_sqlite": ("密码只用于 PostgreSQL 登录角色；本地 SQLite 文件不校验身份",
                             "passwords are for PostgreSQL login roles; a local SQLite file does "
                             "not check who you are"),
    "user_unknown": ("没有用户“{name}”（添加用 planner user add）",
                     'no user "{name}" (add one with `planner user add`)'),
    "user_last_coordinator": ("“{name}”是唯一的协调员，请先指定另一位协调员",
                              '"{name}" is the only coordinator: make someone else one first'),
    "user_role_superuser": ("是超级用户", "is a superuser"),
    "user_role_createrole": ("可创建角色", "has CREATEROLE"),
    "user_role_createdb": ("可创建数据库", "has CREATEDB"),
    "user_role_bypassrls": ("可绕过行级安全", "has BYPASSRLS"),
    "user_role_owns_database": ("是本数据库的所有者", "owns the database"),
    "user_role_owns_tables": ("拥有本程序的表", "owns planner's tables"),
    "user_role_foreign": ("不是本程序的角色（不属于 planner_unit 或 planner_coordinator）",
                          "is not a planner role (member of neither planner_unit nor "
                          "planner_coordinator)"),
    "user_role_not_planners": ("备份中的用户“{name}”在本服务器上已有同名角色，且它{reason}：恢复不"
                               "会改动它，未作更改（请改用户名或先处理该角色）",
                               "the backup's user \"{name}\" has a role on this server that "
                               "{reason}: a restore does not change it, nothing was changed "
                               "(rename the user or deal with the role first)"),
    "user_role_change_refused": ("无法设置 PostgreSQL 登录角色“{name}”（需用管理员账户运行）："
                                 "{detail}",
                                 'cannot set up the PostgreSQL login role "{name}" (run this as '
                                 "the administrator): {detail}"),
    "user_password_empty": ("密码不能为空", "the password must not be empty"),
    # meetings and agendas
    "meeting_unknown": ("没有编号为 {id} 的会议", "no meeting {id}"),
    "meeting_none_planned": ("没有待召开的会议，请先用 planner meeting new 创建",
                             "no planned meeting: create one with `planner meeting new`"),
    "meeting_kind_invalid": ("会议类型必须是 {kinds}", "the kind must be one of {kinds}"),
    "meeting_branch_title": ("会议交办事项", "Meeting action items"),
    "meeting_action_description": ("{on} {title}决定：{text}", "{on} {title} decided: {text}"),
    "meeting_length_range": ("会议时长应在 15–600 分钟之间",
                             "the length must be 15 to 600 minutes"),
    "meeting_held_no_agenda": ("会议已召开，不能再生成议程",
                               "the meeting was held: its agenda is final"),
    "meeting_held_agenda_final": ("会议已召开，议程不能再修改",
                                  "the meeting was held: its agenda is final"),
    "agenda_fixed_too_long": ("固定时间合计 {fixed} 分钟，超过会议时长 {length} 分钟",
                              "fixed times add up to {fixed} minutes, more than the meeting's "
                              "{length}"),
    "agenda_missing": ("该会议还没有议程，请先运行 planner agenda",
                       "this meeting has no agenda yet: run `planner agenda` first"),
    "agenda_entry_range": ("议程序号应在 1–{last} 之间", "entry numbers are 1–{last}"),
    "agenda_position_range": ("目标位置应在 1–{last} 之间", "positions are 1–{last}"),
    "agenda_minutes_range": ("时间应在 1–{length} 分钟之间", "minutes must be 1–{length}"),
    "decision_unknown_item": ("没有编码为 {code} 的事项", "no item with code {code}"),
    "decision_action_title_needed": ("交办事项需要标题", "an action item needs a title"),
    "decision_action_lead_needed": ("交办事项需要牵头单位（--lead）",
                                    "an action item needs a lead unit (--lead)"),
    "decision_action_due_needed": ("交办事项需要截止日期（--due）",
                                   "an action item needs a due date (--due)"),
    # agenda proposal (text saved with the agenda, in the language it was built in)
    "agenda_state": ("{status} {progress:.0f}%（序时 {expected:.0f}%，{colour}）",
                     "{status} {progress:.0f}% (expected {expected:.0f}%, {colour})"),
    "agenda_action_line": ("{code} {title}｜牵头 {lead}｜截止 {due}｜{state}",
                           "{code} {title} | lead {lead} | due {due} | {state}"),
    "agenda_no_actions": ("（无交办事项）", "(no action items)"),
    "agenda_followup_title": ("落实{on}会议决定：{text}", "Follow-up of the {on} decision: {text}"),
    "agenda_coordination_detail": ("原因：{reason}；需协商单位：{units}",
                                   "Reason: {reason}; units to agree: {units}"),
    "agenda_coordination_title": ("协调事项：{code} {title}", "Needs coordination: {code} {title}"),
    "agenda_no_note": ("暂无进展说明", "no note yet"),
    "agenda_last_note": ("最近进展：{note}（{day}）", "last note: {note} ({day})"),
    "agenda_red_line": ("{code} {title}｜逾期 {days}天｜{last}",
                        "{code} {title} | overdue {days} days | {last}"),
    "agenda_yellow_line": ("{code} {title}｜进度 {progress:.0f}%｜序时 {expected:.0f}%｜滞后 "
                           "{lag:.0f}",
                           "{code} {title} | progress {progress:.0f}% | expected {expected:.0f}% "
                           "| behind by {lag:.0f}"),
    "agenda_red_title": ("逾期事项：{unit}（{n}项）", "Overdue: {unit} ({n} items)"),
    "agenda_yellow_title": ("滞后加大事项：{unit}（{n}项）",
                            "Falling further behind: {unit} ({n} items)"),
    "agenda_indicator_detail": ("最新读数 {value:g}{unit}（{on}），{year}年目标 {target:g}，基线 "
                                "{baseline:g}",
                                "latest {value:g} {unit} ({on}); {year} target {target:g}; "
                                "baseline {baseline:g}"),
    "agenda_indicator_title": ("指标未达年度目标：{code} {name}",
                               "Indicator off track: {code} {name}"),
    "agenda_deadline_line": ("{code} {title}｜截止 {due}｜牵头 {lead}｜{state}",
                             "{code} {title} | due {due} | lead {lead} | {state}"),
    "agenda_deadlines_title": ("下次会议前到期事项（{start}至{end}，{n}项）",
                               "Due before the next meeting ({start} to {end}, {n} items)"),
    # ledger: reading a filled-in workbook and recording it
    "ledger_change_line": ("{code} {title}：{change}", "{code} {title}: {change}"),
    "ledger_change_note": ("「{note}」", '"{note}"'),
    "ledger_is_directory": ("这是一个目录，不是台账文件", "this is a directory, not a ledger file"),
    "ledger_no_file": ("文件不存在", "no such file"),
    "ledger_old_xls": ("无法读取旧版 .xls 文件：请在 Excel 中另存为 .xlsx 后再导入",
                       "cannot read an old .xls file: save it as .xlsx in Excel first"),
    "ledger_unreadable": ("无法读取：不是有效的 Excel 工作簿（.xlsx）（{detail}）",
                          "cannot read it: not a valid Excel workbook (.xlsx) ({detail})"),
    "ledger_over_limit": ("工作簿超出导入限制：{what}超过 {limit}",
                          "the workbook exceeds an import limit: {what} is over {limit}"),
    "ledger_limit_file_size": ("文件大小", "the file's size"),
    "ledger_limit_parts": ("部件（文件）数", "the number of parts (files)"),
    "ledger_limit_total": ("各部件解压后合计", "all parts uncompressed"),
    "ledger_limit_compressed": ("压缩后大小", "its compressed size"),
    "ledger_limit_uncompressed": ("解压后大小", "its uncompressed size"),
    "ledger_limit_rows": ("行数", "the number of rows"),
    "ledger_limit_cell": ("单元格文字长度", "the cell's text"),
    "ledger_count_bytes": ("{count:,} 字节", "{count:,} bytes"),
    "ledger_count_parts": ("{count:,} 个", "{count:,} parts"),
    "ledger_count_rows": ("{count:,} 行", "{count:,} rows"),
    "ledger_count_characters": ("{count:,} 字", "{count:,} characters"),
    "ledger_dtd": ("工作簿含文档类型声明（DTD），Excel 不会写入，拒绝读取",
                   "the workbook holds a document type declaration (DTD), which Excel never "
                   "writes: refused"),
    "ledger_header_twice": ("表头有两列表示同一内容：“{header}”（{first}）与“{other}”（{second}）"
                            "，无法确定读哪一列，请删除或改名其中一列",
                            'the header has two columns for the same thing: "{header}" ({first}) '
                            'and "{other}" ({second}); delete or rename one'),
    "ledger_no_sheets": ("工作簿中没有工作表", "the workbook has no sheets"),
    "ledger_no_read_columns": ("表头中没有“状态”“进度”“进展说明”中的任何一列",
                               "the header has none of the Status, Progress or Note columns"),
    "ledger_no_code_column": ("找不到“编码”列：表头（第 1 行）应有“编码”及“状态”“进度”“进展说明”等"
                              "列",
                              "no Code column: the header (row 1) should have Code and Status, "
                              "Progress or Note columns"),
    "ledger_formula_no_value": ("单元格是公式但没有计算结果，无法读取（请在 Excel 中打开并保存，或"
                                "把公式换成数值）",
                                "the cell holds a formula without a computed value (open and "
                                "save the workbook in Excel, or replace the formula by its value)"),
    "ledger_code_empty": ("编码为空：填写了状态、进度或说明的行必须有事项编码",
                          "the code is empty: a row with a status, progress or note needs the "
                          "item's code"),
    "ledger_code_invalid": ("编码“{value}”无效（请将编码列设为文本格式）",
                            'invalid code "{value}" (format the code column as text)'),
    "ledger_code_number": ("编码 {value:g} 被存成了数字，可能已丢失末尾的 0（请将编码列设为文本格"
                           "式后重填）",
                           "the code {value:g} was stored as a number and may have lost a "
                           "trailing 0 (format the code column as text and enter it again)"),
    "ledger_progress_not_number": ("进度应为 0–100 的数字或百分比（读到“{value}”）",
                                   "progress must be a number from 0 to 100 or a percentage (got "
                                   '"{value}")'),
    "ledger_progress_range": ("进度必须在 0–100 之间（读到 {value:g}%）",
                              "progress must be between 0 and 100 (got {value:g}%)"),
    "ledger_done_progress": ("状态为{status}时进度应为 100% 或留空（读到 {progress}）",
                             "a {status} item's progress is 100% or blank (got {progress})"),
    "ledger_unknown_by_unit": ("未知单位“{unit}”（--by）", 'unknown unit "{unit}" (--by)'),
    "ledger_code_twice": ("编码 {code} 重复（已在第 {row} 行）",
                          "code {code} appears twice (also row {row})"),
    "ledger_unknown_code": ("没有编码为 {code} 的事项", "no item with code {code}"),
    "ledger_archived": ("{code} 已归档，不能填报（请删除该行或重新导出台账）",
                        "{code} is archived and cannot be updated (delete the row or export the "
                        "ledger again)"),
    "ledger_item_refused": ("{code}：{error}", "{code}: {error}"),
    "ledger_changed_since_export": ("{code} 在导出台账后已被修改（版本 {old} → {new}，现为{status}"
                                    " {progress}），请重新导出台账后填报",
                                    "{code} changed after the ledger was exported (version {old} "
                                    "→ {new}, now {status} {progress}); export the ledger again "
                                    "and fill that in"),
    "ledger_no_identity": ("该工作簿不是本系统导出的台账（缺少计划标识），不能导入：请在 planner "
                           "ledger export 导出的台账上填报",
                           "this workbook is not a ledger exported by planner (it carries no "
                           "plan identity): fill in a ledger written by `planner ledger export`"),
    "ledger_other_plan": ("该台账导出自另一计划或另一数据库（“{title}”），不能导入本数据库",
                          'this ledger was exported from another plan or database ("{title}") '
                          "and cannot be imported here"),
    "ledger_codes_and_more": ("{codes} 等 {total} 项", "{codes} and more ({total} in all)"),
    "ledger_not_theirs": ("单位 {unit} 既不牵头也不配合以下事项，不能以其名义填报，未应用任何变更"
                          "：{codes}",
                          "unit {unit} neither leads nor supports these items, so they cannot be "
                          "reported in its name; nothing applied: {codes}"),

    "plan_closed_read_only": ("计划 {plan} 已关闭，只读：不能再修改",
                              "plan {plan} is closed and read-only: nothing in it can change"),
    "plan_close_open_items": ("计划 {plan} 还有 {count} 个未完结事项，不能关闭：{codes}",
                              "plan {plan} still has {count} open items, so it cannot be "
                              "closed: {codes}"),
    "plan_already_closed": ("计划 {plan} 已经关闭", "plan {plan} is already closed"),
    "cycle_no_request": ("没有编号为 {id} 的申请", "no request with id {id}"),
    "cycle_not_a_request": ("编号 {id} 是{kind}记录，不是待审批的申请",
                            "record {id} is a {kind}, not a request to answer"),
    "cycle_request_answered": ("申请 {id}（{kind}）已处理：{state}，不能再次审批",
                               "request {id} ({kind}) was already answered: {state}"),
    "cycle_reason_needed": ("{step}必须说明理由（--reason）", "a {step} needs a reason (--reason)"),
    "cycle_unit_needed": ("{step}须指明办理单位（--by 单位）",
                          "a {step} needs the acting unit (--by UNIT)"),
    "cycle_not_lead": ("单位 {unit} 不是该事项的牵头单位（牵头：{lead}），不能{step}",
                       "unit {unit} does not lead this item (lead: {lead}), so it cannot "
                       "record a {step}"),
    "cycle_due_not_later": ("延期申请的新日期 {due} 须晚于当前截止日期 {current}",
                            "an extension must ask for a date after the current due date "
                            "{current} (got {due})"),
    "cycle_answer_needs_reason": ("驳回申请必须说明理由（--reason）",
                                  "rejecting a request needs a reason (--reason)"),
    # notices: 督办通知单 and 催办通知单
    "notice_kind_supervise": ("督办", "supervision"),
    "notice_kind_urge": ("催办", "reminder"),
    "notice_bad_feedback_days": ("反馈期限须为 1 至 {most} 个工作日，不能是 {days}",
                                 "the feedback period must be 1 to {most} working days, not "
                                 "{days}"),
    "notice_nothing_named": ("请用 --unit 指定单位（或 all），或用 --items 指定事项",
                             "name the units with --unit (or all), or the items with --items"),
    "notice_unit_nothing_due": ("单位 {unit} 没有需要{kind}的未完成事项（逾期、滞后或临近期限）；"
                                "可用 --items 指定事项",
                                "unit {unit} leads no open item due for a {kind} notice "
                                "(overdue, lagging or due soon); name items with --items"),
    "notice_nothing_due": ("没有单位有需要{kind}的未完成事项", "no unit has open items due for "
                           "a {kind} notice"),
    "notice_item_not_open": ("事项已是{status}，不再发通知单", "the item is {status}: no notice "
                             "is issued for it"),
    "notice_item_no_lead": ("事项没有牵头单位，无法确定通知对象（请用 --unit 指定）",
                            "the item has no lead unit to send the notice to (name one with "
                            "--unit)"),
    "notice_item_not_of_unit": ("{units} 既非该事项的主办单位也非协办单位",
                                "{units}: neither leads nor supports this item"),
    "notice_unit_no_item_named": ("单位 {unit} 不承办所列任何事项", "unit {unit} leads or "
                                  "supports none of the items named"),
    "meeting_unit_two_roles": ("单位 {unit} 只能有一种参会身份（出席、列席或请假）",
                               "unit {unit} can have one attendance role only (attends, "
                               "sits in or excused)"),
}

# reports/: weekly report, ledger workbook, meeting papers, item detail.
_REPORTS: Catalogue = {
    # weekly report: titles, section headings, column headers
    "weekly_report": ("工作进展周报", "Weekly progress report"),
    "weekly_week": ("周次", "Week"),
    "weekly_range": ("{start} 至 {end}", "{start} to {end}"),
    "weekly_generated": ("生成日期", "Generated"),
    "weekly_as_of": ("统计截至", "Figures as of"),
    "weekly_for_unit": ("单位", "Unit"),
    "weekly_overview": ("一、总体进展", "1. Overall progress"),
    "weekly_areas": ("二、各工作领域进展", "2. Progress by work area"),
    "weekly_updates": ("三、本周工作进展", "3. This week's progress"),
    "weekly_completed": ("四、本周完成及销号事项", "4. Completed or closed this week"),
    "weekly_due_moves": ("五、本周调整截止日期的事项", "5. Deadlines moved this week"),
    "weekly_red": ("六、红色预警：逾期事项", "6. Red: overdue items"),
    "weekly_yellow": ("七、黄色预警：滞后于序时进度的事项", "7. Yellow: behind expected progress"),
    "weekly_blue": ("八、蓝色预警：{days}天内到期的事项", "8. Blue: due within {days} days"),
    "weekly_silent": ("九、本周未报送进展的单位（催报）",
                      "9. Units that have not reported this week"),
    "weekly_indicators": ("十、指标监测", "10. Indicators"),
    "weekly_none": ("（无）", "(none)"),
    "weekly_plan_progress": ("计划总体进度 {progress}，序时进度 {expected}，较上周 {change}",
                             "Plan progress {progress} against {expected} expected; {change} "
                             "since last week"),
    "weekly_leaf_total": ("共 {total} 项具体事项，已完成/销号 {done} 项",
                          "{total} work items, {done} done or closed"),
    "weekly_by_status": ("按状态", "By status"),
    "weekly_by_colour": ("按预警", "By warning"),
    "weekly_count": ("数量", "Count"),
    "weekly_change": ("较上周", "Change"),
    "weekly_code": ("编码", "Code"),
    "weekly_item": ("事项", "Item"),
    "weekly_area": ("工作领域", "Work area"),
    "weekly_progress": ("进度", "Progress"),
    "weekly_expected": ("序时进度", "Expected"),
    "weekly_warning": ("预警", "Warning"),
    "weekly_done": ("完成", "Done"),
    "weekly_date": ("日期", "Date"),
    "weekly_unit": ("报送单位", "Unit"),
    "weekly_status_change": ("状态", "Status"),
    "weekly_progress_change": ("进度变化", "Progress"),
    "weekly_note": ("进展说明", "Note"),
    "weekly_lead": ("牵头单位", "Lead"),
    "weekly_due": ("截止日期", "Due"),
    "weekly_overdue_days": ("逾期天数", "Days overdue"),
    "weekly_behind": ("滞后（百分点）", "Behind (points)"),
    "weekly_days_left": ("剩余天数", "Days left"),
    "weekly_old_due": ("原截止", "From"),
    "weekly_new_due": ("新截止", "To"),
    "weekly_reason": ("原因", "Reason"),
    "weekly_times_moved": ("累计调整次数", "Times moved"),
    "weekly_open_items": ("牵头未完成事项", "Open items led"),
    "weekly_indicator": ("指标", "Indicator"),
    "weekly_measure": ("单位", "Unit"),
    "weekly_baseline": ("基线", "Baseline"),
    "weekly_target": ("目标", "Target"),
    "weekly_year_target": ("本年目标", "This year"),
    "weekly_latest": ("最新读数", "Latest"),
    "weekly_share": ("完成度", "Of the way"),
    "weekly_direction": ("方向", "Direction"),
    "weekly_up": ("↑越高越好", "↑ higher is better"),
    "weekly_down": ("↓越低越好", "↓ lower is better"),
    "weekly_off_track": ("未达年度目标", "off track"),
    # workbooks: the ledger and the weekly report in Excel
    "xlsx_ledger_sheet": ("台账", "Ledger"),
    "xlsx_updates_sheet": ("本周进展", "Updates"),
    "xlsx_ledger_title": ("{plan} 台账（截至 {today}）", "{plan}: ledger as of {today}"),
    "xlsx_updates_title": ("{plan} 本周进展（{week}，{start} 至 {end}）",
                           "{plan}: progress in {week} ({start} to {end})"),
    "xlsx_kind": ("类别", "Kind"),
    "xlsx_parent": ("汇总", "summary"),
    "xlsx_leaf": ("具体事项", "item"),
    "xlsx_support": ("配合单位", "Support"),
    "xlsx_start": ("开始日期", "Start"),
    "xlsx_status": ("状态", "Status"),
    "xlsx_note_date": ("说明日期", "Note date"),
    "xlsx_version": ("版本", "Version"),
    "xlsx_exported_status": ("导出时状态", "Exported status"),
    "xlsx_exported_progress": ("导出时进度", "Exported progress"),
    "xlsx_exported_note": ("导出时说明", "Exported note"),
    "xlsx_old_status": ("原状态", "Old status"),
    "xlsx_new_status": ("新状态", "New status"),
    "xlsx_old_progress": ("原进度", "Old progress"),
    "xlsx_new_progress": ("新进度", "New progress"),
    "xlsx_page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "xlsx_truncated": ("…（已截断，全文见系统）", "… (truncated; full text in planner)"),
    # writing a report
    "report_no_folder": ("目录不存在：{folder}", "no such folder: {folder}"),
    "report_write_failed": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    # meeting papers: agenda and minutes
    "print_section_followup": ("上次会议决定落实", "Follow-up of decisions"),
    "print_section_coordination": ("需协调事项", "Needs coordination"),
    "print_section_red": ("逾期事项", "Overdue"),
    "print_section_yellow": ("滞后加大事项", "Falling behind"),
    "print_section_indicators": ("指标", "Indicators"),
    "print_section_deadlines": ("近期到期", "Upcoming deadlines"),
    "print_section_free": ("其他议题", "Other"),
    "print_kind_joint": ("联席会议", "joint meeting"),
    "print_kind_office": ("办公会", "office meeting"),
    "print_meeting_line": ("日期：{on}    类型：{kind}    时长：{minutes}分钟",
                           "Date: {on}    Kind: {kind}    Length: {minutes} min"),
    "print_attending": ("参会单位：{n}家：{units}", "Attending: {n} units: {units}"),
    "print_agenda_title": ("议程", "Agenda"),
    "print_col_no": ("序号", "No."),
    "print_col_section": ("类别", "Section"),
    "print_col_topic": ("议题", "Topic"),
    "print_col_presenter": ("汇报单位", "Presenter"),
    "print_col_units": ("涉及单位", "Units"),
    "print_col_items": ("事项编码", "Items"),
    "print_col_minutes": ("时间（分钟）", "Minutes"),
    "print_no_entries": ("（无议题）", "(no entries)"),
    "print_details": ("议题说明", "Entry details"),
    "print_total": ("合计 {n} 分钟", "{n} minutes in all"),
    "print_excluded": ("；✗ 表示不列入（{k} 项）", "; ✗ marks entries left out ({k})"),
    "print_decisions": ("会议决定及交办事项", "Decisions and action items"),
    "print_col_decision": ("决定", "Decision"),
    "print_col_about": ("关于", "About"),
    "print_col_actions": ("交办事项", "Action items"),
    "print_no_decisions": ("（尚无决定）", "(no decisions yet)"),
    "print_action": ("{code} {title}（{lead}，截止 {due}）", "{code} {title} ({lead}, due {due})"),
    "print_action_separator": ("；", "; "),

    "show_item_archived": ("该事项已归档", "this item is archived"),
    # plan evaluation (中期评估 / 总结评估)
    "eval_final": ("总结评估报告", "Final evaluation"),
    "eval_midterm": ("中期评估报告", "Mid-term evaluation"),
    "eval_kind": ("评估类型", "Kind"),
    "eval_kind_final": ("总结评估", "final evaluation"),
    "eval_kind_midterm": ("中期评估（以序时进度为标尺）",
                          "mid-term evaluation (against time-elapsed progress)"),
    "eval_period": ("规划期", "Plan period"),
    "eval_as_of": ("评估截至", "As of"),
    "eval_overview": ("一、总体情况", "1. Overview"),
    "eval_areas": ("二、各工作领域完成情况", "2. By work area"),
    "eval_units": ("三、各牵头单位完成情况", "3. By lead unit"),
    "eval_late": ("四、逾期完成事项", "4. Items completed late"),
    "eval_due_moves": ("五、截止日期调整情况", "5. Deadline moves"),
    "eval_indicators": ("六、指标完成情况", "6. Indicators"),
    "eval_unfinished": ("七、未完成事项", "7. Unfinished items"),
    "eval_time_line": ("规划期已过 {elapsed}（序时进度）；"
                       "计划总体进度 {progress}，应达 {expected}。",
                       "{elapsed} of the plan period has elapsed; plan progress {progress} "
                       "against {expected} expected."),
    "eval_items_line": ("共 {total} 项具体事项：按期完成 {on_time} 项，逾期完成 {late} 项，"
                        "已结转 {carried_over} 项，已取消 {cancelled} 项，未完成 {open} 项"
                        "（其中逾期 {overdue} 项）。",
                        "{total} work items: {on_time} completed on time, {late} completed "
                        "late, {carried_over} carried over, {cancelled} cancelled, {open} open "
                        "({overdue} of them overdue)."),
    "eval_indicators_line": ("共 {total} 项指标：提前实现 {ahead} 项，已实现 {achieved} 项，"
                             "基本符合预期 {on_track} 项，滞后 {behind} 项，未开展 "
                             "{not_started} 项。",
                             "{total} indicators: {ahead} achieved early, {achieved} achieved, "
                             "{on_track} on track, {behind} behind, {not_started} not started."),
    "eval_rules_line": ("评价标准：最新读数达到目标，"
                        "且在规划期最后一天之前已达到并保持的为“提前实现”，"
                        "期末或之后达到的为“已实现”；未达到目标的，完成度不低于序时进度减 "
                        "{tolerance} 个百分点为“基本符合预期”，否则为“滞后”；规划期内尚无读数的为"
                        "“未开展”。事项按现行截止日期（含经批准的调整）判断是否按期，逾期按工作日计。",
                        "Rules: an indicator whose latest reading meets the target, and has "
                        "met it since a reading before the period's last day, is achieved "
                        "early; met on that day or later, achieved; otherwise on track when "
                        "its share of the way is at least the time elapsed minus {tolerance} "
                        "points, else behind; not started without a reading in the period. "
                        "Items are on time against their deadline in force (approved moves "
                        "included); lateness is counted in working days."),
    "eval_items": ("事项数", "Items"),
    "eval_overdue": ("其中逾期", "Overdue"),
    "eval_total": ("合计", "Total"),
    "eval_no_lead": ("（未指定牵头单位）", "(no lead unit)"),
    "eval_completed": ("完成日期", "Completed"),
    "eval_days_late": ("逾期（工作日）", "Late (working days)"),
    "eval_reading_date": ("读数日期", "Reading date"),
    "eval_judgement": ("评价", "Judgement"),
    "eval_note_date": ("说明日期", "Note date"),
    "eval_overdue_mark": ("▲逾期", "▲overdue"),
    "eval_areas_sheet": ("工作领域", "Areas"),
    "eval_units_sheet": ("牵头单位", "Units"),
    "eval_late_sheet": ("逾期完成", "Late"),
    "eval_moves_sheet": ("截止调整", "Deadline moves"),
    "eval_indicators_sheet": ("指标", "Indicators"),
    "eval_unfinished_sheet": ("未完成事项", "Unfinished"),
    "eval_sheet_title": ("{plan} {kind}：{sheet}（截至 {as_of}）",
                         "{plan}: {kind}: {sheet} (as of {as_of})"),
    "eval_written": ("评估报告已写入 {path}", "evaluation report written to {path}"),
    # an item's links to other plans (its detail)
    "link_carried_from_from": ("结转自", "Carried over from"),
    "link_carried_from_to": ("已结转至", "Carried over to"),
    "link_implements_from": ("落实", "Carries out"),
    "link_implements_to": ("落实事项", "Carried out by"),
    "undecomposed_report": ("未分解事项清单", "items not broken down"),
    "undecomposed_title": ("{year} 年度计划未落实的事项（未分解）",
                           "Items no annual plan carries out in {year}"),
    "undecomposed_count": ("共 {count} 项未完成事项没有任何进行中的年度计划落实。",
                           "{count} unfinished items are carried out by no open annual plan."),
    "plans_col_id": ("计划", "plan"),
    "plans_col_kind": ("类型", "kind"),
    "plans_col_title": ("名称", "title"),
    "plans_col_period": ("期限", "period"),
    "plans_col_state": ("状态", "state"),
    "plans_col_items": ("完成/事项", "done/items"),
    "plans_col_progress": ("进度", "progress"),
    "plans_col_expected": ("序时", "expected"),
    "plans_col_warning": ("预警", "warning"),
    "plans_unreported": ("{count} 项未报", "{count} unreported"),
    "plan_kind_five-year": ("五年规划", "five-year"),
    "plan_kind_annual": ("年度计划", "annual"),
    "plan_kind_programme": ("专项方案", "programme"),
    "plan_state_open": ("进行中", "open"),
    "plan_state_closed": ("已关闭", "closed"),
    "cycle_to_unit": ("交 {unit}", "to {unit}"),
    "cycle_new_due": ("新截止日期 {due}", "new due date {due}"),
    "cycle_answers": ("答复申请 #{id}", "answers request #{id}"),
    "inbox_awaiting_ack": ("待签收（{by} 前）", "awaiting acknowledgement (by {by})"),
    "inbox_returned": ("已退办，待重新交办", "returned, to reassign"),
    "inbox_due_asked": ("截止日期 {due} → {new}", "due {due} → {new}"),
    "inbox_late": ("已超期", "late"),
    "inbox_empty": ("没有待处理的督办事项", "nothing waits in the inbox"),
    "office_no_libreoffice": (
        "生成 PDF 需要 LibreOffice（soffice），本机未安装；可改用 --format docx",
        "PDF needs LibreOffice (soffice), which is not installed; use --format docx instead"),
    "office_convert_timeout": ("LibreOffice 转换 PDF 超过 {seconds} 秒未完成",
                               "LibreOffice did not finish the PDF within {seconds} s"),
    "office_convert_failed": ("LibreOffice 转换 PDF 失败：{reason}",
                              "LibreOffice could not convert to PDF: {reason}"),
    "paper_subtitle": ("（{year}年第{week}周，{start}至{end}）",
                       "(week {week} of {year}, {start} to {end})"),
    "paper_overview": ("总体情况", "Overview"),
    "paper_progress": ("本周进展", "This week's progress"),
    "paper_problems": ("存在问题", "Problems"),
    "paper_next": ("下步安排", "Next steps"),
    "paper_annex": ("附件", "Annex"),
    "paper_annex_title": ("事项台账（截至{day}）", "Item ledger (as of {day})"),
    "paper_total": ("截至{day}，共有具体事项{total}项，其中已完成（含销号）{done}项，"
                    "推进中{in_progress}项{rest}。",
                    "As of {day} there are {total} items: {done} done or closed, "
                    "{in_progress} in progress{rest}."),
    "paper_blocked": ("，受阻{n}项", ", {n} blocked"),
    "paper_not_started": ("，未启动{n}项", ", {n} not started"),
    "paper_cancelled": ("，已取消{n}项", ", {n} cancelled"),
    "paper_pace": ("总体进度{progress}，序时进度{expected}，{gap}；{change}。",
                   "Overall progress is {progress} against {expected} expected, {gap}; "
                   "{change}."),
    "paper_behind": ("落后序时进度{n}个百分点", "{n} points behind"),
    "paper_ahead": ("快于序时进度{n}个百分点", "{n} points ahead"),
    "paper_on_pace": ("与序时进度持平", "on pace"),
    "paper_up": ("较上周提高{n}个百分点", "up {n} points on last week"),
    "paper_down": ("较上周下降{n}个百分点", "down {n} points on last week"),
    "paper_flat": ("与上周持平", "unchanged from last week"),
    "paper_warnings": ("红色预警{red}项，{red_change}；黄色预警{yellow}项，{yellow_change}。",
                       "Red: {red}, {red_change}; yellow: {yellow}, {yellow_change}."),
    "paper_more": ("比上周增加{n}项", "{n} more than last week"),
    "paper_fewer": ("比上周减少{n}项", "{n} fewer than last week"),
    "paper_week": ("本周报送进展{updates}条，完成{completed}项{moves}。",
                   "Updates this week: {updates}; completed: {completed}{moves}."),
    "paper_week_moves": ("，调整截止日期{n}项", "; deadlines moved: {n}"),
    "paper_chart_caption": ("图1 各工作领域进度（深色）与序时进度（浅色），左侧为领域编码",
                            "Figure 1. Progress (dark) and expected progress (light) by work "
                            "area code"),
    "paper_no_updates": ("本周无进展报送。", "No updates were reported this week."),
    "paper_area_summary": ("本周报送进展{n}条{done}。", "Updates this week: {n}{done}."),
    "paper_area_done": ("，完成{n}项", "; completed: {n}"),
    "paper_status_move": ("由{old}转为{new}", "{old} → {new}"),
    "paper_progress_up": ("进度由{old}提高到{new}", "progress up from {old} to {new}"),
    "paper_progress_moved": ("进度由{old}调整为{new}", "progress changed from {old} to {new}"),
    "paper_progress_at": ("进度{now}", "progress {now}"),
    "paper_update": ("{code} {title}（{unit}）：{change}{note}。",
                     "{code} {title} ({unit}): {change}{note}."),
    "paper_more_updates": ("另有{n}条进展，详见附件。", "{n} more updates: see the annex."),
    "paper_red": ("逾期事项", "Overdue items"),
    "paper_red_intro": ("红色预警{n}项，均已超过截止日期：", "Past their deadline: {n}."),
    "paper_yellow": ("滞后事项", "Items behind"),
    "paper_yellow_all": ("黄色预警{n}项，进度滞后于序时进度：",
                         "Behind expected progress: {n}."),
    "paper_yellow_top": ("黄色预警{n}项，滞后最多的{k}项如下：",
                         "Behind expected progress: {n}; the {k} furthest behind:"),
    "paper_yellow_rest": ("其余{n}项滞后{most}个百分点及以下，详见附件。",
                          "The other {n} are at most {most} points behind: see the annex."),
    "paper_no_warnings": ("本周无红色、黄色预警事项。", "No red or yellow items this week."),
    "paper_moves": ("截止日期调整", "Deadlines moved"),
    "paper_move": ("{code} {title}：截止日期由{old}调整为{new}（{reason}，累计调整{times}次）。",
                   "{code} {title}: due {old} → {new} ({reason}; moved {times} times)."),
    "paper_indicators": ("指标监测", "Indicators"),
    "paper_indicator": ("{name}：最新读数{latest}{measure}，未达本年目标{target}{measure}。",
                        "{name}: latest {latest} {measure}, short of this year's target "
                        "{target} {measure}."),
    "paper_due": ("近期到期事项", "Due soon"),
    "paper_due_intro": ("未来{days}天内到期{n}项，请牵头单位抓紧推进：",
                        "Due within {days} days: {n}."),
    "paper_due_none": ("未来{days}天内无到期事项。", "Nothing falls due within {days} days."),
    "paper_chase": ("催报", "Reports missing"),
    "paper_chase_intro": ("以下{n}个单位本周未报送进展，请于下周一前补报：{units}。",
                          "Units with no report this week: {n}; please report by Monday: "
                          "{units}."),
    "paper_chase_unit": ("{unit}（牵头未完成事项{n}项：{codes}）",
                         "{unit} (open items: {n}: {codes})"),
    "paper_and_more": ("等", " and more"),
    "paper_chase_none": ("本周各牵头单位均已报送进展。", "Every lead unit reported this week."),
    "paper_days_to_due": ("剩余天数", "Days left"),
    "paper_red_rest": ("其余{n}项逾期{most}天及以下，详见附件。",
                       "The other {n} are at most {most} days overdue: see the annex."),
    "paper_due_rest": ("其余{n}项详见附件。", "The other {n}: see the annex."),
    # assessment.py: the unit assessment (考核评分)
    "assess_title": ("考核评分", "unit assessment"),
    "assess_period": ("考核期间：{start} 至 {end}", "Period: {start} to {end}"),
    "assess_as_of": ("计算日期：{day}（只计已记录的事件）",
                     "Computed as of {day} (recorded events only)"),
    "assess_rules": ("评分规则：{name}", "Rules: {name}"),
    "assess_ties": ("同分者名次并列，按单位列表顺序排列",
                    "Equal scores share a rank and are listed in the units' order"),
    "assess_ranking": ("排名", "Ranking"),
    "assess_no_units": ("（无参评单位）", "(no units to assess)"),
    "assess_col_rank": ("名次", "Rank"),
    "assess_col_unit": ("单位", "Unit"),
    "assess_col_unit_id": ("单位代码", "Unit id"),
    "assess_col_score": ("得分", "Score"),
    "assess_col_plus": ("加分", "Added"),
    "assess_col_minus": ("扣分", "Deducted"),
    "assess_col_lines": ("计分项", "Lines"),
    "assess_col_date": ("日期", "Date"),
    "assess_col_code": ("编码", "Code"),
    "assess_col_item": ("事项", "Item"),
    "assess_col_event": ("事件", "Event"),
    "assess_col_rule": ("规则", "Rule"),
    "assess_col_points": ("分值", "Points"),
    "assess_unit_heading": ("第{rank}名　{name}（{unit}）　{score} 分",
                            "No. {rank}: {name} ({unit}), {score} points"),
    "assess_total": ("合计", "Total"),
    "assess_kind_base": ("基础分", "Base score"),
    "assess_kind_on_time": ("按期办结", "Finished on time"),
    "assess_kind_late": ("逾期办结", "Finished late"),
    "assess_kind_overdue": ("期末逾期未办结", "Overdue and unfinished at the period's end"),
    "assess_kind_extension": ("再次延期", "Extension beyond the first"),
    "assess_kind_returned": ("退办", "Returned to the coordinators"),
    "assess_kind_missed_report": ("未按期报送进展", "Missed reporting cycle"),
    "assess_kind_sent_back": ("办结被退回", "Completion sent back"),
    "assess_role": ("（{role}）", " ({role})"),
    "assess_role_lead": ("牵头", "lead"),
    "assess_role_support": ("配合", "support"),
    "assess_rule_days": ("{per_day} × {days} 个工作日", "{per_day} × {days} working days"),
    "assess_rule_cap": ("，以 {cap} 为限", ", capped at {cap}"),
    "assess_rule_weight": (" × 权重 {weight}", " × weight {weight}"),
    "assess_rule_factor": (" × 配合系数 {factor}", " × support factor {factor}"),
    "assess_lines_sheet": ("计分明细", "Lines"),
    "assess_sheet_caption": ("{plan} 考核评分 {start} 至 {end}",
                             "{plan} unit assessment {start} to {end}"),
    "assess_period_empty": ("考核期间为空：开始 {start} 晚于结束 {end}（结束日期不晚于今天）",
                            "empty period: its start {start} is after its end {end} (a period "
                            "ends today at the latest)"),
    "assess_written": ("考核评分已写入 {path}", "assessment written to {path}"),
    # notice.py: 督办通知单 and 催办通知单
    "history_notice": ("通知单 {number} 致 {unit}（{role}），反馈时限 {due}",
                       "notice {number} to {unit} ({role}), feedback due {due}"),
    "notice_role_lead": ("主办", "lead unit"),
    "notice_role_support": ("协办", "supporting unit"),
    "notice_role_both": ("主办或协办", "lead or supporting unit"),
    "notice_default_office": ("知识产权工作联席会议办公室",
                              "Office of the Joint Meeting on Intellectual Property"),
    "notice_title_supervise": ("督办通知单", "Supervision Notice"),
    "notice_title_urge": ("催办通知单", "Reminder Notice"),
    "notice_addressee": ("{unit}：", "To: {unit}"),
    "notice_intro_supervise": ("现将你单位{role}的以下{n}项工作列入督办，请对照要求加快推进，"
                               "确保按期办结，并按时反馈。",
                               "The {n} items below, which your unit handles as {role}, are "
                               "under supervision: please speed them up, finish each by its "
                               "deadline and report back in time."),
    "notice_intro_urge": ("你单位{role}的以下{n}项督办事项已逾期或进度滞后，现予催办，请抓紧办理，"
                          "并按时反馈进展及下步措施。",
                          "The {n} supervised items below, which your unit handles as {role}, "
                          "are overdue or behind schedule: please act on them at once and "
                          "report progress and next steps in time."),
    "notice_source_label": ("事项来源：", "Source: "),
    "notice_source_plan": ("《{plan}》", "{plan}"),
    "notice_source_decision": ("{on}{meeting}议定事项（{decision}）",
                               "decision of {meeting}, {on} ({decision})"),
    "notice_source_separator": ("；", "; "),
    "notice_source_codes": ("（{codes}）", " ({codes})"),
    "notice_col_code": ("编码", "Code"),
    "notice_col_item": ("督办事项及要求", "Item and requirement"),
    "notice_col_progress": ("当前进展", "Progress"),
    "notice_col_lead": ("主办单位", "Lead unit"),
    "notice_col_support": ("协办单位", "Supporting units"),
    "notice_col_due": ("办结时限", "Deadline"),
    "notice_progress": ("{status}，进度{progress}%", "{status}, {progress}%"),
    "notice_expected": ("序时进度{expected}%", "schedule {expected}%"),
    "notice_overdue_days": ("已逾期{days}天", "{days} days overdue"),
    "notice_feedback_label": ("反馈要求：", "Feedback: "),
    "notice_feedback": ("请于{due}前（{days}个工作日内）将办理进展、存在问题及下步措施以{form}"
                        "报送{office}。",
                        "please send progress, problems and next steps by {due} (within "
                        "{days} working days) as {form} to the {office}."),
    "notice_default_form": ("书面材料（加盖公章）",
                            "a written report with the unit's seal"),
    "notice_contact_label": ("联系人：", "Contact: "),
    "notice_move_failed": ("通知单已发出并登记，但无法移到 {path}（{reason}）；文件在 {temporary}",
                           "the notices were issued and recorded, but could not be moved to "
                           "{path} ({reason}); the file is {temporary}"),
    "notice_preview_header": ("（试运行，未编号、未登记）将发出{kind} {n} 份，反馈时限 {due}：",
                              "(dry run: nothing numbered or recorded) {kind}: {n} would be "
                              "issued, feedback due {due}:"),
    "notice_preview_unit": ("{number}（预计）致 {unit}（{id}），{n} 项：",
                            "{number} (expected) to {unit} ({id}), {n} items:"),
    "notice_preview_item": ("  {code} {title}（{role}，办结时限 {due}；{situation}）",
                            "  {code} {title} ({role}, deadline {due}; {situation})"),
    "print_place": ("地点：{place}", "Place: {place}"),
    "print_minutes_title": ("{title}纪要", "{title}: minutes"),
    "print_minutes_title_meeting": ("{title}会议纪要", "{title}: minutes"),
    "print_attendance": ("出席、列席和请假单位", "Attending, sitting in and excused"),
    "print_role_attend": ("出席：", "Attending: "),
    "print_role_sit-in": ("列席：", "Sitting in: "),
    "print_role_absent": ("请假：", "Excused: "),
    "notice_title": ("关于召开{title}的通知", "Notice of the {title}"),
    "notice_to": ("各有关单位：", "To the units concerned:"),
    "notice_opening": ("经研究，定于{day}召开{title}。现将有关事项通知如下：",
                       "The {title} will be held on {day}. The arrangements are as follows:"),
    "notice_time": ("会议时间", "Time"),
    "notice_time_text": ("{day}（{weekday}），会期约{minutes}分钟。",
                         "{day} ({weekday}), about {minutes} minutes."),
    "notice_place": ("会议地点", "Place"),
    "notice_place_unset": ("另行通知。", "To be announced."),
    "notice_units": ("参会单位", "Units attending"),
    "notice_agenda": ("会议议程", "Agenda"),
    "notice_agenda_unset": ("议程另行通知。", "The agenda will follow."),
    "notice_requirements": ("有关要求", "Requirements"),
    "notice_requirement": ("请各参会单位主要负责同志或分管负责同志按时参会，做好汇报准备；"
                           "确因特殊情况不能参会的，请提前请假并明确委托参会人员。",
                           "Each unit's head or deputy head attends on time, ready to report; "
                           "a unit that cannot attend says so beforehand and names who attends "
                           "in its place."),
    "weekday_0": ("星期一", "Monday"),
    "weekday_1": ("星期二", "Tuesday"),
    "weekday_2": ("星期三", "Wednesday"),
    "weekday_3": ("星期四", "Thursday"),
    "weekday_4": ("星期五", "Friday"),
    "weekday_5": ("星期六", "Saturday"),
    "weekday_6": ("星期日", "Sunday"),
    # bulletin.py: the 督查通报
    "bulletin_year": ("{year}年", "{year}"),
    "bulletin_month": ("{year}年{month}月", "{year}-{month:02d}"),
    "bulletin_half": ("{year}年{half}", "{year} {half}"),
    "bulletin_half_1": ("上半年", "H1"),
    "bulletin_half_2": ("下半年", "H2"),
    "bulletin_quarter": ("{year}年第{quarter}季度", "{year} Q{quarter}"),
    "bulletin_days": ("{start}至{end}", "{start} to {end}"),
    "bulletin_title": ("关于{period}{plan}落实情况的通报",
                       "Bulletin on the progress of {plan} in {period}"),
    "bulletin_addressee": ("各成员单位", "All member units"),
    "bulletin_default_office": ("督查督办工作办公室", "Supervision Office"),
    "bulletin_items": ("{period}，{units}个成员单位牵头的{items}项任务中，期内到期{due}项。",
                       "In {period}, {units} member units led {items} items, {due} of them "
                       "due in the period."),
    "bulletin_finished": ("期内办结{n}项，其中按期办结{on_time}项、逾期办结{late}项，"
                          "按期办结率{rate}；",
                          "{n} were finished in the period, {on_time} on time and {late} late "
                          "({rate} on time);"),
    "bulletin_none_finished": ("期内无办结事项；", "None was finished in the period;"),
    "bulletin_overdue": ("截至{day}，逾期未办结{n}项。",
                         "at {day}, {n} were overdue and unfinished."),
    "bulletin_no_overdue": ("截至{day}，无逾期未办结事项。", "at {day}, none was overdue."),
    "bulletin_missed": ("{units}个单位共{n}次未按调度周期报送进展。",
                        "{units} units missed {n} reporting cycles in all."),
    "bulletin_all_reported": ("各单位均按调度周期报送了进展。",
                              "Every unit reported in every cycle."),
    "bulletin_scores": ("{n}个单位参加考核评分，平均{average}分，最高{top}分，最低{bottom}分。",
                        "{n} units were assessed: {average} points on average, {top} at best "
                        "and {bottom} at worst."),
    "bulletin_honour": ("{name}（{score}分）", "{name} ({score})"),
    "bulletin_honour_tied": ("{name}（{score}分，并列第{rank}名）",
                             "{name} ({score}, tied at rank {rank})"),
    "bulletin_list_none": ("无", "none"),
    "bulletin_red": ("红榜（得分前{n}名）：{units}。", "Red list (the best {n}): {units}."),
    "bulletin_yellow": ("黄榜（得分后{n}名）：{units}。", "Yellow list (the worst {n}): {units}."),
    "bulletin_lists_rule": ("同分者名次并列，与榜上最后一名同分的单位一并列入，"
                            "一个单位不同时列入两榜。",
                            "Equal scores share a rank; a unit tied with the last one named is "
                            "named too, and no unit is on both lists."),
    "bulletin_lists_short": ("参评单位{units}个，不足两榜之和，红榜列{red}个、黄榜列{yellow}个。",
                             " With {units} units assessed, fewer than both lists together, the "
                             "red list names {red} and the yellow list {yellow}."),
    "bulletin_and_others": ("等{n}个单位", " and others ({n} units)"),
    "bulletin_req_overdue_head": ("抓紧办理逾期事项。", "Finish the overdue items. "),
    "bulletin_req_overdue": ("请{units}对逾期未办结事项逐项分析原因，明确办结时限和措施，"
                             "于{day}前书面反馈。",
                             "{units}: for each overdue item, state the cause, the measures "
                             "and a date to finish it, in writing by {day}."),
    "bulletin_req_report_head": ("按时报送进展。", "Report on time. "),
    "bulletin_req_report": ("{units}未按调度周期报送进展，请严格按调度周期报送，如实反映进展和"
                            "问题。",
                            "{units} missed reporting cycles: report in every cycle, stating "
                            "progress and problems as they are."),
    "bulletin_req_yellow_head": ("认真整改提高。", "Improve. "),
    "bulletin_req_yellow": ("列入黄榜的{units}要认真查找原因，于{day}前报送整改措施。",
                            "{units}, on the yellow list, state the causes and their measures "
                            "by {day}."),
    "bulletin_req_all_head": ("压实工作责任。", "Keep to the plan. "),
    "bulletin_req_all": ("各成员单位要对照任务分工，压实责任，倒排工期，确保各项任务按期完成。",
                         "Every member unit works to its assignments so that every item is "
                         "finished on time."),
    "bulletin_part_overview": ("总体情况", "Overall situation"),
    "bulletin_part_units": ("各单位落实情况", "By unit"),
    "bulletin_units_intro": ("各成员单位牵头事项落实情况如下（逾期未办结以期末状态计，"
                             "未按期报送以调度周期计）：",
                             "The items each member unit leads (overdue as at the period's end; "
                             "missed reports counted in reporting cycles):"),
    "bulletin_col_led": ("牵头事项", "Items led"),
    "bulletin_col_due": ("期内到期", "Due"),
    "bulletin_col_on_time": ("按期办结", "On time"),
    "bulletin_col_late": ("逾期办结", "Late"),
    "bulletin_col_overdue": ("逾期未办结", "Overdue"),
    "bulletin_col_missed": ("未按期报送（次）", "Missed reports"),
    "bulletin_part_overdue": ("逾期未办结事项", "Overdue items"),
    "bulletin_overdue_intro": ("截至{day}，以下{n}项任务已过办结时限仍未办结：",
                               "At {day}, these {n} items are past their due dates and "
                               "unfinished:"),
    "bulletin_overdue_rest": ("另有{n}项逾期未办结（最长{most}天），不再逐项列出。",
                              "{n} more are overdue (at most {most} days), not listed one by "
                              "one."),
    "bulletin_overdue_none": ("截至{day}，无逾期未办结事项。", "At {day}, no item is overdue."),
    "bulletin_part_ranking": ("考核排名和红黄榜", "Ranking, red and yellow lists"),
    "bulletin_ranking_intro": ("按考核评分规则（{rules}），各单位得分和排名如下：",
                               "Scored by the assessment rules ({rules}), the units rank as "
                               "follows:"),
    "bulletin_part_next": ("下步要求", "Next steps"),
}

# cli/: command help, arguments, what each command prints.
_COMMANDS: Catalogue = {
    # help texts that differ by language (the Chinese help keeps its bilingual wording)
    "cli_help_description": ("十四五知识产权重点任务督办台账 / plan tracker",
                             "plan tracker for the 14th Five-Year IP work items"),
    "cli_help_init": ("create the database and load the plan / 初始化",
                      "create the database and load the plan"),
    "cli_help_validate": ("check a plan file / 校验计划文件", "check a plan file"),
    "cli_help_import": ("merge a plan file by code / 导入合并", "merge a plan file by code"),
    "cli_help_export": ("导出计划文件（yaml），或导出任务分工方案（xlsx、docx、pdf）",
                        "write the plan file (yaml), or the plan as a task division table "
                        "(xlsx, docx, pdf)"),
    "cli_help_tree": ("the tree with rollups / 任务树", "the tree with rollups"),
    "cli_help_tree_warn": ("only these colours: red,yellow,blue,green (红,黄,蓝,绿)",
                           "only these colours: red,yellow,blue,green"),
    "cli_help_show": ("one item with its history / 事项详情", "one item with its history"),
    "cli_help_update": ("record progress / 更新进展", "record progress"),
    "cli_help_update_status": ("not_started|in_progress|blocked|done|closed|cancelled or "
                               "未启动|推进中|受阻|已完成|已销号|已取消",
                               "not_started|in_progress|blocked|done|closed|cancelled"),
    "cli_help_update_note": ("progress note / 进展说明", "progress note"),
    "cli_help_update_by": ("reporting unit id / 报送单位", "reporting unit id"),
    "cli_help_update_due": ("new due date (needs --reason) / 调整截止日期",
                            "new due date (needs --reason)"),
    "cli_help_update_reason": ("why the due date moves / 调整原因", "why the due date moves"),
    "cli_help_reading": ("record an indicator reading / 记录指标读数",
                         "record an indicator reading"),
    "cli_help_reading_source": ("where the figure comes from / 数据来源",
                                "where the figure comes from"),
    "cli_help_indicators": ("list indicators / 指标一览", "list indicators"),
    "cli_help_flag": ("flag: needs coordination / 标记需协调", "flag: needs coordination"),
    "cli_help_unflag": ("clear the flag / 取消需协调", "clear the flag"),
    "cli_help_report": ("reports / 报表", "reports"),
    "cli_help_weekly": ("weekly progress report / 周报", "weekly progress report"),
    "cli_help_ledger": ("the item ledger / 台账", "the item ledger"),
    "cli_help_meeting": ("joint meetings / 联席会议", "joint meetings"),
    "cli_help_meeting_new": ("plan a meeting / 新建会议", "plan a meeting"),
    "cli_help_meeting_minutes": ("print the minutes / 会议纪要", "print the minutes"),
    "cli_help_decide": ("record a decision / 记录决定", "record a decision"),
    "cli_help_agenda": ("propose, edit and print an agenda / 会议议程",
                        "propose, edit and print an agenda"),
    "cli_help_user": ("users and access / 用户与权限", "users and access"),
    "cli_help_user_add": ("add a unit's user or a coordinator / 添加用户",
                          "add a unit's user or a coordinator"),
    "cli_help_user_grant": ("change a user's unit or role / 调整用户单位或角色",
                            "change a user's unit or role"),
    "cli_help_coordinator": ("may do everything / 协调员", "may do everything"),
    "cli_help_user_list": ("list users / 用户列表", "list users"),
    "cli_help_db": ("schema version / 数据库结构", "schema version"),
    "cli_help_backup": ("back up the whole database / 备份", "back up the whole database"),
    "cli_help_restore": ("restore a backup / 从备份恢复", "restore a backup"),
    "cli_help_restore_force": ("replace the content of a non-empty database / 覆盖已有数据",
                               "replace the content of a non-empty database"),
    "cli_help_restore_trust": ("restore a backup without users over a database with users "
                               "(everyone becomes a coordinator) / 允许进入信任模式",
                               "restore a backup without users over a database with users "
                               "(everyone becomes a coordinator)"),
    "cli_help_tui": ("open the terminal UI / 打开终端界面", "open the terminal UI"),
    # the error boundary and the arguments
    "cli_bad_today": ("--today/PLANNER_TODAY：{problem}", "--today/PLANNER_TODAY: {problem}"),
    "cli_arg_note": ("进展说明", "note"),
    "cli_arg_reason": ("原因", "reason"),
    "cli_arg_source": ("数据来源", "source"),
    "cli_arg_code": ("编码", "code"),
    "cli_arg_option": ("{name}（{option}）", "{name} ({option})"),
    "cli_interrupted": ("已中断，未完成的改动没有保存",
                        "interrupted; an unfinished change was not saved"),
    "cli_internal_error": ("内部错误：{detail}（设置 PLANNER_DEBUG=1 查看详情）",
                           "internal error: {detail} (PLANNER_DEBUG=1 for details)"),
    "cli_bad_list_entry": ("{option} 的值无效：{entry}", "{option}: not a valid entry: {entry}"),
    "cli_no_database_file": ("数据库文件不存在：{path}（请先运行 planner init）",
                             "no database file at {path} (run `planner init` first)"),
    "cli_schema_upgraded": ("数据库已升级到新版本，升级前的备份：{backup}",
                            "the database was upgraded to the new schema; backup first: "
                            "{backup}"),
    # plans and files
    "cli_init_has_plan": ("数据库已有计划，未做改动：{url}（合并新内容请用 planner import FILE）",
                          "the database already holds a plan, nothing changed: {url} "
                          "(use `planner import FILE` to merge)"),
    "cli_initialised": ("已初始化 {url}：{created} 个事项、{units} 个单位、{indicators} 个指标",
                        "initialised {url}: {created} items, {units} units, "
                        "{indicators} indicators"),
    "cli_valid": ("{file}：有效。{units} 个单位，{items} 个事项"
                  "（另由重复规则生成 {generated} 个），{indicators} 个指标",
                  "{file}: valid. {units} units, {items} items (plus {generated} generated by "
                  "repeat rules), {indicators} indicators"),
    "cli_dry_run_prefix": ("（试运行，未保存）", "(dry run, nothing saved) "),
    "cli_imported": ("{prefix}新增 {created}，更新 {updated}，未变 {unchanged}；"
                     "状态/进度变更 {status_changes}，截止日期变更 {due_changes}",
                     "{prefix}created {created}, updated {updated}, unchanged {unchanged}; "
                     "status/progress changes {status_changes}, due-date changes "
                     "{due_changes}"),
    "cli_exported": ("已导出到 {file}", "exported to {file}"),
    # items
    "cli_unknown_colour": ('未知预警颜色"{name}"（red/yellow/blue/green 或 红/黄/蓝/绿）',
                           'unknown warning colour "{name}" (red, yellow, blue, green)'),
    "cli_no_item": ("没有编码为 {code} 的事项", "no item with code {code}"),
    "cli_unknown_unit": ('未知单位"{unit}"', 'unknown unit "{unit}"'),
    "cli_bad_depth": ("--depth 必须 ≥ 1", "--depth must be at least 1"),
    "cli_reason_needs_due": ("--reason 需与 --due 一起使用", "--reason goes with --due"),
    "cli_update_nothing": ("请至少给出 --status、--progress、--note 或 --due 之一",
                           "give at least one of --status, --progress, --note or --due"),
    "cli_due_moved": ("{code} 截止日期调整为 {due}", "{code} now due {due}"),
    "cli_update_recorded": ("{code}：{status} {progress}%（已记录）",
                            "{code}: {status} {progress}% (recorded)"),
    "cli_reading_recorded": ("{code}：已记录 {value}（{on}）", "{code}: recorded {value} ({on})"),
    "cli_flagged": ("{code} 已标记为需协调", "{code} flagged for coordination"),
    "cli_unflagged": ("{code} 已取消需协调标记", "{code}: coordination flag cleared"),
    # reports and the ledger
    "cli_week_or_date": ("--week 与 --date 只能给一个", "give --week or --date, not both"),
    "cli_xlsx_needs_output": ("xlsx 格式需要 -o 文件名", "the xlsx format needs -o FILE"),
    "cli_ledger_written": ("台账已写入 {file}（{n} 项）", "ledger written to {file} ({n} items)"),
    "cli_ledger_applied": ("已应用 {n} 项变更（记入历史，报送单位 {unit}）",
                           "applied {n} changes (recorded in history, unit {unit})"),
    "cli_ledger_dry_run": ("试运行：{n} 项将变更；确认无误后加 --apply 应用",
                           "dry run: {n} changes; add --apply to record them"),
    # meetings
    "cli_meeting_id_number": ("会议编号必须是数字：{value}", "a meeting id is a number: {value}"),
    "cli_no_meeting": ("没有编号为 {value} 的会议", "no meeting {value}"),
    "cli_document_formats": ("议程和纪要支持 txt、md、html、docx、pdf 格式",
                             "agenda and minutes are txt, md, html, docx or pdf"),
    "cli_written": ("已写入 {file}", "written to {file}"),
    "cli_marked_held": ("已标记为已召开", "marked as held"),
    "cli_actions_follow": ("--lead、--due、--support 须跟在各自的 --action 之后",
                           "--lead, --due and --support belong to an --action"),
    "cli_decision_recorded": ("已记录决定 {id}；交办事项：{codes}",
                              "decision {id} recorded; action items: {codes}"),
    "cli_move_to": ("--move 与 --to 需一起使用", "--move and --to go together"),
    # users
    "cli_role_coordinator": ("协调员", "coordinator"),
    "cli_role_unit": ("单位 {unit} {name}", "unit {unit} {name}"),
    "cli_user_added": ("已添加用户 {name}（{role}）", "user {name} added ({role})"),
    "cli_user_granted": ("用户 {name} 现为{role}", "user {name} is now {role}"),
    "cli_no_users": ("尚无用户：信任模式，任何人都可修改计划（planner user add NAME --coordinator "
                     "添加第一位协调员）",
                     "no users yet: trust mode, anyone may edit the plan (add the first "
                     "coordinator with `planner user add NAME --coordinator`)"),
    # the database as a whole
    "cli_db_current": ("数据库 {url}：结构版本 {current}，程序版本 {head}",
                       "database {url}: schema {current}, program schema {head}"),
    "cli_db_up_to_date": ("数据库结构已是最新（{revision}）",
                          "the schema is already current ({revision})"),
    "cli_db_upgraded": ("数据库结构已从 {before} 升级到 {after}",
                        "schema upgraded from {before} to {after}"),
    "cli_db_empty": ("空", "empty"),
    "cli_backup_kind_sqlite": ("SQLite 数据库文件", "sqlite"),
    "cli_backup_kind_json": ("JSON 导出", "json"),
    "cli_backed_up": ("已备份到 {file}（{kind}，共 {rows} 行，其中历史记录 {history} 条）",
                      "backed up to {file} ({kind}, {rows} rows, {history} history entries)"),
    "cli_restore_trust_mode": ("警告：恢复的备份中没有用户，数据库现处于信任模式"
                               "（人人都是协调员）；请尽快用 planner user add 添加协调员",
                               "warning: the restored backup has no users, so the database is "
                               "in trust mode now (everyone is a coordinator); add a "
                               "coordinator soon with `planner user add`"),
    "cli_restore_replaced": ("（已覆盖原有内容）", " (previous content replaced)"),
    "cli_restored": ("已从 {file} 恢复 {rows} 行，其中历史记录 {history} 条{replaced}",
                     "restored {rows} rows ({history} history entries) from {file}{replaced}"),
    "cli_help_undecomposed": ("未分解事项：本年没有进行中的年度计划落实的事项",
                              "items no open annual plan carries out this year"),
    "cli_help_evaluation": ("plan evaluation / 评估报告（中期评估、总结评估）",
                            "plan evaluation (mid-term before the plan ends, final after)"),
    "cli_help_plans": ("列出各计划（id、类型、名称、期限、状态、事项数、进度与序时进度、预警）",
                       "list the plans (id, kind, title, period, state, items, progress against "
                       "the expected progress, warnings)"),
    "cli_help_plans_use": ("设定当前计划（未加 --plan 的命令都作用于它）",
                           "set the current plan (commands without --plan work on it)"),
    "cli_help_plans_add": ("从计划文件添加一个新计划（按文件中的 plan.id）",
                           "add a new plan from a plan file (by the file's plan.id)"),
    "cli_help_plans_close": ("关闭计划（所有事项均已完结后），此后只读",
                             "close a plan (once every item is settled); read-only afterwards"),
    "cli_plans_current": ("当前计划：{plan}", "current plan: {plan}"),
    "cli_plans_added": ("{prefix}已添加计划 {plan}：{created} 个事项、{units} 个单位、"
                        "{indicators} 个指标",
                        "{prefix}added plan {plan}: {created} items, {units} units, "
                        "{indicators} indicators"),
    "cli_plans_closed": ("计划 {plan} 已关闭，今后只读",
                         "plan {plan} is closed and read-only from now on"),
    "cli_all_plans_needs_output": ("--plan all 的 {format} 周报每个计划一个文件，请用 -o 指定"
                                   "文件名",
                                   "--plan all writes one {format} report per plan: name the "
                                   "file with -o"),
    "cli_no_open_plan": ("没有进行中的计划", "there is no open plan"),
    "cli_help_ack": ("签收交办的事项（牵头单位）", "acknowledge an item assigned to your unit"),
    "cli_help_return": ("退办：事项不属本单位，说明理由", "return an item that is not your unit's, "
                        "with the reason"),
    "cli_help_extend": ("延期申请：申请新的截止日期并说明理由，经协调员同意后生效",
                        "ask for a later due date with the reason; it moves when a coordinator "
                        "approves"),
    "cli_help_extend_to": ("申请的新截止日期", "the due date asked for"),
    "cli_help_cycle_by": ("办理单位（单位用户默认本单位；协调员代办时必填）",
                          "the acting unit (a unit's user: their own; a coordinator acting for "
                          "a unit must name it)"),
    "cli_help_assign": ("交办：指定牵头单位并开始签收时限", "assign an item to a lead unit, which "
                        "opens the acknowledgement window"),
    "cli_help_assign_to": ("牵头单位", "the lead unit"),
    "cli_help_urge": ("记录催办", "record a reminder sent to the item's lead unit"),
    "cli_help_inbox": ("待处理的督办事项：待签收、退办、延期申请、办结申请（按时间先后）",
                       "what waits for the coordinators, oldest first: acknowledgements due, "
                       "returned items, extension and completion requests"),
    "cli_help_approve": ("同意申请（延期：调整截止日期；办结：销号）",
                         "approve a request (an extension moves the due date; a completion "
                         "closes the item)"),
    "cli_help_reject": ("驳回申请并说明理由（办结申请退回推进中）",
                        "reject a request with the reason (a completion goes back to in "
                        "progress)"),
    "cli_cycle_recorded": ("{code}：已记录{step}（#{id}），事项现{state}",
                           "{code}: {step} recorded (#{id}); the item is now {state}"),
    "cli_cycle_requested": ("{code}：已提交{step}（申请 #{id}），待协调员审批",
                            "{code}: {step} submitted (request #{id}), awaiting a coordinator"),
    "cli_update_step": ("{code}：同时记为{step}（#{id}）", "{code}: recorded as the {step} too "
                        "(#{id})"),
    # intake
    "cli_help_intake": ("读入计划文档（推进计划、分工方案），生成计划文件",
                        "take in a plan document (a work plan or a task division table) as a "
                        "plan file"),
    "cli_intake_written": ("已写入 {file}（共 {items} 项，含领域和分组）",
                           "wrote {file} ({items} entries, areas and groups included)"),
    "intake_unresolved": ("{count} 个单位名称无法识别，未写入文件：请用 --map 指定对应单位，"
                          "或用 --new-units 新建单位",
                          "{count} unit names are unknown, nothing written: map them with "
                          "--map, or create them with --new-units"),
    "cli_format_needs_output": ("{fmt} 格式需要 -o 文件名", "the {fmt} format needs -o FILE"),
    "cli_help_assess": ("考核评分：各单位得分、排名及每一分的来由",
                        "unit assessment: scores, ranking, and every point explained"),
    "cli_help_plans_carry_over": ("把计划 FROM 的未完成事项结转到计划 TO（原事项标记为已结转）",
                                  "carry plan FROM's unfinished items over into plan TO (the "
                                  "originals are marked carried over)"),
    "carry_over_header": ("{prefix}从 {source} 结转 {count} 个未完成事项到 {target}：",
                          "{prefix}carrying {count} unfinished items over from {source} into "
                          "{target}:"),
    "carry_over_parent_line": ("  新建上级事项 {target} {title}",
                               "  new summary item {target} {title}"),
    "carry_over_item_line": ("  {source} → {target} {title}（{status} {progress}%，截止 {due}）",
                             "  {source} → {target} {title} ({status} {progress}%, due {due})"),
    "cli_help_notice": ("发出督办通知单或催办通知单（每个单位一页，编号连续登记）",
                        "issue supervision or reminder notices (a page per unit, numbered in "
                        "sequence and recorded)"),
    "cli_notice_written": ("已发出 {n} 份通知单（{numbers}），已写入 {path}",
                           "issued {n} notices ({numbers}), written to {path}"),
    "cli_help_notice_kind": ("督办（默认）或 催办（也可写 supervise、urge）",
                             "supervise (the default) or urge"),
    "cli_notice_formats": ("通知单只能写成 docx 或 pdf，不能是 .{suffix}",
                           "notices are written as docx or pdf, not .{suffix}"),
    "cli_help_meeting_attendance": ("set the place and who attends, sits in or is excused / "
                                    "设置会议地点及出席、列席、请假单位",
                                    "set the place and who attends, sits in or is excused"),
    "cli_help_meeting_notice": ("print the meeting notice / 会议通知",
                                "print the meeting notice"),
    "cli_attendance_nothing": ("请给出 --place、--attend、--sit-in 或 --absent",
                               "give --place, --attend, --sit-in or --absent"),
    "cli_attendance_set": ("已更新会议地点和参会单位", "meeting place and attendance updated"),
    "cli_export_formats": ("导出格式只能是 yaml（计划文件）或 xlsx、docx、pdf（分工方案）：{fmt}",
                           "export writes yaml (the plan file) or xlsx, docx, pdf (the task "
                           "division table), not {fmt}"),
    "cli_export_two_files": ("只能给一个输出文件：{file} 还是 {output}？",
                             "one output file only: {file} or {output}?"),
    "cli_help_bulletin": ("督查通报：总体情况、各单位落实情况、逾期事项、考核排名和红黄榜、"
                          "下步要求",
                          "the supervision bulletin: overall situation, figures by "
                          "unit, overdue items, ranking with the red and yellow lists, next "
                          "steps"),
    "bulletin_written": ("督查通报已写入 {path}", "bulletin written to {path}"),
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
