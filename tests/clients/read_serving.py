"""What a Python BI client sees in the serving file, run by that client's own interpreter (no project code).

    python read_serving.py SERVING_FILE QUERIES_JSON --via duckdb|harlequin

`duckdb` is the plain client (`pip install duckdb==X`, nothing else: no pytz, no pandas); `harlequin`
opens the file through Harlequin's own DuckDB adapter, read-only, as `harlequin -r FILE` does, and
lists the catalog its sidebar shows. Prints one JSON object.
"""

import argparse
import json


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("serving_file")
    parser.add_argument("queries_json")
    parser.add_argument("--via", choices=["duckdb", "harlequin"], required=True)
    args = parser.parse_args()
    queries = json.load(open(args.queries_json, encoding="utf-8"))

    import duckdb

    if args.via == "harlequin":
        from harlequin_duckdb.adapter import DuckDbAdapter

        connection = DuckDbAdapter(conn_str=(args.serving_file,), read_only=True, no_init=True).connect()
        catalog = connection.get_catalog()

        def rows(sql):
            cursor = connection.execute(sql)  # Harlequin's cursors fetch Arrow tables
            return [list(r.values()) for r in cursor.fetchall().to_pylist()] if cursor else []

        (database,) = catalog.items
        (marts,) = [schema for schema in database.fetch_children() if schema.label == "marts"]
        extra = {"sidebar_marts": sorted(table.label for table in marts.fetch_children())}
    else:
        con = duckdb.connect(args.serving_file, read_only=True)

        def rows(sql):
            return [list(r) for r in con.sql(sql).fetchall()]

        extra = {}
    print(
        json.dumps(
            {
                "duckdb_version": duckdb.__version__,
                "tables": rows(
                    "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
                ),
                "described_columns": rows(
                    "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts' AND comment IS NOT NULL"
                )[0][0],
                # the two tables with timestamps: they must read without pytz or pandas
                "publish_log": rows("SELECT version, published_at_utc FROM meta.publish_log"),
                "loads": rows("SELECT loaded_at_utc, raw_rows FROM marts.mart_load_accounting"),
                "answers": [len(rows(sql)) for sql in queries],
                **extra,
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
