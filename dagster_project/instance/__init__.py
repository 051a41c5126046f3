"""The persistent Dagster instance that the build command and the UI share, so every CLI build shows
up in the UI with its history, check results and metadata."""

import os
import shutil
from pathlib import Path

from ..settings import WarehouseSettings

INSTANCE_TEMPLATE = Path(__file__).resolve().parent / "dagster.yaml"


def prepare_dagster_home(settings: WarehouseSettings) -> Path:
    """$DAGSTER_HOME, by default $WAREHOUSE_DIR/dagster_home, created from dagster.yaml on first use."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.warehouse_dir / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(INSTANCE_TEMPLATE, home / "dagster.yaml")
    return home
