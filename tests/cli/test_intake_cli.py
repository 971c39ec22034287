"""`planner intake FILE`: the plan file written and the summary printed; an unknown unit name
is never guessed (exit 2, nothing written) until `--map` or `--new-units` settles it."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import CliResult
from tests.intake_support import XCB, XCB_ID, paragraphs, write_paragraph_docx, write_table_xlsx

Cli = Callable[..., CliResult]


def test_intake_writes_the_plan_file_and_prints_what_it_read(tmp_path: Path, cli: Cli) -> None:
    source = write_table_xlsx(tmp_path / "分工方案.xlsx")
    out = tmp_path / "plan.yaml"
    result = cli("--db", tmp_path / "none.db", "intake", source, "-o", out, "--new-units",
                 "--plan-id", "2026", "--parent", "14th")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == ("《2026年内蒙古自治区知识产权强国建设推进计划重点任务分工表》（年度计划，"
                        "2026-01-01 至 2026-12-31）：2 个领域，4 个分组，21 个事项")
    assert "单位 自治区知识产权局 → amr（简称）" in lines
    assert f"单位 {XCB} → {XCB_ID}（新建单位）" in lines
    assert "单位 各盟市 → hhht、bt、hlbe、xam、tl、cf、xlgl、wlcb、eeds、byne、wh、als（单位组）" \
        in lines
    assert "单位 呼和浩特市人民政府 → hhht（盟市人民政府）" in lines
    assert "时限 二、强化知识 第5行F列：长期坚持 → 长期任务，至计划期末 2026-12-31" in lines
    assert lines[-1] == f"已写入 {out}（共 27 项，含领域和分组）"
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert document["plan"]["id"] == "2026" and document["plan"]["parent"] == "14th"
    assert {"id": XCB_ID, "name": XCB, "kind": "department"} in document["units"]
    # plan.id / kind / parent come with another branch's loader; without them the file
    # initialises a database: 27 entries plus the 4 quarters and 1 April of the recurring ones
    for key in ("id", "kind", "parent"):
        document["plan"].pop(key)
    loadable = tmp_path / "loadable.yaml"
    loadable.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = cli("--db", tmp_path / "new.db", "--today", "2026-03-01", "init", "--file",
                 loadable)
    assert result.code == 0 and "32 个事项" in result.out, result.err


def test_an_unknown_name_exits_2_with_its_places_and_closest_names(tmp_path: Path,
                                                                   cli: Cli) -> None:
    lines = paragraphs()
    lines[4] = "1. 推动条例修订。（自治区知识产权厅负责）"
    source = write_paragraph_docx(tmp_path / "plan.docx", lines)
    out = tmp_path / "plan.yaml"
    result = cli("--db", tmp_path / "none.db", "intake", source, "-o", out)
    assert result.code == 2
    assert not out.exists()
    unknown = [line for line in result.out.splitlines() if line.startswith("未知单位")]
    assert unknown == [
        '未知单位"自治区知识产权厅"（第5段）；最接近的已知名称：自治区知识产权局、'
        '自治区市场监管局（知识产权局）、自治区财政厅',
        f'未知单位"{XCB}"（第8段）；最接近的已知名称：自治区党委办、'
        '自治区市场监管局（知识产权局）、自治区党委办公厅']
    assert result.err.strip() == ("2 个单位名称无法识别，未写入文件：请用 --map 指定对应单位，"
                                  "或用 --new-units 新建单位")


def test_a_map_settles_unknown_names(tmp_path: Path, cli: Cli) -> None:
    lines = paragraphs()
    lines[4] = "1. 推动条例修订。（自治区知识产权厅负责）"
    source = write_paragraph_docx(tmp_path / "plan.docx", lines)
    names = tmp_path / "names.yaml"
    names.write_text(f"自治区知识产权厅: amr\n{XCB}: 自治区党委办公厅\n", encoding="utf-8")
    result = cli("--db", tmp_path / "none.db", "intake", source, "--map", names)
    assert result.code == 0, result.err
    assert "单位 自治区知识产权厅 → amr（--map 指定）" in result.out.splitlines()
    written = yaml.safe_load((tmp_path / "plan.yaml").read_text(encoding="utf-8"))
    assert written["tasks"][0]["children"][0]["children"][0]["lead"] == "amr"
    names.write_text("自治区知识产权厅: nobody\n", encoding="utf-8")
    result = cli("--db", tmp_path / "none.db", "intake", source, "--map", names)
    assert result.code == 2 and "nobody" in result.err


def test_intake_as_a_process_to_standard_output(tmp_path: Path) -> None:
    source = write_paragraph_docx(tmp_path / "plan.docx")
    env = {**os.environ, "PLANNER_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "planner", "--db", str(tmp_path / "none.db"),
                           "intake", str(source), "-o", "-", "--new-units"],
                          capture_output=True, text=True, env=env, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load(done.stdout)["plan"]["kind"] == "annual"
    assert "unit 自治区科技厅 -> kjt (alias)" in done.stderr.splitlines()
    refused = subprocess.run([sys.executable, "-m", "planner", "intake",
                              str(tmp_path / "missing.doc")], capture_output=True, text=True,
                             env=env, check=False, timeout=60)
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
