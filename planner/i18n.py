"""Labels of screens and reports in Simplified Chinese (default) and English."""

LABELS: dict[str, tuple[str, str]] = {
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
}


def label(key: str, lang: str = "zh", **values: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled from `values`."""
    zh, en = LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
