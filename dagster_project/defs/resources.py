"""The warehouse resource: settings read when a run starts, and DuckDB connections to the build file."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from ..settings import WarehouseSettings

# Every asset and check that writes the build database runs in this pool,
# limited to one slot, because DuckDB allows a single writer process.
DUCKDB_WRITER_POOL = "duckdb_writer"


class WarehouseResource(dg.ConfigurableResource):
    """Reads WarehouseSettings from the environment at run time, not at import."""

    @property
    def settings(self) -> WarehouseSettings:
        return WarehouseSettings.from_env()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.settings.duckdb_path
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()
