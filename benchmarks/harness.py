"""Benchmark the warehouse against the baselines a user would pick instead, at one size.

    python benchmarks/harness.py --rows 100000 --runs 3 --workdir /tmp/bench --report benchmarks/results/100k.json

For the given size it generates the data with the project's generator (USA format, string-encoded
lists), then measures, each as a whole process (wall time, peak RSS of the whole process tree
sampled with psutil), `--runs` times, reporting the median:

1. build    - the README's main job on the generated files, plus each stage from Dagster's own step timings
2. floor    - benchmarks/duckdb_floor.sql: the same raw, staging, bridge and mart tables in plain DuckDB
3. pandas   - benchmarks/pandas_baseline.py: the whole dataset in pandas, the same tables computed there
4. questions - the seed's analyst questions, each in a fresh process: the published warehouse vs pandas
               reading the columns it needs, and vs pandas loading the whole dataset first as the seed does
5. no-op    - the main job again on the unchanged source

Then it checks that the three implementations produced the same tables and that both ways answer
each question the same, and writes every number to the JSON report.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = PROJECT_ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from questions import WAREHOUSE as QUESTIONS  # noqa: E402

PYTHON = sys.executable
# Dagster step -> stage
STAGES = {"raw_personas": "ingest", "reference__ref_zipcodes": "ingest", "dbt_staging": "dbt build",
          "dbt_marts": "dbt build", "census_audit_report": "audit", "published_warehouse": "publish"}  # fmt: skip
STEP_FINISHED = re.compile(r'Finished execution of step "([^"]+)" in ([0-9hms.]+)\.')
STEP_EVENT = re.compile(r" - (\S+) - (STEP_START|STEP_SUCCESS|STEP_FAILURE) - ")
BETWEEN_STEPS = "(no step running)"


@dataclass
class Run:
    wall_s: float
    peak_rss_mb: float
    output: str
    step_peaks_mb: dict[str, float]  # a Dagster command's peak while each step ran


def measure(command: list[str], env: dict | None = None, cwd: Path = PROJECT_ROOT) -> Run:
    """Run a command; wall time and the peak of the summed RSS of it and all its descendants, overall
    and while each Dagster step it logs was running."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    chunks: list[str] = []
    running: set[str] = set()

    def read() -> None:
        for line in process.stdout:
            chunks.append(line)
            if event := STEP_EVENT.search(line):
                step, kind = event.groups()
                (running.add if kind == "STEP_START" else running.discard)(step)

    root, peak, step_peaks = psutil.Process(process.pid), 0, {}

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in tree if p.is_running())
            except psutil.Error:
                rss = 0  # a process ended between listing and reading it
            peak = max(peak, rss)
            for step in list(running) or [BETWEEN_STEPS]:
                step_peaks[step] = max(step_peaks.get(step, 0), rss)
            time.sleep(0.05)

    threads = [threading.Thread(target=read, daemon=True), threading.Thread(target=sample, daemon=True)]
    for thread in threads:
        thread.start()
    process.wait()  # the wall time to the exit itself, not to the next 50 ms sample
    wall = time.perf_counter() - started
    for thread in threads:
        thread.join()
    output = "".join(chunks)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{output[-4000:]}")
    step_peaks = {} if step_peaks.keys() == {BETWEEN_STEPS} else step_peaks  # not a Dagster command
    return Run(wall, peak / 2**20, output, {step: rss / 2**20 for step, rss in step_peaks.items()})


def seconds(text: str) -> float:
    """Dagster's durations: 438ms, 21.12s, 1m9s, 1h2m."""
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    total = 0.0
    for value, unit in re.findall(r"([0-9.]+)([hms])", text):
        total += float(value) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def stage_times(output: str) -> dict[str, float]:
    stages: dict[str, float] = {}
    for step, duration in STEP_FINISHED.findall(output):
        stage = STAGES.get(step, "checks")
        stages[stage] = stages.get(stage, 0.0) + seconds(duration)
    return stages


def summary(runs: list[Run]) -> dict:
    measured = {"wall_s": statistics.median(r.wall_s for r in runs), "peak_rss_mb": max(r.peak_rss_mb for r in runs),
                "runs_wall_s": [round(r.wall_s, 2) for r in runs]}  # fmt: skip
    steps = {step for r in runs for step in r.step_peaks_mb}
    if steps:  # highest first: which step sets the peak
        peaks = {step: max(r.step_peaks_mb.get(step, 0) for r in runs) for step in steps}
        measured["step_peak_rss_mb"] = {s: round(mb) for s, mb in sorted(peaks.items(), key=lambda i: -i[1])}
    return measured


