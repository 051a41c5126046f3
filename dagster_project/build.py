"""Build the whole warehouse once: ingest, dbt, every check, the audit report and the publish.

    python -m dagster_project.build [--select SELECTION]

Prepares dbt's manifest, then runs `dagster asset materialize` on the persistent instance that
`python -m dagster_project.ui` shows ($DAGSTER_HOME, by default $WAREHOUSE_DIR/dagster_home), so the
run, its check results and its metadata are in the UI afterwards. Exits 1 when a blocking check fails.
"""

import argparse
import os
import sys

from .defs.transform.project import prepare_dbt_manifest
from .instance import prepare_dagster_home
from .settings import WarehouseSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--select", default="*", help="a Dagster asset selection (default: everything)")
    args = parser.parse_args(argv)
    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(WarehouseSettings.from_env()))
    prepare_dbt_manifest()
    command = [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "dagster_project.definitions"]
    os.execv(sys.executable, [*command, "--select", args.select])


if __name__ == "__main__":
    main()
