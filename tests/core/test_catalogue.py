"""The message catalogue (planner/i18n.py): both languages for every key, the same
placeholders in each, no Chinese in the English, no key in two layers' dicts, and every key
the code names by literal present."""

import ast
import re
import string
from functools import cache
from pathlib import Path

from planner import i18n
from tests.i18n_support import NOT_ENGLISH

PACKAGE = Path(i18n.__file__).resolve().parent
#: Functions of planner/i18n.py whose first argument is a catalogue key.
KEY_FUNCTIONS = frozenset({"label", "msg", "field", "Msg"})
#: Methods whose first argument is a catalogue key: the CLI's `ctx.say`.
KEY_METHODS = frozenset({"say"})
ERROR_BASE = "PlannerError"


@cache
def _package_sources() -> tuple[tuple[Path, ast.Module], ...]:
    """Every module of the package, parsed once."""
    return tuple((path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
                 for path in sorted(PACKAGE.rglob("*.py")))


def _catalogue_imports(tree: ast.Module) -> set[str]:
    """The names `tree` imports from planner.i18n (so a `label` of its own is not one)."""
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "planner.i18n"
            for alias in node.names}


def _placeholders(text: str) -> set[str]:
    """The parameters a text uses, by name: `{status.zh}` and `{status.value}` both use
    `status` (a language may show another attribute of the same parameter)."""
    return {re.split(r"[.\[]", name)[0]
            for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    problems = []
    for key, pair in i18n.LABELS.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(pair)):
            problems.append(f"{key}: needs a (zh, en) pair of non-empty texts, has {pair!r}")
            continue
        zh, en = pair
        if _placeholders(zh) != _placeholders(en):
            problems.append(f"{key}: zh {sorted(_placeholders(zh))} en "
                            f"{sorted(_placeholders(en))}")
    assert not problems, "\n".join(problems)


def test_english_texts_hold_no_chinese_or_full_width_punctuation() -> None:
    offending = [f"{key}: {en}" for key, (_, en) in i18n.LABELS.items()
                 if NOT_ENGLISH.search(en)]
    assert not offending, "\n".join(offending)


def _catalogue_dicts() -> dict[str, list[str]]:
    """The keys written in each per-layer dict literal of planner/i18n.py, repeats kept (a
    dict, and the union of the dicts, would hide them)."""
    tree = ast.parse((PACKAGE / "i18n.py").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Dict) \
                and isinstance(node.target, ast.Name):
            found[node.target.id] = [key.value for key in node.value.keys
                                     if isinstance(key, ast.Constant)]
    return found


def test_no_key_is_written_twice_in_the_layer_dicts() -> None:
    dicts = _catalogue_dicts()
    assert set(dicts) == {"_SCREENS", "_CORE", "_STORE", "_PLAN_FILES", "_RECORDS", "_REPORTS",
                          "_COMMANDS"}
    assert len(dicts) == len(i18n._GROUPS)
    where: dict[str, list[str]] = {}
    for name, keys in dicts.items():
        for key in keys:
            where.setdefault(key, []).append(name)
    repeated = {key: names for key, names in where.items() if len(names) > 1}
    assert not repeated, "\n".join(f"{key}: {', '.join(names)}"
                                   for key, names in sorted(repeated.items()))
    assert sum(len(keys) for keys in dicts.values()) == len(i18n.LABELS)


def _name(expression: ast.expr) -> str | None:
    """`f` of `f` or `a.f`."""
    if isinstance(expression, ast.Name):
        return expression.id
    if isinstance(expression, ast.Attribute):
        return expression.attr
    return None


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """PlannerError and every class of the package derived from it, however indirectly."""
    names = {ERROR_BASE}
    while True:
        derived = {node.name for tree in trees for node in ast.walk(tree)
                   if isinstance(node, ast.ClassDef)
                   and any(_name(base) in names for base in node.bases)}
        if derived <= names:
            return names
        names |= derived


def _keyed_calls(tree: ast.Module, error_classes: set[str]) -> list[tuple[ast.Call, str]]:
    """The calls in `tree` naming a catalogue key by literal, with that key: the catalogue's
    functions as imported, `ctx.say(key, …)`, and the domain errors."""
    functions = KEY_FUNCTIONS & _catalogue_imports(tree)
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id in functions | error_classes) or (
                isinstance(func, ast.Attribute) and func.attr in KEY_METHODS | error_classes):
            calls.append((node, node.args[0].value))
    return calls


def test_every_literal_key_in_the_code_is_in_the_catalogue() -> None:
    sources = _package_sources()
    error_classes = _error_classes([tree for _, tree in sources])
    missing = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {_name(node.func)}({key!r})"
               for path, tree in sources for node, key in _keyed_calls(tree, error_classes)
               if key not in i18n.LABELS]
    assert not missing, f"{len(missing)} keys not in the catalogue:\n" + "\n".join(missing)


def test_the_scan_finds_the_keys_the_code_uses() -> None:
    """The scan is not vacuous: it sees the CLI's keyed errors and messages and the error
    subclasses, and leaves alone a `label` that is not the catalogue's."""
    sources = _package_sources()
    error_classes = _error_classes([tree for _, tree in sources])
    assert {"PlannerError", "ConflictError", "EnvironmentProblem", "ConnectionLost"} \
        <= error_classes
    keys = {key for path, tree in sources if path.name == "items.py" and "cli" in path.parts
            for _, key in _keyed_calls(tree, error_classes)}
    assert {"cli_bad_depth", "cli_flagged", "cli_help_tree"} <= keys
    other = ast.parse('from sqlalchemy import label\nlabel("rank")\nStatus.DONE.label("zh")\n')
    assert _keyed_calls(other, error_classes) == []


def test_no_domain_error_is_raised_with_a_sentence_pair() -> None:
    """Errors carry a key and parameters: the transitional `PlannerError(zh, en)` is gone."""
    sources = _package_sources()
    error_classes = _error_classes([tree for _, tree in sources])
    pairs = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
             for path, tree in sources for node in ast.walk(tree)
             if isinstance(node, ast.Call) and _name(node.func) in error_classes
             and len(node.args) >= 2]
    assert not pairs, f"{len(pairs)} errors still raised as (zh, en):\n" + "\n".join(pairs)


def test_no_message_takes_a_parameter_named_like_an_argument_of_its_callers() -> None:
    """`where` is PlannerError's location and `key`/`lang` are label()'s own arguments: a
    placeholder with one of those names would never be filled."""
    reserved = {"where", "key", "lang"}
    clashes = [f"{key}: {{{name}}}" for key, (zh, en) in i18n.LABELS.items()
               for name in _placeholders(zh) | _placeholders(en) if name in reserved]
    assert not clashes, "\n".join(clashes)