def build_command() -> list[str]:
    return [PYTHON, "-m", "dagster", "asset", "materialize", "-m", "dagster_project.definitions", "--select", "*"]


def disk_footprint(source: Path, warehouse: Path) -> dict[str, float]:
    """What the build left on disk, in MB: each part, the total (a file linked twice counted once), and the
    total the defaults reach once `PUBLISH_KEEP_VERSIONS` (5) versions and their exports are kept."""

    def mb(paths) -> float:
        return round(sum(p.stat().st_size for p in paths if p.is_file()) / 2**20, 1)

    published = sorted((warehouse / "published").glob("personas-*.duckdb"))
    parts = {
        "source_parquet": mb((source / "data").glob("*.parquet")),
        "build_database": mb([warehouse / "personas.duckdb"]),
        "serving_file": mb(published[-1:]),  # personas_serving.duckdb is a second link to it
        "kept_versions": mb(published),
        "exports": mb((warehouse / "exports").rglob("*.parquet")),
    }
    inodes = {}
    for path in warehouse.rglob("*"):
        if path.is_file() and not path.is_symlink():
            inodes[path.stat().st_ino] = path.stat().st_size
    parts["warehouse_total"] = round(sum(inodes.values()) / 2**20, 1)
    one_version = parts["serving_file"] + parts["exports"] / max(1, len(published))
    parts["with_5_versions"] = round(parts["build_database"] + 5 * one_version, 1)
    parts["with_5_versions_x_source"] = round(parts["with_5_versions"] / parts["source_parquet"], 2)
    return parts


# --- equality: the same tables from the three implementations ----------------------------------------

STAGING_COLUMNS = ("persona_id, age, sex, marital_status, education_level, bachelors_field, occupation, state, "
                   "zipcode, skills, hobbies, age_band, has_bachelors_or_higher")  # fmt: skip
COMPARED = {  # table -> (columns, key columns)
    "stg_nemotron__personas": (STAGING_COLUMNS, ["persona_id"]),
    "bridge_persona_skill": ("persona_id, skill_position, skill_key, skill_text", ["persona_id", "skill_position"]),
    "bridge_persona_hobby": ("persona_id, hobby_position, hobby_key, hobby_text", ["persona_id", "hobby_position"]),
    "dim_skill": ("skill_key, skill_name, persona_count, spelling_count", ["skill_key"]),
    "dim_hobby": ("hobby_key, hobby_name, persona_count, spelling_count", ["hobby_key"]),
    "mart_skill_popularity": ("skill_key, persona_count, persona_share, popularity_rank", ["skill_key"]),
    "mart_hobby_popularity": ("hobby_key, persona_count, persona_share, popularity_rank", ["hobby_key"]),
    "mart_age_distribution": ("age, sex, persona_count, share_of_all_personas, share_within_sex", ["age", "sex"]),
    "mart_marital_status_by_age": (
        "sex, age_band, marital_status, persona_count, share_within_age_band",
        ["sex", "age_band", "marital_status"],
    ),  # fmt: skip
    "mart_education_by_state": (
        "state, persona_count, bachelors_or_higher_count, persona_count_25_plus, bachelors_or_higher_rate_25_plus",
        ["state"],
    ),  # fmt: skip
    "mart_occupation_skills": (
        "occupation, skill_key, skill_name, persona_count, share_of_occupation, rank_in_occupation",
        ["occupation", "skill_key"],
    ),  # fmt: skip
    "mart_occupation_age_stats": (
        "occupation, persona_count, age_mean, age_median, age_std, age_min, age_max",
        ["occupation"],
    ),  # fmt: skip
}


def _relation(table: str, floor: bool) -> str:
    if table == "stg_nemotron__personas":
        return "staging.base_nemotron__personas_validated WHERE NOT quarantined" if floor else f"staging.{table}"
    return f"marts.{table}"


def normalized(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sorted by its keys; lists as tuples, numbers as floats rounded to 9 significant digits."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.map(lambda v: hasattr(v, "__len__") and not isinstance(v, str)).any():
            frame[column] = values.map(tuple)
        elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            frame[column] = values.astype(float).map(lambda v: v if math.isnan(v) else float(f"{v:.9g}"))
        else:
            frame[column] = values.astype(object).where(values.notna(), None)
    return frame.sort_values(keys).reset_index(drop=True)


def differences(build_db: Path, floor_db: Path, pandas_dir: Path | None) -> dict[str, list[str]]:
    """Per table, which implementations differ from the warehouse (empty when all agree)."""
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(build_db), read_only=True) as build, duckdb.connect(str(floor_db), read_only=True) as floor:
        for table, (columns, keys) in COMPARED.items():
            expected = normalized(build.sql(f"SELECT {columns} FROM {_relation(table, False)}").df(), keys)
            others = {"floor": floor.sql(f"SELECT {columns} FROM {_relation(table, True)}").df()}
            if pandas_dir:
                others["pandas"] = pd.read_parquet(pandas_dir / f"{table}.parquet")[
                    [c.strip() for c in columns.split(",")]
                ]
            found[table] = [name for name, frame in others.items() if not normalized(frame, keys).equals(expected)]
    return found


