"""Parse the two `*_list` columns, which the Hub stores as Python `str(list)` output.

Python's own literal parser handles every quirk seen in the 1M USA rows:
double-quoted items with apostrophes, escaped quotes and \\u escapes, trailing
commas, and adjacent literals that Python joins into one item. The one row with
an extra outer list is unwrapped here.
"""

from __future__ import annotations

import ast
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


class ListLiteralError(ValueError):
    pass


def parse_list_literal(text: str) -> list[str]:
    """Return the items of a Python list literal of strings, or raise ListLiteralError."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as error:
        raise ListLiteralError(f"not a Python list literal: {error.__class__.__name__}") from None
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    if not isinstance(value, list):
        raise ListLiteralError(f"expected a list, found {type(value).__name__}")
    if not all(isinstance(item, str) for item in value):
        raise ListLiteralError("expected every item to be a string")
    return value


def normalize_item_key(item: str) -> str:
    """The key that groups spellings of one skill or hobby: NFKC, casefolded, single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", item)).strip().casefold()
