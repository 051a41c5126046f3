"""Reference data that is not a dbt seed: US ZIP codes from the offline `zipcodes` package."""

from importlib.metadata import version

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
import zipcodes
from dagster_dbt import DbtCliResource

from ...lib.relations import drop_relation
from ..resources import DUCKDB_WRITER_POOL, WarehouseResource
from ..spark import mirror_spark_tables, run_dbt_operation

ZIPCODES_TABLE = "reference.ref_zipcodes"
ZIPCODES_COLUMNS = {
    "zipcode": (pa.string(), "Five-digit ZIP code, leading zeros kept."),
    "zip_code_type": (pa.string(), "STANDARD, PO BOX, UNIQUE or MILITARY."),
    "active": (pa.bool_(), "False for ZIP codes USPS has retired."),
    "state": (pa.string(), "USPS code of the state (or territory) the ZIP code belongs to."),
    "city": (pa.string(), "USPS default city name."),
    "acceptable_cities": (pa.list_(pa.string()), "Other city names USPS accepts for the ZIP code."),
    "county": (pa.string(), "County name."),
}
ZIPCODES_SCHEMA = pa.schema([(name, data_type) for name, (data_type, _) in ZIPCODES_COLUMNS.items()])


def zipcode_table() -> pa.Table:
    rows = [
        {
            "zipcode": z["zip_code"],
            "zip_code_type": z["zip_code_type"],
            "active": z["active"],
            "state": z["state"],
            "city": z["city"],
            "acceptable_cities": z["acceptable_cities"],
            "county": z["county"],
        }
        for z in zipcodes.list_all()
    ]
    return pa.Table.from_pylist(rows, schema=ZIPCODES_SCHEMA)


@dg.asset(
    key=["reference", "ref_zipcodes"],
    group_name="reference",
    pool=DUCKDB_WRITER_POOL,
    kinds={"duckdb", "spark"},
    description="Every US ZIP code with its state, USPS city and acceptable city names (the zipcodes package).",
)
def ref_zipcodes(warehouse: WarehouseResource, dbt: DbtCliResource) -> dg.MaterializeResult:
    zipcode_rows = zipcode_table()
    package_version = version("zipcodes")
    settings = warehouse.settings
    if settings.engine == "spark":
        # the same rows, as a Parquet file Spark loads into its reference schema
        path = settings.spark_dir / "sources" / "ref_zipcodes.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(zipcode_rows, path)
        schema, table = ZIPCODES_TABLE.split(".")
        run_dbt_operation(
            dbt, settings, "spark_load_parquet_table", {"schema": schema, "table": table, "path": str(path)}
        )
        with warehouse.connect() as con:
            mirror_spark_tables(con, settings, [schema])
        return dg.MaterializeResult(
            metadata={"dagster/row_count": zipcode_rows.num_rows, "zipcodes_package_version": package_version}
        )
    with warehouse.connect() as con:
        drop_relation(con, *ZIPCODES_TABLE.split("."))  # a view, when Spark built the warehouse before
        con.execute("CREATE SCHEMA IF NOT EXISTS reference")
        con.execute(f"CREATE OR REPLACE TABLE {ZIPCODES_TABLE} AS SELECT * FROM zipcode_rows")
        con.execute(
            f"COMMENT ON TABLE {ZIPCODES_TABLE} IS "
            f"'US ZIP codes from the zipcodes package {package_version} (USPS data, offline): one row per ZIP code.'"
        )
        for name, (_, description) in ZIPCODES_COLUMNS.items():
            con.execute(f"COMMENT ON COLUMN {ZIPCODES_TABLE}.{name} IS '{description}'")
    return dg.MaterializeResult(
        metadata={"dagster/row_count": zipcode_rows.num_rows, "zipcodes_package_version": package_version}
    )
