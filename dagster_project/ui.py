"""Start the Dagster UI and its daemon (so the schedule and the sensor run) on a persistent instance.

    python -m dagster_project.ui [--host 127.0.0.1] [--port 3000]

The instance lives in $DAGSTER_HOME, by default $WAREHOUSE_DIR/dagster_home (git-ignored), and
starts from dagster_project/instance/dagster.yaml; `python -m dagster_project.build` uses the same
one. `dagster dev` runs the webserver and the daemon.
"""

import argparse
import os
import sys
from pathlib import Path

from .instance import prepare_dagster_home
from .settings import WarehouseSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="3000")
    args = parser.parse_args(argv)
    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(WarehouseSettings.from_env()))
    # As if the virtualenv were activated: dagster dev re-parses the dbt project with the `dbt` beside us.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    command = [sys.executable, "-m", "dagster", "dev", "-m", "dagster_project.definitions"]
    os.execv(sys.executable, [*command, "--host", args.host, "--port", args.port])


if __name__ == "__main__":
    main()
