"""The seed document's analyst questions, answered from the published warehouse or with pandas.

    python benchmarks/questions.py warehouse QUESTION SERVING_FILE
    python benchmarks/questions.py pandas QUESTION SOURCE_DIR        (reads only the columns it needs)
    python benchmarks/questions.py pandas_full QUESTION SOURCE_DIR   (loads every column first, as the seed does)

Prints the answer as JSON (rows sorted), so the harness can check both ways give the same answer.
Each call is one fresh process: the time it takes is what an analyst waits for.
"""

import json
import math
import sys
from pathlib import Path

import duckdb

# pandas and the list parser are imported only on the pandas path: an analyst querying the warehouse
# does not pay for them (importing pandas alone takes about 0.5 s here).

# "Tech" and "engineering" are SOC major groups (the seed ref_occupation_groups), not regexes: the guide's
# regexes catch technicians and miss occupations (dagster_project/analyst/guide_questions.sql says which).
TECH = "computer and mathematical"
ENGINEERING = "architecture and engineering"
OCCUPATION_GROUPS = Path(__file__).parents[1] / "dbt_models" / "seeds" / "occupations" / "ref_occupation_groups.csv"
OCCUPATION = "software_developer"

WAREHOUSE = {
    "occupation_age_stats": "SELECT occupation, persona_count, age_mean, age_median, age_std "
    "FROM marts.mart_occupation_age_stats",
    "bachelors_rate_by_state": "SELECT state, bachelors_or_higher_rate_25_plus FROM marts.mart_education_by_state",
    "women_30_39_in_tech": "SELECT occupation, count(*) FROM marts.search_personas(min_age := 30, max_age := 39, "
    f"sexes := ['Female'], occupation_groups := ['{TECH}']) GROUP BY 1",
    "californians_30_45_married_engineers": "SELECT occupation, count(*) FROM marts.search_personas(min_age := 30, "
    f"max_age := 45, states := ['CA'], marital_statuses := ['married_present'], "
    f"occupation_groups := ['{ENGINEERING}']) GROUP BY 1",
    "top_skills_of_an_occupation": "SELECT skill_key, persona_count FROM marts.mart_occupation_skills "
    f"WHERE occupation = '{OCCUPATION}' ORDER BY 2 DESC, 1 LIMIT 10",
}


def read(source_dir: str, columns: list[str], full_load: bool):
    """`pandas`: only the columns a question needs, as a pandas user who knows parquet reads them.
    `pandas_full`: the whole dataset first, as the seed document does (`load_dataset(...).to_pandas()`)."""
    import pandas as pd

    files = sorted(Path(source_dir).rglob("*.parquet"))
    if full_load:
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)[columns]
    return pd.read_parquet(files, columns=columns)


def occupations_in_group(group: str) -> list[str]:
    import pandas as pd

    groups = pd.read_csv(OCCUPATION_GROUPS)
    return groups.loc[groups.occupation_group == group, "occupation"].tolist()


def with_pandas(question: str, source_dir: str, full_load: bool) -> list:
    from dagster_project.lib.list_literal import normalize_item_key, parse_list_literal

    if question == "occupation_age_stats":
        frame = read(source_dir, ["occupation", "age"], full_load)
        stats = frame.groupby("occupation").age.agg(["size", "mean", "median", "std"]).reset_index()
        return stats.values.tolist()
    if question == "bachelors_rate_by_state":
        frame = read(source_dir, ["state", "age", "education_level"], full_load)
        adults = frame[frame.age >= 25]
        rate = adults.education_level.isin(["bachelors", "graduate"]).groupby(adults.state).mean()
        return rate.reset_index().values.tolist()
    if question == "women_30_39_in_tech":
        frame = read(source_dir, ["sex", "age", "occupation"], full_load)
        tech = occupations_in_group(TECH)
        chosen = frame[(frame.sex == "Female") & frame.age.between(30, 39) & frame.occupation.isin(tech)]
        return chosen.groupby("occupation").size().reset_index().values.tolist()
    if question == "californians_30_45_married_engineers":
        frame = read(source_dir, ["state", "age", "marital_status", "occupation"], full_load)
        chosen = frame[(frame.state == "CA") & frame.age.between(30, 45) & (frame.marital_status == "married_present")
                       & frame.occupation.isin(occupations_in_group(ENGINEERING))]  # fmt: skip
        return chosen.groupby("occupation").size().reset_index().values.tolist()
    if question == "top_skills_of_an_occupation":
        frame = read(source_dir, ["occupation", "skills_and_expertise_list"], full_load)
        skills = frame[frame.occupation == OCCUPATION].skills_and_expertise_list.map(parse_list_literal).explode()
        keys = skills.str.strip().loc[lambda s: s != ""].map(normalize_item_key)
        # personas listing the skill: one persona's two spellings of it count once
        counts = keys.rename("key").reset_index().drop_duplicates().key.value_counts().reset_index(name="n")
        return counts.sort_values(["n", "key"], ascending=[False, True]).head(10).values.tolist()
    raise ValueError(question)


def main(way: str, question: str, target: str) -> None:
    if way == "warehouse":
        with duckdb.connect(target, read_only=True) as con:
            rows = [list(r) for r in con.sql(WAREHOUSE[question]).fetchall()]
    else:
        rows = with_pandas(question, target, full_load=way == "pandas_full")
    rows = [[None if isinstance(v, float) and math.isnan(v) else v for v in row] for row in rows]  # pandas' NaN
    print(json.dumps(sorted(rows, key=str), default=float))


if __name__ == "__main__":
    main(*sys.argv[1:4])
