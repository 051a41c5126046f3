"""Picking personas from the serving file: search, balanced or proportional samples, and comparisons.

`serving.sql` (table macros and views) is created in every serving file by the publish, so SQL clients
use it without Python; `python -m dagster_project.analyst` is the command line over the same SQL.
"""

from pathlib import Path

SERVING_SQL = Path(__file__).with_name("serving.sql")
GUIDE_QUESTIONS_SQL = Path(__file__).with_name("guide_questions.sql")


def guide_questions() -> dict[str, str]:
    """The catalogue of the guide's questions: {name: SQL}, in file order."""
    blocks = GUIDE_QUESTIONS_SQL.read_text(encoding="utf-8").split("-- name: ")[1:]
    return {block.split("\n", 1)[0].strip(): block.split("\n", 1)[1].strip() for block in blocks}