def same_answer(a: str, b: str) -> bool:
    def rounded(value):
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return float(f"{value:.9g}") if isinstance(value, float | int) and not isinstance(value, bool) else value

    return rounded(json.loads(a)) == rounded(json.loads(b))


# --- the harness --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/personas-bench"))
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument(
        "--no-pandas", action="store_true", help="skip the pandas baseline (it needs ~6.4 GB per 1M rows)"
    )
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument(
        "--engine", choices=["duckdb", "spark"], default="duckdb", help="WAREHOUSE_ENGINE for the build (and no-op)"
    )
    parser.add_argument("--no-build", action="store_true", help="skip the build, no-op and questions")
    parser.add_argument("--questions-only", action="store_true", help="only the questions, on the built warehouse")
    args = parser.parse_args()
    work = args.workdir / f"{args.rows}"
    source, warehouse = work / "source", work / "warehouse"
    report: dict = {"rows": args.rows, "runs": args.runs, "cpus": os.cpu_count(),
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)}  # fmt: skip

    if not (source / "data").is_dir():
        generated = measure([PYTHON, "-m", "persona_generator", str(source), "--rows", str(args.rows)])
        report["generate"] = summary([generated])

    env = {"PERSONAS_SOURCE": str(source), "WAREHOUSE_DIR": str(warehouse), "WAREHOUSE_ENGINE": args.engine}
    report["engine"] = args.engine
    if args.questions_only:
        args.no_floor = True
    if not (args.no_build or args.questions_only):
        builds = []
        for _ in range(args.runs):
            shutil.rmtree(warehouse, ignore_errors=True)
            warehouse.mkdir(parents=True)
            builds.append(measure(build_command(), env, cwd=warehouse))
        report["build"] = summary(builds)
        report["stages"] = {stage: statistics.median(stage_times(b.output).get(stage, 0.0) for b in builds)
                            for stage in ["ingest", "dbt build", "checks", "audit", "publish"]}  # fmt: skip
        report["noop"] = summary([measure(build_command(), env, cwd=warehouse) for _ in range(args.runs)])
        report["database_gb"] = round((warehouse / "personas.duckdb").stat().st_size / 2**30, 2)
        report["disk_mb"] = disk_footprint(source, warehouse)

    floor_db = work / "floor.duckdb"
    if not args.no_floor:
        floors = []
        for _ in range(args.runs):
            floor_db.unlink(missing_ok=True)
            floors.append(measure([PYTHON, str(BENCHMARKS / "floor.py"), str(source / "data" / "*.parquet"),
                                   str(floor_db)], env))  # fmt: skip
        report["floor"] = summary(floors)

    pandas_dir = None if args.no_pandas else work / "pandas"
    if pandas_dir and not args.questions_only:
        report["pandas"] = summary([measure([PYTHON, str(BENCHMARKS / "pandas_baseline.py"), str(source),
                                             str(pandas_dir)]) for _ in range(args.runs)])  # fmt: skip

    serving = warehouse / "personas_serving.duckdb"
    questions, answers_differ = {}, []
    for question in [] if args.no_build else QUESTIONS:
        ways = {}
        pandas_ways = [] if args.no_pandas else [("pandas", source), ("pandas_full", source)]
        for way, target in [("warehouse", serving), *pandas_ways]:
            runs = [measure([PYTHON, str(BENCHMARKS / "questions.py"), way, question, str(target)])
                    for _ in range(args.runs)]  # fmt: skip
            ways[way] = (summary(runs), runs[0].output.strip().splitlines()[-1])
        questions[question] = {way: measured for way, (measured, _) in ways.items()}
        answers = [answer for _, answer in ways.values()]
        if not all(same_answer(answers[0], other) for other in answers[1:]):
            answers_differ.append(question)
    if questions:
        report.update(questions=questions, answers_differ=answers_differ)

    if not (args.no_floor or args.no_build):
        report["tables_differ"] = {t: d for t, d in differences(warehouse / "personas.duckdb", floor_db,
                                                               pandas_dir).items() if d}  # fmt: skip
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    if answers_differ or report.get("tables_differ"):
        sys.exit("The implementations disagree: see answers_differ and tables_differ.")


if __name__ == "__main__":
    main()
