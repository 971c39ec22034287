"""planner: a plan and task tracker for the 14th Five-Year IP work items."""

__version__ = "0.1.0"
