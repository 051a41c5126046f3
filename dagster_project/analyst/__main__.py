"""Pick personas from the published warehouse: search, sample, compare.

  python -m dagster_project.analyst search --sex Female --min-age 30 --max-age 39 \\
      --occupation-group "computer and mathematical"
  python -m dagster_project.analyst search --state CA --marital-status married_present \\
      --min-age 30 --max-age 45 --occupation-group "architecture and engineering" --output engineers.jsonl
  python -m dagster_project.analyst search --text "rock climbing" --skill-any "first aid"
  python -m dagster_project.analyst sample --n 1000 --by age_band,sex,education_level \\
      --mode balanced --seed 7 --output prompts.jsonl
  python -m dagster_project.analyst compare current prompts.jsonl

Every command reads the serving file (WAREHOUSE_DIR/personas_serving.duckdb, or --database) read-only,
through the SQL the serving file itself holds (marts.search_personas, marts.persona_cards), so what it
finds is what a BI tool finds with the same criteria.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from ..defs.ingest.columns import NARRATIVE_COLUMNS
from ..defs.publish.versions import ServingLayout
from ..lib.list_literal import normalize_item_key
from ..settings import WarehouseSettings
from .compare import ATTRIBUTES, attribute_table, distances, summary
from .sampling import balanced_quotas, draw_order, proportional_quotas

# search_personas's list arguments: the command-line option, the macro argument, and where its values live.
SET_FILTERS = {
    "sex": ("sexes", "marts.dim_persona", "sex"),
    "marital_status": ("marital_statuses", "marts.dim_persona", "marital_status"),
    "education_level": ("education_levels", "marts.dim_persona", "education_level"),
    "bachelors_field": ("bachelors_fields", "marts.dim_persona", "bachelors_field"),
    "state": ("states", "marts.dim_persona", "state"),
    "occupation": ("occupations", "marts.dim_persona", "occupation"),
    "occupation_group": ("occupation_groups", "marts.dim_occupation", "occupation_group"),
    "city": ("cities", "marts.dim_persona", "lower(city)"),
    "zipcode": ("zipcodes", "marts.dim_persona", "zipcode"),
    "skill_any": ("skills_any", "marts.dim_skill", "skill_key"),
    "skill_all": ("skills_all", "marts.dim_skill", "skill_key"),
    "hobby_any": ("hobbies_any", "marts.dim_hobby", "hobby_key"),
    "hobby_all": ("hobbies_all", "marts.dim_hobby", "hobby_key"),
}
STRATUM_COLUMNS = (
    "age_band",
    "sex",
    "marital_status",
    "education_level",
    "has_bachelors_or_higher",
    "bachelors_field",
    "generation",
    "occupation",
    "occupation_group",
    "state",
    "census_region",
    "census_division",
)
TABLE_COLUMNS = "persona_id, age, sex, marital_status, education_level, occupation, city, state, text_matches"
FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv"}


class UsageError(Exception):
    """A bad argument: the message names it."""


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except UsageError as error:
        parser.exit(2, f"{parser.prog} {args.command}: error: {error}\n")
    except duckdb.Error as error:  # e.g. search_personas's own argument check
        parser.exit(2, f"{parser.prog} {args.command}: error: {error}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.analyst",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    search = commands.add_parser("search", help="find personas by any combination of criteria")
    _add_filters(search)
    search.add_argument("--limit", type=int, help="at most this many rows (default: 20 on screen, all in a file)")
    search.add_argument("--output", type=Path, help="write the matches to .jsonl, .parquet or .csv")
    search.add_argument(
        "--narratives",
        action="store_true",
        help="with --output: add the ten narratives (reads nearly all of the serving file's text: seconds at 1M)",
    )
    search.set_defaults(run=run_search)

    sample = commands.add_parser("sample", help="a reproducible stratified sample, as persona cards")
    _add_filters(sample)
    sample.add_argument("--n", type=int, required=True, help="how many personas, exactly")
    sample.add_argument("--by", default="age_band,sex,education_level", help=f"strata: {', '.join(STRATUM_COLUMNS)}")
    sample.add_argument("--mode", choices=["balanced", "proportional"], default="balanced")
    sample.add_argument("--seed", type=int, default=0, help="the same seed and data give the same personas")
    sample.add_argument("--output", type=Path, required=True, help="persona cards as .jsonl or .parquet")
    sample.set_defaults(run=run_sample)

    compare = commands.add_parser("compare", help="two sets of personas, attribute by attribute")
    for side in ("left", "right"):
        compare.add_argument(side, help="current, a published version id, a .duckdb serving file, or a card file")
    compare.add_argument("--attributes", default=",".join(ATTRIBUTES), help="comma-separated columns")
    compare.set_defaults(run=run_compare)
    for command in (search, sample, compare):
        command.add_argument("--database", type=Path, help="a serving file (default: the current one)")
    return parser


def _add_filters(command: argparse.ArgumentParser) -> None:
    filters = command.add_argument_group("filters (all optional, combined with AND; a list option takes any of)")
    filters.add_argument("--min-age", type=int)
    filters.add_argument("--max-age", type=int)
    for name in SET_FILTERS:
        filters.add_argument(f"--{name.replace('_', '-')}", action="append", metavar="VALUE")
    filters.add_argument("--text", help="a word or phrase in the narratives, any case")


def serving_connection(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """The serving file, read-only, within the warehouse's memory limit (WAREHOUSE_MEMORY_LIMIT): a text
    search reads every narrative, and DuckDB would otherwise cache them up to 80 % of the machine."""
    settings = WarehouseSettings.from_env()
    database = args.database or ServingLayout(settings.warehouse_dir).serving_file
    if not Path(database).is_file():
        raise UsageError(f"--database: no serving file at {database} (build the warehouse first)")
    return duckdb.connect(str(database), read_only=True, config={"memory_limit": settings.duckdb_memory_limit})


def search_arguments(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> str:
    """search_personas's named arguments for the given filters, every value checked against the data, as SQL
    literals (DuckDB's Python client imports pandas to bind parameters: 0.4 s of a 0.6 s search)."""
    if args.min_age is not None and args.max_age is not None and args.min_age > args.max_age:
        raise UsageError(f"--min-age {args.min_age} is greater than --max-age {args.max_age}")
    values: dict = {"min_age": args.min_age, "max_age": args.max_age, "text": args.text or None}
    for option, (argument, table, column) in SET_FILTERS.items():
        given = getattr(args, option)
        if not given:
            continue
        if option.startswith(("skill", "hobby")):
            given = [normalize_item_key(value) for value in given]
        known = {row[0] for row in con.sql(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
        unknown = [value for value in given if (value.lower() if option == "city" else value) not in known]
        if unknown:
            shown = ", ".join(sorted(str(k) for k in known if k is not None)[:30])
            raise UsageError(f"--{option.replace('_', '-')}: {', '.join(unknown)} not in the data (known: {shown} ...)")
        values[argument] = given
    if args.occupation_group:
        _report_unmapped_occupations(con)
    return ", ".join(f"{name} := {sql_literal(value)}" for name, value in values.items() if value is not None)


def sql_literal(value: None | bool | int | str | list) -> str:
    """A value as SQL: NULL, a boolean, a number, a quoted string, or a list of these."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):  # before int: a bool is an int
        return str(value).upper()
    if isinstance(value, list):
        return "[" + ", ".join(sql_literal(item) for item in value) + "]"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _report_unmapped_occupations(con: duckdb.DuckDBPyConnection) -> None:
    unmapped = con.sql("SELECT occupation, persona_count FROM marts.dim_occupation WHERE NOT mapped").fetchall()
    if unmapped:
        names = ", ".join(f"{occupation} ({count})" for occupation, count in unmapped)
        print(f"note: {len(unmapped)} occupations have no group and match no --occupation-group: {names}",
              file=sys.stderr)  # fmt: skip


def run_search(args: argparse.Namespace) -> None:
    con = serving_connection(args)
    arguments = search_arguments(con, args)
    limit = args.limit if args.limit is not None else (None if args.output else 20)
    if limit is not None and limit <= 0:
        raise UsageError(f"--limit must be positive, not {limit}")
    if args.narratives and not args.output:
        raise UsageError("--narratives adds the narratives to the file --output writes: give --output too")
    con.execute(f"CREATE TEMP TABLE found AS FROM marts.search_personas({arguments})")
    total = con.sql("SELECT count(*) FROM found").fetchone()[0]
    shown = f"FROM found ORDER BY text_matches DESC, persona_id{'' if limit is None else f' LIMIT {limit}'}"
    if args.output:
        if args.narratives:
            con.execute(f"CREATE TEMP TABLE chosen AS SELECT persona_id, text_matches FROM ({shown})")
            shown = (
                f"SELECT found.*, {', '.join(NARRATIVE_COLUMNS)} FROM found "
                f"JOIN ({cards_of('chosen')}) USING (persona_id) ORDER BY found.text_matches DESC, persona_id"
            )
        written = write(con, shown, args.output)
        print(f"{written:,} personas written to {args.output}")
    else:
        con.sql(f"SELECT {TABLE_COLUMNS} FROM ({shown})").show(max_width=200)
        matched = "1 persona matches" if total == 1 else f"{total:,} personas match"
        print(matched + (f"; the first {limit} are shown" if total > limit else ""))


def cards_of(ids_table: str) -> str:
    """The persona cards of the ids in a table. Their narratives are most of the serving file's bytes, and
    a few thousand personas spread over every storage block: fetching them reads nearly all of the text."""
    return f"SELECT * FROM marts.persona_cards SEMI JOIN {ids_table} USING (persona_id)"


def write(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """Write the query's rows to the file (the format from its suffix); return how many."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"--output: {path.suffix or path.name} is not one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = "'" + str(path).replace("'", "''") + "'"
    return con.execute(f"COPY ({query}) TO {quoted} (FORMAT {fmt})").fetchone()[0]


def run_sample(args: argparse.Namespace) -> None:
    con = serving_connection(args)
    by = [column.strip() for column in args.by.split(",") if column.strip()]
    unknown = [column for column in by if column not in STRATUM_COLUMNS]
    if not by or unknown:
        raise UsageError(
            f"--by: {', '.join(unknown) or 'no column'} is not a stratum column ({', '.join(STRATUM_COLUMNS)})"
        )
    if args.output.suffix.lower() not in (".jsonl", ".parquet"):
        raise UsageError(f"--output: persona cards are written as .jsonl or .parquet, not {args.output.suffix}")
    arguments = search_arguments(con, args)
    columns = ", ".join(by)
    con.execute(f"CREATE TEMP TABLE population AS SELECT persona_id, {columns} FROM marts.search_personas({arguments})")
    available = {
        tuple(row[:-1]): row[-1]
        for row in con.sql(f"SELECT {columns}, count(*) FROM population GROUP BY ALL").fetchall()
    }
    strata = sorted(available, key=_sortable)
    available = {stratum: available[stratum] for stratum in strata}
    try:
        if args.mode == "balanced":
            quotas, shortfalls = balanced_quotas({_sortable(s): n for s, n in available.items()}, args.n)
        else:
            quotas, shortfalls = proportional_quotas({_sortable(s): n for s, n in available.items()}, args.n), []
    except ValueError as error:
        raise UsageError(str(error)) from error
    by_key = {_sortable(s): s for s in strata}
    con.execute(f"CREATE TEMP TABLE quotas AS SELECT {columns}, 0 AS quota FROM population LIMIT 0")
    for key, quota in quotas.items():  # a few hundred rows at most
        con.execute(f"INSERT INTO quotas VALUES ({', '.join(sql_literal(v) for v in (*by_key[key], quota))})")
    matches = " AND ".join(f"ranked.{c} IS NOT DISTINCT FROM quotas.{c}" for c in by)
    con.execute(f"""CREATE TEMP TABLE chosen AS
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY {columns} ORDER BY {draw_order(args.seed)}) AS draw
            FROM population
        )
        SELECT ranked.* EXCLUDE (draw) FROM ranked JOIN quotas ON {matches} WHERE ranked.draw <= quotas.quota""")
    order = ", ".join(f"chosen.{column}" for column in by)
    cards = f"SELECT cards.* FROM ({cards_of('chosen')}) AS cards JOIN chosen USING (persona_id)"
    cards += f" ORDER BY {order}, persona_id"
    written = write(con, cards, args.output)
    print(f"{written:,} persona cards written to {args.output} ({args.mode}, by {columns}, seed {args.seed})")
    for shortfall in shortfalls:
        print(
            f"stratum {_label(by_key[shortfall.stratum])}: only {shortfall.available} personas, fewer than an equal "
            f"share of {shortfall.equal_share}; all of them taken, the rest shared among the other strata"
        )
    total = sum(available.values())
    print(f"\n{'stratum':<60} {'population':>10} {'share':>7} {'sample':>7} {'share':>7}")
    for key, count in available.items():
        taken = quotas.get(_sortable(key), 0)
        print(f"{_label(key):<60} {count:>10,} {count / total:>7.1%} {taken:>7,} {taken / args.n:>7.1%}")


def _sortable(stratum: tuple) -> tuple:
    """A stratum's values in an order that sorts whatever their types and NULLs."""
    return tuple((value is None, str(value)) for value in stratum)


def _label(stratum: tuple) -> str:
    return " / ".join("(none)" if value is None else str(value) for value in stratum)


def run_compare(args: argparse.Namespace) -> None:
    con = duckdb.connect()
    for name, side in zip(("left_side", "right_side"), (args.left, args.right), strict=True):
        con.execute(f"CREATE VIEW {name} AS {_side_query(con, name, side, args)}")
    attributes = [a.strip() for a in args.attributes.split(",") if a.strip()]
    for side in ("left_side", "right_side"):
        missing = [a for a in attributes if a not in con.sql(f"FROM {side}").columns]
        if missing:
            raise UsageError(f"--attributes: {', '.join(missing)} is not a column of {side.split('_')[0]} side")
    print(f"left: {args.left}\nright: {args.right}\n")
    for attribute in attributes:
        shares = attribute_table(con, attribute)
        tvd, jsd = distances(shares)
        print(f"{attribute}: total variation distance {tvd:.4f}, Jensen-Shannon divergence {jsd:.4f} bits")
        shares.select(
            "category, round(left_share, 4) AS left_share, round(right_share, 4) AS right_share, "
            "round(difference, 4) AS difference"
        ).show(max_rows=60, max_width=200)
    left, right = summary(con, "left_side", attributes), summary(con, "right_side", attributes)
    print(f"{'statistic':<36} {'left':>14} {'right':>14}")
    for statistic in left:
        print(f"{statistic:<36} {_number(left[statistic]):>14} {_number(right[statistic]):>14}")


def _side_query(con: duckdb.DuckDBPyConnection, name: str, side: str, args: argparse.Namespace) -> str:
    """The SELECT that reads one side: a serving file's persona cards, or a file of cards or personas."""
    path = Path(side)
    if side == "current" or (not path.exists() and side[:1].isdigit()):
        layout = ServingLayout(WarehouseSettings.from_env().warehouse_dir)
        path = args.database or (layout.serving_file if side == "current" else layout.version_file(side))
        if not Path(path).is_file():
            raise UsageError(f"{side}: no published version at {path} (kept: {', '.join(layout.versions())})")
    quoted = "'" + str(path).replace("'", "''") + "'"
    if str(path).endswith(".duckdb"):
        con.execute(f"ATTACH {quoted} AS {name}_db (READ_ONLY)")
        tables = {
            row[0]
            for row in con.sql(f"SELECT view_name FROM duckdb_views() WHERE database_name = '{name}_db'").fetchall()
        }
        return f"FROM {name}_db.marts.{'persona_cards' if 'persona_cards' in tables else 'dim_persona'}"
    if path.suffix.lower() in (".jsonl", ".json"):
        return f"FROM read_json({quoted}, format = 'newline_delimited')"
    if path.suffix.lower() == ".parquet" or path.is_dir():
        return f"FROM read_parquet({quoted if path.is_file() else repr(str(path / '*.parquet'))})"
    raise UsageError(f"{side}: not current, a version, a .duckdb file, or a .jsonl/.parquet file")


def _number(value) -> str:
    return "" if value is None else f"{value:,.4f}" if isinstance(value, float) else f"{value:,}"


if __name__ == "__main__":
    main()
