"""The pandas baseline: what the seed document does, computing the warehouse's core tables.

    python benchmarks/pandas_baseline.py SOURCE_DIR OUT_DIR

Loads every column of every parquet file into one DataFrame (as `load_dataset(...).to_pandas()`
does), applies the staging rules, parses the lists with ast.literal_eval (the project's
parse_list_literal), explodes them into bridges, and groups into the marts. Each result is written
to OUT_DIR/<table>.parquet for the harness to compare with the warehouse and the DuckDB floor.
"""

import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from dagster_project.lib.list_literal import ListLiteralError, normalize_item_key, parse_list_literal

STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
)
MARITAL = {"never_married", "married_present", "separated", "divorced", "widowed"}
EDUCATION = {
    "less_than_9th",
    "9th_12th_no_diploma",
    "high_school",
    "some_college",
    "associates",
    "bachelors",
    "graduate",
}
FIELDS = {"stem", "stem_related", "business", "education", "arts_humanities"}
AGE_BANDS = [(24, "18-24"), (34, "25-34"), (44, "35-44"), (54, "45-54"), (64, "55-64"), (74, "65-74"), (200, "75+")]


def items_of(text):
    try:
        return [i.strip() for i in parse_list_literal(text) if i.strip()]
    except ListLiteralError:
        return None


def staged_personas(frame: pd.DataFrame) -> pd.DataFrame:
    personas = pd.DataFrame({
        "persona_id": frame.uuid.str.strip().str.replace("-", "").str.lower(),
        "age": pd.to_numeric(frame.age, errors="coerce"),
        **{c: frame[c].str.strip() for c in ["sex", "marital_status", "education_level", "occupation", "zipcode",
                                             "country"]},
        "bachelors_field": frame.bachelors_field.str.strip().replace("", None),
        "state": frame.state.str.strip().str.upper(),
        "skills": frame.skills_and_expertise_list.map(items_of),
        "hobbies": frame.hobbies_and_interests_list.map(items_of),
    })  # fmt: skip
    degree = personas.education_level.isin(["bachelors", "graduate"])
    good = (
        personas.persona_id.str.fullmatch("[0-9a-f]{32}").fillna(False)
        & ~personas.persona_id.duplicated()
        & personas.age.between(18, 110)
        & personas.sex.isin(["Male", "Female"])
        & personas.marital_status.isin(MARITAL)
        & personas.education_level.isin(EDUCATION)
        & (personas.bachelors_field.isna() | (personas.bachelors_field.isin(FIELDS) & degree))
        & personas.state.isin(STATES)
        & personas.zipcode.str.fullmatch("[0-9]{5}").fillna(False)
        & (personas.country == "USA")
        & personas.skills.notna()
        & personas.hobbies.notna()
    )
    personas = personas[good].copy()
    personas["age"] = personas.age.astype(int)
    personas["age_band"] = pd.cut(personas.age, [0] + [b for b, _ in AGE_BANDS], labels=[n for _, n in AGE_BANDS])
    personas["age_band"] = personas.age_band.astype(str)
    personas["has_bachelors_or_higher"] = personas.education_level.isin(["bachelors", "graduate"])
    return personas


def bridge(personas: pd.DataFrame, column: str, item: str) -> pd.DataFrame:
    exploded = personas[["persona_id", column]].explode(column).dropna(subset=[column])
    exploded[f"{item}_position"] = exploded.groupby("persona_id").cumcount() + 1
    exploded = exploded.rename(columns={column: f"{item}_text"})
    keys = {text: normalize_item_key(text) for text in exploded[f"{item}_text"].unique()}
    exploded[f"{item}_key"] = exploded[f"{item}_text"].map(keys)
    return exploded[["persona_id", f"{item}_position", f"{item}_key", f"{item}_text"]]


