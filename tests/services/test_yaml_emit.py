"""The plan file writer gives exactly what `yaml.safe_dump` gives with the export's options,
for every value, however nasty: scalars that need quoting, escaping or folding at the line
width, at any indentation, keys of every kind, shared containers."""

from datetime import date
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.services.yaml_emit import DUMP_OPTIONS, WIDTH, dump, written

# Strings PyYAML treats specially: indicators, document markers, what its resolver reads as
# another type (YAML 1.1: yes/no/on/off, sexagesimal, octal, dates), whitespace and breaks,
# characters it escapes or refuses to write plain.
NASTY = [
    "", " ", "  ", "a ", " a", "a  b", "#", "#a", "a #b", "a#b", "a: b", "a:b", "a:", ":",
    ":a", ": a", "-", "- a", "-a", "--", "---", "--- a", "---a", "...", "... a", ".", "?",
    "? a", "?a", "a?", "*a", "&a", "!a", "!!str", "|", "|a", ">", ">a", "%a", "@a", "`a",
    "'a'", "'", '"', '"a"', "a'b", 'a"b', "a''b", "[a]", "]", "{a}", "}", "a,b", "a, b", ",",
    "a\tb", "\t", "a\nb", "a\n", "\na", "\n", "a \nb", "a\n b", "a\n\nb", "a\r\nb", "a\rb",
    "a\u2028b", "a\u2029b", "a\x85b", "\x85", "\ufeff", "a\ufeffb", "\x00", "a\x07b",
    "\x1b", "\x7f", "\x9f", "\xa0", "a\xa0b", "\ufffe", "\uffff", "\U0001f600",
    "\U0010ffff", "\U0010fffe", "\ud7ff", "\ue000", "\u2027", "\u202a",
    "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "on", "On", "off", "OFF",
    "true", "True", "TRUE", "false", "False", "null", "Null", "NULL", "nULL", "~",
    "1e3", "1.0e3", "1.0e+3", "1E3", "0x1F", "0x_1", "0o17", "017", "09", "0b101", "0b2",
    ".inf", "-.inf", "+.INF", ".nan", ".NaN", "1_000", "1,000", "1:30", "190:20:30",
    "-1:30", "12", "-12", "+12", "0", "-0", "3.14", "-3.", ".5", "1.2.3", "1.1.1.1.1.1",
    "2021-01-01", "2021-1-1", "2021-01-01 10:00:00", "2021-01-01T10:00:00Z", "2022年底",
    "=", "==", "<<", "<<a", "内蒙古：知识产权", "一是……（合成数据）", "加强\"三个中心\"",
    "合成计划（100000项）", "x" * 150, "中" * 120, " ".join(["word"] * 40),
    " ".join(["中文"] * 60), "a" * 95 + " " + "b" * 10, "'" * 60 + " " + "'" * 60,
]
SIMPLE_KEYS = ["code", "title", "lead", "support", "a", "b-c", "x_y", "id", "children"]
CHARACTERS = st.sampled_from(
    [*" \t\n\r#:-?,[]{}&*!|>'\"%@`~.=<0123456789aeEflnoOstuxyY_+",
     "\x85", "\u2028", "\u2029", "\ufeff", "\xa0", "\x00", "\x1b", "中", "（", "：", "。",
     "\U0001f600", "\ud800"])
LONG_TEXT = st.lists(st.text(alphabet=st.sampled_from(list("ab中'#: ")), max_size=14),
                     max_size=24).map(" ".join)
STRINGS = st.one_of(st.sampled_from(NASTY), st.text(CHARACTERS, max_size=12),
                    st.text(max_size=8), LONG_TEXT)
SCALARS = st.one_of(STRINGS, st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(), st.booleans(), st.none())
ANY_KEYS = st.one_of(st.sampled_from(SIMPLE_KEYS), STRINGS, st.integers(-5, 3000),
                     st.booleans(), st.none())


def documents(keys: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[Any, Any]]:
    """Mappings of scalars, lists and mappings, nested a few levels (so at several
    indentations) with keys drawn from `keys`."""
    values = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(keys, inner, max_size=4), max_leaves=25)
    return st.dictionaries(keys, values, min_size=1, max_size=5)


def safe_dump(document: Any) -> str:
    return str(yaml.safe_dump(document, **DUMP_OPTIONS))


def test_the_options_are_the_exports() -> None:
    assert DUMP_OPTIONS == {"allow_unicode": True, "sort_keys": False, "width": WIDTH,
                            "default_flow_style": False}


def test_no_implicit_resolver_reads_a_string() -> None:
    """The writer asks whether any of them matches, not which."""
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    assert all(tag != "tag:yaml.org,2002:str" for entries in resolvers for tag, _ in entries)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(ANY_KEYS))
def test_dump_is_safe_dump(document: dict[Any, Any]) -> None:
    assert dump(document) == safe_dump(document)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(st.one_of(st.sampled_from(SIMPLE_KEYS), st.integers(0, 3000))))
def test_the_writer_itself_writes_what_safe_dump_does(document: dict[Any, Any]) -> None:
    """With simple keys the writer lays the document out itself (its scalars quoted,
    escaped or folded as PyYAML does), not by handing it to PyYAML."""
    assert written(document) == safe_dump(document)


@given(st.sampled_from(NASTY), st.integers(0, 12))
def test_every_nasty_string_at_every_depth(value: str, depth: int) -> None:
    document: dict[str, Any] = {"v": value, "l": [value, [value]], "m": {"k": value}}
    for _ in range(depth):
        document = {"code": "1", "children": [document, {"title": value}]}
    assert written(document) == safe_dump(document)


def test_long_lines_fold_where_pyyaml_folds_them() -> None:
    for length in range(80, 110):
        for indent in range(0, 12, 2):
            value = ("ab " * 60)[:length] + "c"
            document: dict[str, Any] = {"k" * (indent + 1): value, "q": value + " 1",
                                        "s": ["'" + value]}
            for _ in range(indent // 2):
                document = {"x": [document]}
            assert written(document) == safe_dump(document)


def test_a_container_met_twice_is_left_to_pyyaml() -> None:
    """PyYAML writes an anchor and an alias for it."""
    shared = ["a"]
    document = {"x": shared, "y": {"z": shared}, "e": [{}, []]}
    assert written(document) is None
    assert dump(document) == safe_dump(document)
    assert "&id001" in dump(document)


def test_what_the_writer_does_not_write_is_left_to_pyyaml() -> None:
    for document in ({"": 1}, {"a b: c": 1}, {"'a": 1}, {"k" * 128: 1}, {10**130: 1},
                     {1.5: 1}, {"a": "x\ny", "b\nc": 2}, {"d": date(2021, 1, 1)}):
        assert written(document) is None
        assert dump(document) == safe_dump(document)
