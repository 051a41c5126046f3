"""Command line for the published warehouse.

python -m dagster_project.serving list              # versions kept, the current one marked
python -m dagster_project.serving rollback          # back to the version before the current one
python -m dagster_project.serving rollback VERSION  # to a given version
"""

import argparse
import sys

from .defs.publish.versions import ServingLayout, rollback
from .settings import WarehouseSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list")
    back = commands.add_parser("rollback")
    back.add_argument("version", nargs="?")
    args = parser.parse_args(argv)
    layout = ServingLayout(WarehouseSettings.from_env().warehouse_dir)
    if args.command == "list":
        current = layout.current_version()
        for version in layout.versions():
            print(f"{version}{'  (current)' if version == current else ''}")
    else:
        try:
            version = rollback(layout, args.version)
        except ValueError as error:  # nothing to roll back to: the message says what is kept
            sys.exit(f"rollback: {error}")
        print(f"{layout.serving_file} now serves version {version}")


if __name__ == "__main__":
    main()
