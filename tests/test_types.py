"""The type check (issue 11): mypy over the whole package, as `[tool.mypy]` in pyproject.toml
configures it, and every `type: ignore` left in the code says which error and why."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")
#: `[code, code]`, two spaces, then a comment giving the reason.
EXPLAINED = re.compile(r"\[[a-z-]+(, [a-z-]+)*\]  # \S")


def test_the_package_type_checks() -> None:
    """mypy from the test's own environment; its incremental cache (.mypy_cache) makes runs
    after the first quick. Its report is the failure message."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_type_ignore_names_its_error_and_why() -> None:
    unexplained = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (match := IGNORE.search(line)) and not EXPLAINED.match(match["rest"])
    ]
    assert not unexplained, "a type: ignore without [code]  # reason:\n" + "\n".join(unexplained)
