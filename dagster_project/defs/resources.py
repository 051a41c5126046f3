"""The warehouse resource: the run's settings, resolved once, and DuckDB connections to the build database.

One policy for another process holding the build database, for our steps and dbt's alike: wait with
backoff up to WAREHOUSE_LOCK_TIMEOUT_SECONDS, then fail with a message naming the holder. One function,
`explain_duckdb_error`, turns the DuckDB errors a user can act on into the message they read.
"""

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from ..settings import WarehouseSettings
from .publish.served import source_to_build

# Every asset and check that writes the build database runs in this pool,
# limited to one slot, because DuckDB allows a single writer process.
DUCKDB_WRITER_POOL = "duckdb_writer"
# What DuckDB says when another process holds the file.
LOCK_CONFLICT = "Could not set lock on file"
# What DuckDB says when it runs out of memory or of room to spill (its temp directory limit or the disk).
OUT_OF_SPACE = ("Out of Memory Error", "No space left on device")


class BuildDatabaseLockedError(RuntimeError):
    pass


class OutOfSpaceError(RuntimeError):
    pass


def is_out_of_space(error: BaseException) -> bool:
    return any(s in str(error) for s in OUT_OF_SPACE)


def explain_duckdb_error(settings: WarehouseSettings, error: BaseException, waited: float = 0) -> Exception | None:
    """The error a user reads for a DuckDB failure they can act on (a held lock, no room to spill); else None."""
    text = str(error)
    if LOCK_CONFLICT in text:
        holder = re.search(r"lock is held in (.+?\(PID \d+\))", text)
        return BuildDatabaseLockedError(
            f"The build database {settings.duckdb_path} is locked by another process"
            f"{f' ({holder[1]})' if holder else ''}; waited {waited:.0f} s (WAREHOUSE_LOCK_TIMEOUT_SECONDS). "
            "Another run, or a tool opened on the build database, is using it: let it finish or stop it, then "
            "run again. BI tools belong on personas_serving.duckdb."
        )
    if is_out_of_space(error):
        reason = next((line for line in text.splitlines() if any(s in line for s in OUT_OF_SPACE)), text)
        limit = settings.duckdb_max_temp_size or "90% of the free disk space"
        return OutOfSpaceError(
            f"DuckDB ran out of memory and spill space building {settings.duckdb_path}: {reason.strip()} "
            f"Limits: WAREHOUSE_MEMORY_LIMIT={settings.duckdb_memory_limit}, spilling to WAREHOUSE_TEMP_DIR="
            f"{settings.duckdb_temp_dir} up to WAREHOUSE_MAX_TEMP_SIZE={limit}. Free disk space there, or raise "
            "one of these, then run again. Nothing was published: readers still see the previous version."
        )
    return None


def connect_with_backoff(settings: WarehouseSettings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the build database, waiting with exponential backoff while another process holds its lock."""
    waited, wait = 0.0, 0.5
    while True:
        try:
            return duckdb.connect(str(settings.duckdb_path), read_only=read_only, config=settings.duckdb_config())
        except duckdb.IOException as error:
            if LOCK_CONFLICT not in str(error):
                raise
            if waited >= settings.lock_timeout_seconds:
                raise explain_duckdb_error(settings, error, waited) from None
            wait = min(wait, settings.lock_timeout_seconds - waited)
            time.sleep(wait)
            waited += wait
            wait *= 2


class WarehouseResource(dg.ConfigurableResource):
    """The build database every step writes. Empty fields take their environment variable (settings.py)."""

    personas_source: str | None = Field(
        default=None,
        description="The dataset to load. Default: PERSONAS_SOURCE; if unset, the source of the published "
        "version; if nothing is published, the bundled sample.",
    )
    warehouse_dir: str | None = Field(default=None, description="Where outputs go. Default: WAREHOUSE_DIR.")
    _settings: WarehouseSettings | None = PrivateAttr(default=None)

    @property
    def settings(self) -> WarehouseSettings:
        """Resolved once, the first time a step asks; dbt is handed the same values (`exported_to_environment`)."""
        if self._settings is None:
            settings = WarehouseSettings.from_env(warehouse_dir=self.warehouse_dir)
            source = source_to_build(settings.warehouse_dir, self.personas_source, settings.personas_source)
            self._settings = settings.with_source(source)
        return self._settings

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        settings = self.settings
        settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        settings.duckdb_temp_dir.mkdir(parents=True, exist_ok=True)
        con = connect_with_backoff(settings, read_only)
        try:
            yield con
        except (duckdb.OutOfMemoryException, duckdb.IOException) as error:
            explained = explain_duckdb_error(settings, error)
            if explained is None:
                raise
            raise explained from None
        finally:
            con.close()


def wait_for_build_database(settings: WarehouseSettings) -> None:
    """Block, under the same policy as our own steps, until no other process holds the build database."""
    connect_with_backoff(settings).close()
