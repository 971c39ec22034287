"""The small plan the notice tests share: three units; item 1 overdue and 2 lagging, both
led by hhht (bt supporting 2); 3 led by bt, due soon and on schedule."""

NOTICE_PLAN = """\
plan:
  title: 督办测试计划
  period: {start: 2026-01-01, end: 2026-12-31}
units:
  - {id: amr, name: 市场监管局, kind: department}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league}
tasks:
  - {code: "1", title: 第一项, lead: hhht, start: 2026-01-01, due: 2026-03-31}
  - {code: "2", title: 第二项, lead: hhht, support: [bt], start: 2026-01-01, due: 2026-12-31,
     description: 年底前建成并投入使用}
  - {code: "3", title: 第三项, lead: bt, start: 2026-01-01, due: 2026-06-10,
     status: in_progress, progress: 95}
"""