def dimension(bridged: pd.DataFrame, item: str, persona_total: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    key, text = f"{item}_key", f"{item}_text"
    spellings = bridged.groupby([key, text]).size().rename("occurrences").reset_index()
    spellings = spellings.sort_values([key, "occurrences", text], ascending=[True, False, True])
    names = spellings.groupby(key).agg(**{f"{item}_name": (text, "first"), "spelling_count": (text, "size")})
    personas = bridged.groupby(key).persona_id.nunique().rename("persona_count")
    dim = personas.to_frame().join(names).reset_index()[[key, f"{item}_name", "persona_count", "spelling_count"]]
    popularity = dim[[key, f"{item}_name", "persona_count"]].copy()
    popularity["persona_share"] = popularity.persona_count / persona_total
    popularity["popularity_rank"] = popularity.persona_count.rank(method="min", ascending=False).astype(int)
    return dim, popularity


def marts(personas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    tables = {}
    ages = personas.groupby(["age", "sex"]).size().rename("persona_count").reset_index()
    ages["share_of_all_personas"] = ages.persona_count / ages.persona_count.sum()
    ages["share_within_sex"] = ages.persona_count / ages.groupby("sex").persona_count.transform("sum")
    tables["mart_age_distribution"] = ages
    by_sex = personas.groupby(["sex", "age_band", "marital_status"]).size().rename("persona_count").reset_index()
    everyone = personas.groupby(["age_band", "marital_status"]).size().rename("persona_count").reset_index()
    marital = pd.concat([by_sex, everyone.assign(sex="All")], ignore_index=True)
    marital["share_within_age_band"] = marital.persona_count / marital.groupby(
        ["sex", "age_band"]
    ).persona_count.transform("sum")
    tables["mart_marital_status_by_age"] = marital
    adults_25 = personas[personas.age >= 25]
    education = pd.DataFrame({
        "persona_count": personas.groupby("state").size(),
        "bachelors_or_higher_count": personas.groupby("state").has_bachelors_or_higher.sum(),
        "persona_count_25_plus": adults_25.groupby("state").size(),
        "bachelors_or_higher_rate_25_plus": adults_25.groupby("state").has_bachelors_or_higher.mean(),
    }).reset_index()  # fmt: skip
    tables["mart_education_by_state"] = education.fillna({"persona_count_25_plus": 0})
    occupations = personas.groupby("occupation").age.agg(["size", "mean", "median", "std", "min", "max"])
    occupations.columns = ["persona_count", "age_mean", "age_median", "age_std", "age_min", "age_max"]
    tables["mart_occupation_age_stats"] = occupations.reset_index()
    return tables


def occupation_skills(personas: pd.DataFrame, bridged: pd.DataFrame, skills: pd.DataFrame) -> pd.DataFrame:
    pairs = bridged[["persona_id", "skill_key"]].drop_duplicates().merge(personas[["persona_id", "occupation"]])
    counted = pairs.groupby(["occupation", "skill_key"]).size().rename("persona_count").reset_index()
    occupation_size = personas.groupby("occupation").size().rename("occupation_count").reset_index()
    counted = counted.merge(occupation_size).merge(skills[["skill_key", "skill_name"]])
    counted["share_of_occupation"] = counted.persona_count / counted.occupation_count
    ranks = counted.groupby("occupation").persona_count.rank(method="min", ascending=False)
    counted["rank_in_occupation"] = ranks.astype(int)
    return counted.drop(columns="occupation_count")


def main(source_dir: str, out_dir: str) -> None:
    files = sorted(Path(source_dir).rglob("*.parquet"))
    frame = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)  # the whole dataset
    personas = staged_personas(frame)
    tables = {"stg_nemotron__personas": personas.drop(columns=["country"])}
    for column, item in [("skills", "skill"), ("hobbies", "hobby")]:
        tables[f"bridge_persona_{item}"] = bridge(personas, column, item)
        tables[f"dim_{item}"], tables[f"mart_{item}_popularity"] = dimension(
            tables[f"bridge_persona_{item}"], item, len(personas)
        )
    tables.update(marts(personas))
    tables["mart_occupation_skills"] = occupation_skills(personas, tables["bridge_persona_skill"], tables["dim_skill"])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_parquet(out / f"{name}.parquet", index=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
