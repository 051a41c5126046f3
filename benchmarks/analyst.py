"""Time picking personas: the analyst command on the serving file against the same operation in pandas.

    python benchmarks/analyst.py SERVING_FILE SOURCE_DIR [--repeat 3]

Each operation is one fresh process (what an analyst waits for), measured with the harness's `measure`
(wall time, peak RSS of the process tree). The pandas side reads only the columns it needs from the
source parquet, as a pandas user who knows parquet would; its definitions are the corrected ones
(occupation groups from the seed, not the guide's regex), so both sides answer the same question.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import PYTHON, measure  # noqa: E402
from questions import OCCUPATION_GROUPS  # noqa: E402

NARRATIVES = ["persona", "professional_persona", "sports_persona", "arts_persona", "travel_persona",
              "culinary_persona", "cultural_background", "skills_and_expertise", "hobbies_and_interests",
              "career_goals_and_ambitions"]  # fmt: skip

PANDAS = {
    "demographic_search": """
import pandas as pd, glob
groups = pd.read_csv({groups!r})
tech = groups.loc[groups.occupation_group == "computer and mathematical", "occupation"]
frame = pd.read_parquet(sorted(glob.glob({source!r} + "/**/*.parquet", recursive=True)),
                        columns=["uuid", "sex", "age", "occupation", "marital_status", "education_level",
                                 "city", "state"])
found = frame[(frame.sex == "Female") & frame.age.between(30, 39) & frame.occupation.isin(tech)]
found.to_parquet({out!r})
""",
    "narrative_search": """
import pandas as pd, glob
columns = {narratives!r}
frame = pd.read_parquet(sorted(glob.glob({source!r} + "/**/*.parquet", recursive=True)), columns=["uuid", *columns])
text = "rock climbing"
matches = sum(frame[c].str.lower().str.count(text) for c in columns)
found = frame[matches > 0].assign(text_matches=matches[matches > 0]).sort_values("text_matches", ascending=False)
found.to_parquet({out!r})
""",
    "balanced_sample_10000": """
import pandas as pd, glob
files = sorted(glob.glob({source!r} + "/**/*.parquet", recursive=True))
frame = pd.read_parquet(files)
frame["age_band"] = pd.cut(frame.age, [17, 24, 34, 44, 54, 64, 74, 200],
                           labels=["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"])
strata = frame.groupby(["age_band", "sex", "education_level"], observed=True)
per_stratum = 10000 // strata.ngroups + 1
sample = strata.apply(lambda g: g.sample(min(len(g), per_stratum), random_state=7), include_groups=False)
sample.head(10000).to_json({out!r}, orient="records", lines=True)
""",
}


def warehouse_commands(serving: Path, out: Path) -> dict[str, list[str]]:
    analyst = [PYTHON, "-m", "dagster_project.analyst"]
    return {
        "demographic_search": [
            *analyst,
            "search",
            "--database",
            str(serving),
            "--sex",
            "Female",
            "--min-age",
            "30",
            "--max-age",
            "39",
            "--occupation-group",
            "computer and mathematical",
            "--output",
            str(out / "search.parquet"),
        ],  # fmt: skip
        "narrative_search": [
            *analyst,
            "search",
            "--database",
            str(serving),
            "--text",
            "rock climbing",
            "--output",
            str(out / "text.parquet"),
        ],  # fmt: skip
        "balanced_sample_10000": [
            *analyst,
            "sample",
            "--database",
            str(serving),
            "--n",
            "10000",
            "--by",
            "age_band,sex,education_level",
            "--mode",
            "balanced",
            "--seed",
            "7",
            "--output",
            str(out / "sample.jsonl"),
        ],  # fmt: skip
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("serving", type=Path)
    parser.add_argument("source", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        warehouse = warehouse_commands(args.serving, out)
        print("| operation | warehouse (median s / peak MB) | pandas (median s / peak MB) | speed-up |")
        print("|---|---|---|---|")
        for name, command in warehouse.items():
            code = PANDAS[name].format(source=str(args.source), groups=str(OCCUPATION_GROUPS),
                                       narratives=NARRATIVES, out=str(out / f"pandas_{name}"))  # fmt: skip
            ours = [measure(command) for _ in range(args.repeat)]
            theirs = [measure([PYTHON, "-c", code]) for _ in range(args.repeat)]
            ours_s = statistics.median(r.wall_s for r in ours)
            theirs_s = statistics.median(r.wall_s for r in theirs)
            print(f"| {name} | {ours_s:.2f} s / {max(r.peak_rss_mb for r in ours):,.0f} MB "
                  f"| {theirs_s:.2f} s / {max(r.peak_rss_mb for r in theirs):,.0f} MB "
                  f"| {theirs_s / ours_s:.1f}× |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
