"""Picking personas from the serving file: search, balanced or proportional samples, and comparisons.

`serving.sql` (table macros and views) is created in every serving file by the publish, so SQL clients
use it without Python; `python -m dagster_project.analyst` is the command line over the same SQL.
"""

from pathlib import Path

SERVING_SQL = Path(__file__).with_name("serving.sql")
