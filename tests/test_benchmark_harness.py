"""The benchmark harness at a tiny size, so that it cannot rot: every measurement is taken and the
warehouse, the DuckDB floor and the pandas baseline produce the same tables and answers."""

import json
import subprocess
import sys

from dagster_project.settings import PROJECT_ROOT


def test_the_harness_measures_everything_and_the_three_implementations_agree(tmp_path):
    report_path = tmp_path / "report.json"
    harness = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "harness.py"), "--rows", "2000", "--runs", "1",
         "--workdir", str(tmp_path / "work"), "--report", str(report_path)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert harness.returncode == 0, harness.stdout[-3000:] + harness.stderr[-3000:]
    report = json.loads(report_path.read_text())
    assert report["answers_differ"] == [] and report["tables_differ"] == {}
    for measured in ["build", "noop", "floor", "pandas"]:
        assert report[measured]["wall_s"] > 0 and report[measured]["peak_rss_mb"] > 0
    assert set(report["stages"]) == {"ingest", "dbt build", "checks", "audit", "publish"}
    assert all(seconds > 0 for seconds in report["stages"].values())
    step_peaks = report["build"]["step_peak_rss_mb"]  # the peak while each Dagster step ran, highest first
    assert {"raw_personas", "dbt_marts", "published_warehouse"} <= set(step_peaks)
    assert max(step_peaks.values()) == round(report["build"]["peak_rss_mb"]) == next(iter(step_peaks.values()))
    assert len(report["questions"]) == 5
    for ways in report["questions"].values():
        assert all(ways[way]["wall_s"] > 0 for way in ["warehouse", "pandas", "pandas_full"])
