"""Measure wall time and peak memory of the generator and of the whole warehouse build.

Each measurement runs the real command in a child process; peak memory is the
largest resident set of any child (getrusage RUSAGE_CHILDREN), which for these
commands is the one process doing the work (dbt runs in a child of Dagster, so
the build reports the larger of the two).

    python benchmarks/measure.py generate --rows 1000000 --out /tmp/personas-1m
    python benchmarks/measure.py build --source /tmp/personas-1m --warehouse /tmp/wh-1m
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def measure(command: list[str], env: dict[str, str]) -> None:
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"command: {' '.join(command)}")
    print(f"exit code: {completed.returncode}\nwall: {wall:.1f} s\npeak RSS: {peak_mb:.0f} MB")
    sys.exit(completed.returncode)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    generate = sub.add_parser("generate")
    generate.add_argument("--rows", type=int, required=True)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--seed", type=int, default=7)
    build = sub.add_parser("build")
    build.add_argument("--source", required=True)
    build.add_argument("--warehouse", type=Path, required=True)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.what == "generate":
        command = [sys.executable, "-m", "dagster_project.generator", str(args.out),
                   "--rows", str(args.rows), "--seed", str(args.seed)]  # fmt: skip
    else:
        env.update(PERSONAS_SOURCE=args.source, WAREHOUSE_DIR=str(args.warehouse))
        command = [sys.executable, "-m", "dagster", "asset", "materialize",
                   "-m", "dagster_project.definitions", "--select", "*"]  # fmt: skip
    measure(command, env)


if __name__ == "__main__":
    main()
