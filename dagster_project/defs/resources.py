"""The warehouse resource: settings read when a run starts, and DuckDB connections to the build file."""

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from ..settings import WarehouseSettings

# Every asset and check that writes the build database runs in this pool,
# limited to one slot, because DuckDB allows a single writer process.
DUCKDB_WRITER_POOL = "duckdb_writer"
# What DuckDB says when another process holds the file.
LOCK_CONFLICT = "Could not set lock on file"


# What DuckDB says when it runs out of memory or of room to spill (its temp directory limit or the disk).
OUT_OF_SPACE = ("Out of Memory Error", "No space left on device")


def is_out_of_space(error: BaseException) -> bool:
    return any(s in str(error) for s in OUT_OF_SPACE)


class BuildDatabaseLockedError(RuntimeError):
    pass


class OutOfSpaceError(RuntimeError):
    pass


def out_of_space_message(settings: WarehouseSettings, error: BaseException | str) -> str:
    """What to do when DuckDB could neither hold the work in memory nor spill it to disk."""
    reason = next((line for line in str(error).splitlines() if any(s in line for s in OUT_OF_SPACE)), str(error))
    limit = settings.duckdb_max_temp_size or "90% of the free disk space"
    return (
        f"DuckDB ran out of memory and spill space building {settings.duckdb_path}: {reason.strip()} "
        f"Limits: WAREHOUSE_MEMORY_LIMIT={settings.duckdb_memory_limit}, spilling to WAREHOUSE_TEMP_DIR="
        f"{settings.duckdb_temp_dir} up to WAREHOUSE_MAX_TEMP_SIZE={limit}. Free disk space there, or raise one "
        "of these, then run again. Nothing was published: readers still see the previous version."
    )


def locked_message(path: Path, error: BaseException, waited: float) -> str:
    holder = re.search(r"lock is held in (.+?\(PID \d+\))", str(error))
    return (
        f"The build database {path} is locked by another process{f' ({holder[1]})' if holder else ''}; waited "
        f"{waited:.0f} s (WAREHOUSE_LOCK_TIMEOUT_SECONDS). Another run, or a tool opened on the build database, is "
        "using it: let it finish or stop it, then run again. BI tools belong on personas_serving.duckdb."
    )


def connect_with_backoff(
    path: Path, read_only: bool, timeout: float, config: dict[str, str] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the build database, waiting with exponential backoff while another process holds its lock."""
    waited, wait = 0.0, 0.5
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as error:
            if LOCK_CONFLICT not in str(error):
                raise
            if waited >= timeout:
                raise BuildDatabaseLockedError(locked_message(path, error, waited)) from None
            wait = min(wait, timeout - waited)
            time.sleep(wait)
            waited += wait
            wait *= 2


class WarehouseResource(dg.ConfigurableResource):
    """Reads WarehouseSettings from the environment at run time, not at import."""

    @property
    def settings(self) -> WarehouseSettings:
        return WarehouseSettings.from_env()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        settings = self.settings
        settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        settings.duckdb_temp_dir.mkdir(parents=True, exist_ok=True)
        con = connect_with_backoff(
            settings.duckdb_path, read_only, settings.lock_timeout_seconds, settings.duckdb_config()
        )
        try:
            yield con
        except (duckdb.OutOfMemoryException, duckdb.IOException) as error:
            if not is_out_of_space(error):
                raise
            raise OutOfSpaceError(out_of_space_message(settings, error)) from None
        finally:
            con.close()
