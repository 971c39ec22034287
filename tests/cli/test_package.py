"""The installed package carries the bundled plan: `planner init` works outside the repository.

The repository's top-level tasks.yaml is the source (README and Makefile use it); the package
holds a byte-identical copy in planner/data/tasks.yaml, kept so by the first test here.
"""

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

from planner.services.plan_file import bundled_plan_path

REPO = Path(__file__).resolve().parents[2]
SOURCE_PLAN = REPO / "tasks.yaml"


def test_the_bundled_plan_is_the_repository_plan_byte_for_byte() -> None:
    assert bundled_plan_path().read_bytes() == SOURCE_PLAN.read_bytes(), (
        "planner/data/tasks.yaml differs from tasks.yaml: copy tasks.yaml over it")


def test_bundled_plan_path_is_the_file_inside_the_package() -> None:
    import planner

    package_dir = Path(planner.__file__).resolve().parent
    assert bundled_plan_path().resolve() == package_dir / "data" / "tasks.yaml"


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_pip_install_into_a_fresh_venv_then_init_and_tree_in_an_empty_folder(
        tmp_path: Path) -> None:
    """A non-editable install from a copy of the sources (so nothing from the working tree
    leaks in), into a new venv that borrows only the dependencies of the test's own."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "planner", source / "planner",
                    ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=60)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    # The dependencies (and pip, setuptools) come from the venv running this test, added
    # after the new venv's own site-packages, so the freshly installed planner wins.
    Path(purelib, "borrowed_dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    install = _run([str(python), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--no-index", str(source)], tmp_path, env)
    assert install.returncode == 0, install.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    located = _run([str(python), "-c", "from planner.services.plan_file import "
                    "bundled_plan_path; print(bundled_plan_path())"], empty, env)
    assert located.returncode == 0, located.stderr
    plan = Path(located.stdout.strip())
    assert plan.is_relative_to(venv), f"planner was imported from outside the new venv: {plan}"
    assert plan.read_bytes() == SOURCE_PLAN.read_bytes()

    planner = str(venv / "bin" / "planner")
    init = _run([planner, "--db", "x.db", "init"], empty, env)  # the bundled plan by default
    assert init.returncode == 0, init.stderr
    tree = _run([planner, "--db", "x.db", "tree"], empty, env)
    assert tree.returncode == 0, tree.stderr
    assert "围绕打基础提能力" in tree.stdout and "7.2.3" in tree.stdout
    assert sorted(path.name for path in empty.iterdir()) == ["x.db"]
