"""Shared test scenarios: CLI steps (today, *argv) that build a known history."""

WEEK_OF_REPORTS: list[tuple[str, ...]] = [
    ("2021-06-22", "update", "3.1", "--status", "推进中", "--progress", "10", "--by", "amr",
     "--note", "启动选址"),
    ("2021-06-28", "update", "3.1", "--progress", "25", "--by", "amr", "--note", "方案报批"),
    ("2021-06-29", "update", "5.1.4", "--status", "in_progress", "--progress", "30", "--by",
     "amr", "--note", "已部署专项行动"),
    ("2021-06-30", "update", "4.1.2", "--status", "done", "--by", "amr", "--note", "资金到位"),
    ("2021-06-30", "update", "2.3", "--due", "2026年底", "--reason", "立法计划调整"),
    ("2021-07-01", "reading", "I1", "20", "--source", "保护中心统计"),
]
"""The bundled plan's week 2021-W26 of reports, and one report the week before."""
