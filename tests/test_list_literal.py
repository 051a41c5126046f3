import pytest

from dagster_project.sources.list_literal import ListLiteralError, normalize_item_key, parse_list_literal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
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
    ],
)
def test_parses_every_quirk_of_the_real_lists(text, expected):
    assert parse_list_literal(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "not a list", "['unterminated", "{'a': 1}", "('a', 'b')", "[1, 2]", "[['a'], ['b']]", "__import__('os')"],
)
def test_rejects_what_is_not_a_list_of_strings(text):
    with pytest.raises(ListLiteralError):
        parse_list_literal(text)


def test_normalized_key_groups_case_whitespace_and_unicode_variants():
    variants = ["Project Management", " project  management ", "PROJECT\tMANAGEMENT", "Ｐroject management"]
    assert {normalize_item_key(v) for v in variants} == {"project management"}
    assert normalize_item_key("Problem‑solving") != normalize_item_key("Problem solving")
