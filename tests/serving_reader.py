"""A BI tool stand-in: query the serving file in a loop until a stop file appears, then report as JSON.

    python tests/serving_reader.py SERVING_FILE STOP_FILE --route sqlalchemy|duckdb [--hold]

`sqlalchemy` goes through duckdb-engine with the URI the connection guide gives Superset, one
connection per query as Superset's NullPool does; `duckdb` is the plain client. `--hold` keeps one
connection for the whole loop, as a BI tool with a pooled connection does.

Each query reads the current version's publish-log row counts and counts the tables themselves in
one statement; a mix of two versions would make them disagree.
"""

import argparse
import json
import time
from pathlib import Path

QUERY = """
WITH latest AS (SELECT version, row_counts FROM meta.publish_log ORDER BY published_at_utc DESC LIMIT 1)
SELECT version,
       (row_counts->>'dim_persona')::BIGINT AS logged_personas,
       (SELECT count(*) FROM marts.dim_persona) AS personas,
       (SELECT sum(persona_count) FROM marts.mart_age_distribution) AS personas_by_age,
       (row_counts->>'bridge_persona_skill')::BIGINT AS logged_skill_links,
       (SELECT count(*) FROM marts.bridge_persona_skill) AS skill_links
FROM latest
"""


def connector(serving_file: Path, route: str, hold: bool):
    """A function that runs QUERY and returns its one row."""
    if route == "sqlalchemy":
        import sqlalchemy
        from sqlalchemy.pool import NullPool, StaticPool

        engine = sqlalchemy.create_engine(
            f"duckdb:///{serving_file.resolve()}?access_mode=read_only", poolclass=StaticPool if hold else NullPool
        )

        def run():
            with engine.connect() as con:
                return tuple(con.execute(sqlalchemy.text(QUERY)).one())

        return run

    import duckdb

    held = duckdb.connect(str(serving_file), read_only=True) if hold else None

    def run():
        if held is not None:
            return held.execute(QUERY).fetchone()
        with duckdb.connect(str(serving_file), read_only=True) as con:
            return con.execute(QUERY).fetchone()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("serving_file", type=Path)
    parser.add_argument("stop_file", type=Path)
    parser.add_argument("--route", choices=["sqlalchemy", "duckdb"], required=True)
    parser.add_argument("--hold", action="store_true")
    args = parser.parse_args()
    run = connector(args.serving_file, args.route, args.hold)
    report = {"queries": 0, "errors": [], "versions": {}, "mixed": []}
    while not args.stop_file.exists():
        report["queries"] += 1
        try:
            version, logged, personas, by_age, logged_links, links = run()
        except Exception as error:  # report every failure; the test asserts there are none
            report["errors"].append(f"{type(error).__name__}: {error}")
        else:
            report["versions"][version] = personas
            if not logged == personas == by_age or logged_links != links:
                report["mixed"].append([version, logged, personas, by_age, logged_links, links])
        time.sleep(0.05)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
