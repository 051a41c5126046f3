"""One place for configuration: environment variables with documented defaults.

Resolved once per run, when a step first asks the warehouse resource for them, and handed to dbt as
resolved absolute paths (`export_to_environment`). The one exception: the schedule's cron and the
sensor's interval are part of the definitions, so definitions.py reads those two when it loads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_models"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


# The engines dbt can build the warehouse on: the targets of dbt_models/profiles.yml.
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class WarehouseSettings:
    # PERSONAS_SOURCE: `sample`, `sample:real`, a local path or glob, or `hf://<repo_id>@<revision>`.
    # None when not set: a run then builds the source of the published version, or else the sample
    # (dagster_project/defs/publish/served.py decides).
    personas_source: str | None = None
    # WAREHOUSE_DIR: where every generated file lives (git-ignored).
    warehouse_dir: Path = PROJECT_ROOT / "warehouse"
    # WAREHOUSE_ENGINE: what runs the dbt models, `duckdb` (embedded, the default) or `spark` (dbt-spark; needs
    # Java and `pip install -e '.[spark]'`; dbt_models/profiles.yml holds both targets).
    engine: str = "duckdb"
    # WAREHOUSE_SPARK_DIR: Spark's catalog (the Derby metastore) and its tables; default $WAREHOUSE_DIR/spark.
    spark_dir: Path = PROJECT_ROOT / "warehouse" / "spark"
    # WAREHOUSE_DUCKDB_PATH: the build database every writer uses.
    duckdb_path: Path = PROJECT_ROOT / "warehouse" / "personas.duckdb"
    # PUBLISH_KEEP_VERSIONS: how many published versions stay on disk for rollback.
    publish_keep_versions: int = 5
    # HF_TOKEN: optional Hub token. Kept out of repr so it never reaches logs.
    hf_token: str | None = field(default=None, repr=False)
    # HF_ENDPOINT: the Hub's address (a mirror, or a loopback server in tests).
    hf_endpoint: str | None = None
    # HF_HUB_CACHE / HF_HOME: where downloads are cached; None = huggingface_hub's default.
    hf_cache_dir: Path | None = None
    # WAREHOUSE_REFRESH_CRON: when the schedule refreshes everything (UTC); default Mondays 04:00.
    refresh_cron: str = "0 4 * * 1"
    # UPSTREAM_CHECK_INTERVAL_SECONDS: how often the sensor asks whether the source changed.
    upstream_check_interval_seconds: int = 3600
    # WAREHOUSE_LOCK_TIMEOUT_SECONDS: how long a step waits, with backoff, for another process to
    # release the build database before it fails.
    lock_timeout_seconds: float = 60
    # QUARANTINE_MAX_SHARE: above this share of quarantined rows a run does not publish.
    quarantine_max_share: float = 0.001
    # QUARANTINE_BLOCKING_REASONS: reason codes that stop publishing even for a single row.
    quarantine_blocking_reasons: tuple[str, ...] = ("missing_uuid", "duplicate_uuid")
    # WAREHOUSE_MEMORY_LIMIT: DuckDB's memory limit in every process that opens the build database
    # (Dagster steps and dbt); above it DuckDB spills to the temp directory instead of growing.
    duckdb_memory_limit: str = "2GB"
    # WAREHOUSE_TEMP_DIR: where DuckDB spills; default $WAREHOUSE_DIR/duckdb_tmp.
    duckdb_temp_dir: Path = PROJECT_ROOT / "warehouse" / "duckdb_tmp"
    # WAREHOUSE_MAX_TEMP_SIZE: the most DuckDB may spill (e.g. 50GB); None = DuckDB's default, 90% of
    # the free space on the temp directory's disk.
    duckdb_max_temp_size: str | None = None

    @classmethod
    def from_env(cls, warehouse_dir: str | Path | None = None) -> WarehouseSettings:
        """The settings the environment gives; `warehouse_dir` (the resource's config) wins over WAREHOUSE_DIR."""
        warehouse_dir = Path(warehouse_dir or os.environ.get("WAREHOUSE_DIR") or PROJECT_ROOT / "warehouse")
        engine = (os.environ.get("WAREHOUSE_ENGINE") or cls.engine).strip().lower()
        if engine not in ENGINES:
            raise ValueError(f"WAREHOUSE_ENGINE={engine!r}: expected one of {', '.join(ENGINES)}.")
        return cls(
            engine=engine,
            spark_dir=Path(os.environ.get("WAREHOUSE_SPARK_DIR") or warehouse_dir / "spark").resolve(),
            personas_source=os.environ.get("PERSONAS_SOURCE") or None,
            warehouse_dir=warehouse_dir.resolve(),
            duckdb_path=Path(os.environ.get("WAREHOUSE_DUCKDB_PATH") or warehouse_dir / "personas.duckdb").resolve(),
            publish_keep_versions=int(os.environ.get("PUBLISH_KEEP_VERSIONS") or 5),
            hf_token=os.environ.get("HF_TOKEN") or None,
            hf_endpoint=os.environ.get("HF_ENDPOINT") or None,
            hf_cache_dir=Path(os.environ["HF_HUB_CACHE"]) if os.environ.get("HF_HUB_CACHE") else None,
            refresh_cron=os.environ.get("WAREHOUSE_REFRESH_CRON") or cls.refresh_cron,
            upstream_check_interval_seconds=int(os.environ.get("UPSTREAM_CHECK_INTERVAL_SECONDS") or 3600),
            lock_timeout_seconds=float(os.environ.get("WAREHOUSE_LOCK_TIMEOUT_SECONDS") or 60),
            quarantine_max_share=float(os.environ.get("QUARANTINE_MAX_SHARE") or cls.quarantine_max_share),
            duckdb_memory_limit=os.environ.get("WAREHOUSE_MEMORY_LIMIT") or cls.duckdb_memory_limit,
            duckdb_temp_dir=Path(os.environ.get("WAREHOUSE_TEMP_DIR") or warehouse_dir / "duckdb_tmp").resolve(),
            duckdb_max_temp_size=os.environ.get("WAREHOUSE_MAX_TEMP_SIZE") or None,
            # set but empty: no reason blocks on its own
            quarantine_blocking_reasons=tuple(
                reason.strip()
                for reason in os.environ.get("QUARANTINE_BLOCKING_REASONS", "missing_uuid,duplicate_uuid").split(",")
                if reason.strip()
            ),
        )

    def with_source(self, personas_source: str) -> WarehouseSettings:
        return replace(self, personas_source=personas_source)

    @contextmanager
    def exported_to_environment(self) -> Iterator[None]:
        """While dbt runs (a child process that inherits the environment), its profile and plugin read
        these resolved, absolute values instead of resolving the variables again from another directory."""
        resolved = {
            "WAREHOUSE_DIR": str(self.warehouse_dir),
            "WAREHOUSE_ENGINE": self.engine,
            "WAREHOUSE_SPARK_DIR": str(self.spark_dir),
            "WAREHOUSE_DUCKDB_PATH": str(self.duckdb_path),
            "WAREHOUSE_TEMP_DIR": str(self.duckdb_temp_dir),
            "WAREHOUSE_MEMORY_LIMIT": self.duckdb_memory_limit,
            **({"WAREHOUSE_MAX_TEMP_SIZE": self.duckdb_max_temp_size} if self.duckdb_max_temp_size else {}),
        }
        before = {name: os.environ.get(name) for name in resolved}
        os.environ.update(resolved)
        try:
            yield
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def duckdb_config(self) -> dict[str, str]:
        """DuckDB settings for every connection to the build database, ours and dbt's."""
        config = {
            "memory_limit": self.duckdb_memory_limit,
            "temp_directory": str(self.duckdb_temp_dir),
            # Every model orders what it needs explicitly; keeping scan order costs time and memory.
            "preserve_insertion_order": "false",
        }
        if self.duckdb_max_temp_size:
            config["max_temp_directory_size"] = self.duckdb_max_temp_size
        return config

    @property
    def spark_catalog_dir(self) -> Path:
        """Spark's warehouse directory (spark.sql.warehouse.dir in profiles.yml): table `s.t` is `s.db/t/`."""
        return self.spark_dir / "catalog"

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse_dir / "great_expectations"
