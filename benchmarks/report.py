"""Render the harness's JSON reports as the Markdown tables in BENCHMARKS.md.

python benchmarks/report.py benchmarks/results/*.json
"""

import json
import sys
from pathlib import Path


def cell(measured: dict | None) -> str:
    if not measured:
        return "—"
    return f"{measured['wall_s']:.1f} s / {measured['peak_rss_mb']:,.0f} MB"


def ratio(a: dict | None, b: dict | None, key: str = "wall_s") -> str:
    return f"{a[key] / b[key]:.2f}×" if a and b else "—"


def main(paths: list[str]) -> None:
    merged: dict[int, dict] = {}  # one size may be measured in parts (e.g. 10M: build, then the floor alone)
    for path in paths:
        report = json.loads(Path(path).read_text())
        merged.setdefault(report["rows"], {}).update(report)
    reports = [merged[rows] for rows in sorted(merged)]
    print(
        "| rows | build | ingest | dbt build | checks | audit | publish | DuckDB floor | pandas baseline | no-op | "
        "build ÷ floor | build ÷ pandas | build RSS ÷ pandas RSS | no-op ÷ build |"
    )
    print("|---" * 14 + "|")
    for r in reports:
        stages = r.get("stages", {})
        print(
            f"| {r['rows']:,} | {cell(r.get('build'))} | "
            + " | ".join(
                f"{stages[s]:.1f} s" if s in stages else "—"
                for s in ["ingest", "dbt build", "checks", "audit", "publish"]
            )
            + f" | {cell(r.get('floor'))} | {cell(r.get('pandas'))} | {cell(r.get('noop'))} | "
            f"{ratio(r.get('build'), r.get('floor'))} | {ratio(r.get('build'), r.get('pandas'))} | "
            f"{ratio(r.get('build'), r.get('pandas'), 'peak_rss_mb')} | {ratio(r.get('noop'), r.get('build'))} |"
        )
    print()
    print(
        "| rows | question | warehouse | pandas, needed columns | pandas, whole dataset (seed) | "
        "speed-up vs needed columns | speed-up vs whole dataset |"
    )
    print("|---" * 7 + "|")
    for r in reports:
        for question, ways in r.get("questions", {}).items():
            w, p, f = ways["warehouse"], ways.get("pandas"), ways.get("pandas_full")
            print(f"| {r['rows']:,} | {question} | {cell(w)} | {cell(p)} | {cell(f)} | {ratio(p, w)} | {ratio(f, w)} |")
    print()
    print(
        "| rows | source parquet | build database | serving file (one version) | exports (one version) | "
        "on disk now | with the default 5 versions | ÷ source |"
    )
    print("|---" * 8 + "|")
    for r in reports:
        d = r.get("disk_mb")
        if d:
            print(f"| {r['rows']:,} | {d['source_parquet']:,.0f} MB | {d['build_database']:,.0f} MB | "
                  f"{d['serving_file']:,.0f} MB | {d['exports']:,.0f} MB | {d['warehouse_total']:,.0f} MB | "
                  f"{d['with_5_versions']:,.0f} MB | {d['with_5_versions_x_source']:.2f}× |")  # fmt: skip
    print()
    print("| rows | build peak | the five steps with the highest peak (whole process tree while the step ran) |")
    print("|---|---|---|")
    for r in reports:
        steps = (r.get("build") or {}).get("step_peak_rss_mb")
        if steps:
            top = ", ".join(f"{step} {mb:,} MB" for step, mb in list(steps.items())[:5])
            print(f"| {r['rows']:,} | {r['build']['peak_rss_mb']:,.0f} MB | {top} |")


if __name__ == "__main__":
    main(sys.argv[1:])
