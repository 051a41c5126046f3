import duckdb
import pyarrow.parquet as pq
import pytest

from dagster_project.defs.ingest.columns import LIST_COLUMNS
from dagster_project.lib.duckdb_functions import SIMPLE_LIST, register_functions
from dagster_project.lib.list_literal import ListLiteralError, normalize_item_key, parse_list_literal
from dagster_project.settings import SAMPLES_DIR

QUIRKS = [
    ("['project management', 'budgeting', 'negotiation']", ["project management", "budgeting", "negotiation"]),
    # 1. an item with an apostrophe is double-quoted by Python
    ("[\"Driver's job\", 'Cash handling']", ["Driver's job", "Cash handling"]),
    # 2. escaped quotes and \u escapes
    ("['Children\\'s books', 'caf\\u00e9 \\u2011 bar']", ["Children's books", "café \u2011 bar"]),
    # 3. trailing comma
    ("['a', 'b',]", ["a", "b"]),
    # 4. adjacent literals are one item, as Python joins them
    ("['Project ' 'management', 'x']", ["Project management", "x"]),
    # 5. the one row with an extra outer list
    ("[['a', 'b']]", ["a", "b"]),
    # 6. non-ASCII punctuation passes through
    ("['Problem‑solving', 'O’Brien’s recipes — mostly']", ["Problem‑solving", "O’Brien’s recipes — mostly"]),
    ("[]", []),
    ("  ['padded']  ", ["padded"]),
]
NOT_LISTS = [
    "",
    "not a list",
    "['unterminated",
    "{'a': 1}",
    "('a', 'b')",
    "[1, 2]",
    "[['a'], ['b']]",
    "__import__('os')",
]


@pytest.mark.parametrize(("text", "expected"), QUIRKS)
def test_parses_every_quirk_of_the_real_lists(text, expected):
    assert parse_list_literal(text) == expected


@pytest.mark.parametrize("text", NOT_LISTS)
def test_rejects_what_is_not_a_list_of_strings(text):
    with pytest.raises(ListLiteralError):
        parse_list_literal(text)


def test_normalized_key_groups_case_whitespace_and_unicode_variants():
    variants = ["Project Management", " project  management ", "PROJECT\tMANAGEMENT", "Ｐroject management"]
    assert {normalize_item_key(v) for v in variants} == {"project management"}
    assert normalize_item_key("Problem‑solving") != normalize_item_key("Problem solving")


def test_the_sql_fast_path_gives_what_the_python_parser_gives():
    """parse_list_literal (SQL, used by staging) splits simple lists in DuckDB and sends the rest to Python."""
    con = duckdb.connect()
    register_functions(con)
    sample = [v for p in sorted((SAMPLES_DIR / "generated").rglob("*.parquet"))
              for c in LIST_COLUMNS for v in pq.read_table(p, columns=[c])[c].to_pylist()]  # fmt: skip
    edge_cases = [
        "[,]",
        "['']",
        "['a',, 'b']",
        "['line\nbreak']",
        "['a'\n, 'b']",
        "['NULL', '[x]', 'a, b']",
        "[' a ', \"\"]",
    ]
    texts = [t for t, _ in QUIRKS] + NOT_LISTS + edge_cases + sample
    parsed = con.execute("SELECT parse_list_literal(t) FROM unnest($texts) WITH ORDINALITY AS u(t, i) ORDER BY i",
                         {"texts": texts}).fetchall()  # fmt: skip
    for text, (got,) in zip(texts, parsed, strict=True):
        try:
            expected = parse_list_literal(text)
        except ListLiteralError:
            expected = None
        assert got == expected, text
    # and the fast path is what most rows take: the generator writes the real quirks at low rates
    fast = con.execute("SELECT avg(regexp_full_match(t, $r)::int) FROM unnest($texts) AS u(t)",
                       {"r": SIMPLE_LIST, "texts": sample}).fetchone()[0]  # fmt: skip
    assert fast > 0.95
