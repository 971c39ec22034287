"""The assessment rule file: the bundled default, and each refusal located at
file:line:column — by the service and by the real command (exit 2, nothing written)."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from planner.core.errors import PlannerError
from planner.services.assessment_rules import default_rules_text, load_rules, parse_rules


def test_the_bundled_default_reads_as_documented() -> None:
    rules = load_rules(None)
    assert rules.base == 100 and rules.support_factor == Decimal("0.5")
    assert not rules.item_weight
    assert (rules.late_per_day, rules.late_cap) == (Decimal("-0.5"), 5)
    assert dict(rules.points) == {
        "on_time": 1, "overdue": -3, "extension": -1, "returned": -2, "missed_report": -1,
        "sent_back": -2}
    assert "support_factor" in default_rules_text()


def test_values_are_exact_decimals_and_a_late_rule_may_be_one_number() -> None:
    rules = parse_rules("base: 90.1\npoints:\n  late: -0.1\n  on_time: 0.3\n", "r.yaml")
    assert (rules.base, rules.late_per_day, rules.late_cap) == (
        Decimal("90.1"), Decimal("-0.1"), None)
    assert rules.points["on_time"] == Decimal("0.3")


@pytest.mark.parametrize(("text", "where", "words"), [
    ("base: 100\npoints:\n  on_time: 1\n  early: 2\n", "r.yaml:4:3", 'unknown event kind "early"'),
    ("base: 100\npoints:\n  overdue: minus three\n", "r.yaml:3:12", "must be a number"),
    ("base: 100\npoints:\n  late: {per_working_day: x, cap: 5}\n", "r.yaml:3:27",
     "must be a number"),
    ("base: 100\npoints:\n  late: {cap: 5}\n", "r.yaml:3:9", "per_working_day"),
    ("base: 100\npoints:\n  late: {per_working_day: -1, cap: -5}\n", "r.yaml:3:36",
     "between 0 and 10000"),
    ("support_factor: 0.5\npoints: {on_time: 1}\n", "r.yaml:1:1", 'no "base"'),
    ("base: nan\n", "r.yaml:1:7", "finite"),
    ("base: true\n", "r.yaml:1:7", "must be a number"),
    ("base: 100\nsupport_factor: 2\n", "r.yaml:2:17", "between 0 and 1"),
    ("base: 100\nitem_weight: maybe\n", "r.yaml:2:14", "true or false"),
    ("base: 100\nbonus: 3\n", "r.yaml:2:1", 'unknown key "bonus"'),
    ("base: 100\npoints:\n  on_time: 1\n  on_time: 2\n", "r.yaml:4:3", "duplicate"),
    ("base: [100\n", "r.yaml:2:1", "YAML syntax error"),
])
def test_a_bad_rule_file_is_refused_at_its_line_and_column(text: str, where: str,
                                                            words: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_rules(text, "r.yaml")
    assert caught.value.where == where
    assert words in caught.value.message("en")


def test_the_command_refuses_a_bad_rule_file_with_one_line_exit_2_and_no_write(
        tmp_path: Path) -> None:
    database = tmp_path / "plan.db"
    command = [sys.executable, "-m", "planner", "--db", str(database), "--today", "2025-04-01",
               "--lang", "en"]
    subprocess.run([*command, "init"], check=True, capture_output=True)
    before = database.read_bytes()
    rules = tmp_path / "rules.yaml"
    rules.write_text("base: 100\npoints:\n  overdue: -3\n  late_start: -1\n", encoding="utf-8")
    done = subprocess.run([*command, "assess", "--rules", str(rules)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f'{rules}:4:3: unknown event kind "late_start" (allowed: on_time, '
                           "late, overdue, extension, returned, missed_report, sent_back)\n")
    assert database.read_bytes() == before
