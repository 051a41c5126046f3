"""Picking personas: search (SQL macro and command), the sampler's guarantees, and the comparison's statistics.

The hand-made personas live in a real DuckDB file with the marts' tables, and the serving file's SQL
(dagster_project/analyst/serving.sql) is created in it exactly as the publish creates it.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from dagster_project.analyst import SERVING_SQL, guide_questions
from dagster_project.analyst.__main__ import main as analyst
from dagster_project.analyst.sampling import balanced_quotas, proportional_quotas
from dagster_project.lib.list_literal import normalize_item_key
from dagster_project.settings import PROJECT_ROOT

NARRATIVES = ["persona", "professional_persona", "sports_persona", "arts_persona", "travel_persona",
              "culinary_persona", "cultural_background", "skills_and_expertise", "hobbies_and_interests",
              "career_goals_and_ambitions"]  # fmt: skip
PERSON = {"sex": "Female", "age": 35, "age_band": "35-44", "generation": "Millennial", "marital_status": "single",
          "education_level": "bachelors", "has_bachelors_or_higher": True, "bachelors_field": "stem",
          "occupation": "software_developer", "city": "Springfield", "state": "IL", "census_region": "Midwest",
          "census_division": "East North Central", "zipcode": "62701"}  # fmt: skip
GROUPS = {"software_developer": "computer and mathematical", "civil_engineer": "architecture and engineering",
          "electrical_and_electronics_engineering_technician": None, "registered_nurse":
          "healthcare practitioners and technical", "not_in_workforce": "not in the workforce"}  # fmt: skip


def person(persona_id: str, skills=(), hobbies=(), text: str = "", **overrides) -> dict:
    narratives = {column: f"{persona_id} lives a quiet life." for column in NARRATIVES}
    narratives["persona"] += " " + text
    return {"persona_id": persona_id, **PERSON, **narratives, **overrides, "skills": list(skills),
            "hobbies": list(hobbies)}  # fmt: skip


PEOPLE = [
    person("p01", age=18, age_band="18-24", skills=["Python", "First aid"], text="Loves ROCK climbing."),
    person("p02", age=30, sex="Male", skills=[" python"], hobbies=["Chess"], text="rock climbing, rock climbing"),
    person("p03", age=39, occupation="civil_engineer", marital_status="married_present", state="CA",
           city="Los Angeles", zipcode="90001", hobbies=["chess", "Baking"], text="Works the night shift."),
    person("p04", age=45, age_band="45-54", occupation="electrical_and_electronics_engineering_technician",
           text="A driver's license and a café au lait every morning."),
    person("p05", age=70, age_band="65-74", sex="Male", education_level="high_school", bachelors_field=None,
           has_bachelors_or_higher=False, occupation="not_in_workforce", text="Korean cooking at home."),
    person("p06", age=52, age_band="45-54", occupation="registered_nurse", city="springfield",
           skills=["First  Aid"], hobbies=["baking"]),
]  # fmt: skip


def serving_file(path, people: list[dict]):
    """A serving file with the marts the analyst SQL reads, holding exactly these people."""
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.register("people", pd.DataFrame([{**p, "occupation_group": GROUPS[p["occupation"]]} for p in people]))
    con.execute("CREATE TABLE marts.dim_persona AS SELECT * REPLACE (age::INTEGER AS age, skills::VARCHAR[] AS skills, "
                "hobbies::VARCHAR[] AS hobbies) FROM people")  # fmt: skip
    occupations = sorted({p["occupation"] for p in people})
    con.execute("CREATE TABLE marts.dim_occupation (occupation VARCHAR, occupation_group VARCHAR, mapped BOOLEAN, "
                "persona_count BIGINT)")  # fmt: skip
    for occupation in occupations:
        count = sum(p["occupation"] == occupation for p in people)
        group = GROUPS[occupation]
        con.execute("INSERT INTO marts.dim_occupation VALUES (?, ?, ?, ?)", [occupation, group, bool(group), count])
    for item, column in [("skill", "skills"), ("hobby", "hobbies")]:
        rows = [(p["persona_id"], i + 1, normalize_item_key(value), value) for p in people
                for i, value in enumerate(p[column])]  # fmt: skip
        con.execute(f"CREATE TABLE marts.bridge_persona_{item} (persona_id VARCHAR, {item}_position INTEGER, "
                    f"{item}_key VARCHAR, {item}_text VARCHAR)")  # fmt: skip
        if rows:
            con.executemany(f"INSERT INTO marts.bridge_persona_{item} VALUES (?, ?, ?, ?)", rows)
        con.execute(f"CREATE TABLE marts.dim_{item} AS SELECT DISTINCT {item}_key FROM marts.bridge_persona_{item}")
    con.execute(SERVING_SQL.read_text(encoding="utf-8"))
    con.close()
    return path


@pytest.fixture
def database(tmp_path):
    return serving_file(tmp_path / "serving.duckdb", PEOPLE)


def found(database, arguments: str = "") -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return [row[0] for row in con.sql(f"SELECT persona_id FROM marts.search_personas({arguments})").fetchall()]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("", ["p01", "p02", "p03", "p04", "p05", "p06"]),
        ("min_age := 45", ["p04", "p05", "p06"]),  # a range with only a minimum is not ignored
        ("max_age := 30", ["p01", "p02"]),  # nor one with only a maximum; 18 is an age like any other
        ("min_age := 30, max_age := 45", ["p02", "p03", "p04"]),  # both ends included
        ("sexes := ['Male']", ["p02", "p05"]),
        ("marital_statuses := ['married_present'], states := ['CA']", ["p03"]),
        ("education_levels := ['high_school']", ["p05"]),
        ("occupations := ['civil_engineer', 'registered_nurse']", ["p03", "p06"]),
        ("occupation_groups := ['computer and mathematical']", ["p01", "p02"]),
        # the technician has no group in the seed: a group filter never matches it
        ("occupation_groups := ['architecture and engineering']", ["p03"]),
        ("cities := ['SPRINGFIELD']", ["p01", "p02", "p04", "p05", "p06"]),  # any case
        ("zipcodes := ['90001']", ["p03"]),
        ("skills_any := ['python', 'first aid']", ["p01", "p02", "p06"]),
        ("skills_all := ['python', 'first aid']", ["p01"]),
        ("hobbies_any := ['baking']", ["p03", "p06"]),
        ("hobbies_all := ['chess', 'baking']", ["p03"]),
        ("hobbies_all := ['chess', 'chess']", ["p02", "p03"]),  # a repeated key is one key
        ("text := 'rock climbing'", ["p02", "p01"]),  # ranked: p02 says it twice
        ("text := 'DRIVER''S LICENSE'", ["p04"]),  # an apostrophe, any case
        ("text := 'CAFÉ'", ["p04"]),  # non-ASCII, any case
        ("text := 'korean', sexes := ['Male'], max_age := 70", ["p05"]),
        ("text := 'night shift', sexes := ['Male']", []),
    ],
)
def test_search_personas_in_sql(database, arguments, expected):
    assert found(database, arguments) == expected


def test_search_text_matches_counts_occurrences(database):
    with duckdb.connect(str(database), read_only=True) as con:
        ranked = con.sql("SELECT persona_id, text_matches FROM marts.search_personas(text := 'Rock')").fetchall()
    assert ranked == [("p02", 2), ("p01", 1)]


def test_search_refuses_min_age_above_max_age_in_sql(database):
    with pytest.raises(duckdb.InvalidInputException, match="min_age 50 is greater than max_age 40"):
        found(database, "min_age := 50, max_age := 40")


def test_persona_cards_carry_the_lists_in_order(database):
    with duckdb.connect(str(database), read_only=True) as con:
        cards = con.sql("SELECT persona_id, occupation_group, skills, hobbies FROM marts.persona_cards "
                        "WHERE persona_id IN ('p01', 'p05') ORDER BY 1").fetchall()  # fmt: skip
    assert cards == [("p01", "computer and mathematical", ["Python", "First aid"], []),
                     ("p05", "not in the workforce", [], [])]  # fmt: skip


def test_search_command_writes_every_format(database, tmp_path, capsys):
    for suffix in ("jsonl", "parquet", "csv"):
        out = tmp_path / f"found.{suffix}"
        analyst(["search", "--database", str(database), "--skill-any", "  PYTHON ", "--output", str(out)])
        assert "2 personas written" in capsys.readouterr().out
        rows = duckdb.sql(f"SELECT persona_id, skills FROM '{out}' ORDER BY 1").fetchall()
        # the skill was normalised as the build normalises items
        assert [row[0] for row in rows] == ["p01", "p02"] and "Python" in str(rows[0][1])
    out = tmp_path / "with_text.jsonl"
    analyst(
        ["search", "--database", str(database), "--text", "rock", "--narratives", "--limit", "1", "--output", str(out)]
    )
    (card,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert card["persona_id"] == "p02" and card["text_matches"] == 2 and "rock climbing" in card["persona"]
    analyst(["search", "--database", str(database), "--occupation-group", "architecture and engineering"])
    captured = capsys.readouterr()
    assert "p03" in captured.out and "1 persona matches" in captured.out
    # the unmapped occupation is reported, not silently dropped
    assert "electrical_and_electronics_engineering_technician (1)" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "--sex", "female"], "--sex: female not in the data"),
        (["search", "--occupation-group", "tech"], "--occupation-group: tech not in the data"),
        (["search", "--skill-all", "juggling"], "--skill-all: juggling not in the data"),
        (["search", "--min-age", "50", "--max-age", "40"], "--min-age 50 is greater than --max-age 40"),
        (["search", "--output", "x.txt"], "--output: .txt is not one of"),
        (["search", "--narratives"], "--narratives adds the narratives to the file --output writes"),
        (["sample", "--n", "0", "--output", "s.jsonl"], "--n must be a positive number"),
        (["sample", "--n", "-3", "--output", "s.jsonl"], "--n must be a positive number"),
        (["sample", "--n", "2", "--by", "age_band,shoe_size", "--output", "s.jsonl"], "--by: shoe_size"),
        (["sample", "--n", "7", "--output", "s.jsonl"], "--n 7 asks for more personas than the 6"),
        (["sample", "--n", "2", "--sex", "Male", "--min-age", "80", "--output", "s.jsonl"], "no persona matches"),
        (["compare", "current", "x.jsonl", "--attributes", "height"], "--attributes: height"),
    ],
)
def test_bad_arguments_get_a_message_naming_them(database, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    pd.DataFrame([{"persona_id": "x", "sex": "Male", "age": 30}]).to_json(tmp_path / "x.jsonl", orient="records",
                                                                         lines=True)  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        analyst([*argv, "--database", str(database)])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error


def test_balanced_quotas_are_equal_and_exact():
    quotas, shortfalls = balanced_quotas({("a",): 100, ("b",): 100, ("c",): 100}, 10)
    assert sum(quotas.values()) == 10 and sorted(quotas.values()) == [3, 3, 4] and not shortfalls
    # a stratum too small gives all it has; the others share what it lacks, equally
    quotas, shortfalls = balanced_quotas({("a",): 2, ("b",): 100, ("c",): 100}, 30)
    assert quotas == {("a",): 2, ("b",): 14, ("c",): 14}
    assert [(s.stratum, s.available, s.equal_share) for s in shortfalls] == [(("a",), 2, 10)]


def test_proportional_quotas_keep_shares_exactly():
    available = {("a",): 500, ("b",): 300, ("c",): 199, ("d",): 1}
    quotas = proportional_quotas(available, 7)
    assert sum(quotas.values()) == 7
    for stratum, count in available.items():  # each is its exact share rounded down or up
        exact = 7 * count / 1000
        assert math.floor(exact) <= quotas[stratum] <= math.ceil(exact)
    assert quotas == {("a",): 4, ("b",): 2, ("c",): 1, ("d",): 0}  # largest remainders: .5 .1 .393 .007


def sample_people() -> list[dict]:
    rng = np.random.default_rng(5)
    people = []
    for i in range(400):
        age = int(rng.integers(18, 90)) if i else 18
        band = next(b for lo, hi, b in [(18, 24, "18-24"), (25, 44, "25-44"), (45, 200, "45+")] if lo <= age <= hi)
        people.append(person(f"s{i:03d}", age=age, age_band=band, sex=["Female", "Male"][i % 2],
                             education_level="graduate" if i % 37 == 0 else "high_school"))  # fmt: skip
    return people


def run_sample(database, out, *options) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "dagster_project.analyst", "sample", "--database", str(database),
               "--output", str(out), *options]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, check=True, timeout=120)


def test_sampler_balanced_reproducible_across_processes(tmp_path):
    database = serving_file(tmp_path / "serving.duckdb", sample_people())
    options = ["--n", "60", "--by", "age_band,education_level", "--mode", "balanced", "--seed", "11"]
    first = run_sample(database, tmp_path / "a.jsonl", *options)
    run_sample(database, tmp_path / "b.jsonl", *options)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()  # same seed, same personas
    cards = pd.read_json(tmp_path / "a.jsonl", lines=True)
    assert len(cards) == 60 and cards.persona_id.is_unique
    counts = cards.groupby(["age_band", "education_level"]).size()
    # graduates are rare: each of their strata gives all it has, and says so; the rest are equal
    small = counts.xs("graduate", level="education_level")
    assert "fewer than an equal share" in first.stdout and "graduate" in first.stdout
    large = counts.xs("high_school", level="education_level")
    assert large.sum() + small.sum() == 60 and large.max() - large.min() <= 1
    run_sample(database, tmp_path / "c.jsonl", *options[:-1], "12")
    assert set(pd.read_json(tmp_path / "c.jsonl", lines=True).persona_id) != set(cards.persona_id)
    # the card is ready for a prompt: demographics, narratives, lists
    card = json.loads((tmp_path / "a.jsonl").read_text().splitlines()[0])
    assert {"persona_id", "age", "sex", "occupation_group", "persona", "skills", "hobbies"} <= set(card)


def test_sampler_includes_eighteen_year_olds_and_keeps_shares(tmp_path):
    people = sample_people()
    database = serving_file(tmp_path / "serving.duckdb", people)
    run_sample(database, tmp_path / "all.parquet", "--n", "400", "--by", "age_band", "--mode", "proportional")
    assert "s000" in set(pd.read_parquet(tmp_path / "all.parquet").persona_id)  # aged 18
    run_sample(database, tmp_path / "p.parquet", "--n", "101", "--by", "sex", "--mode", "proportional", "--seed", "3")
    cards = pd.read_parquet(tmp_path / "p.parquet")
    assert len(cards) == 101 and sorted(cards.sex.value_counts().tolist()) == [50, 51]


def test_compare_statistics_match_a_direct_computation(tmp_path, capsys):
    people = sample_people()
    database = serving_file(tmp_path / "serving.duckdb", people)
    run_sample(database, tmp_path / "s.jsonl", "--n", "40", "--by", "age_band", "--seed", "2")
    analyst(["compare", str(database), str(tmp_path / "s.jsonl"), "--attributes", "age_band,sex,education_level"])
    printed = capsys.readouterr().out
    population = pd.DataFrame(people)
    sample = pd.read_json(tmp_path / "s.jsonl", lines=True)
    p = population.age_band.value_counts(normalize=True)
    q = sample.age_band.value_counts(normalize=True).reindex(p.index, fill_value=0)
    m = (p + q) / 2
    js = 0.5 * sum(p * np.log2(p / m)) + 0.5 * sum(q[q > 0] * np.log2(q[q > 0] / m[q > 0]))
    assert f"age_band: total variation distance {0.5 * abs(p - q).sum():.4f}" in printed
    assert f"Jensen-Shannon divergence {js:.4f} bits" in printed
    stats = {line.split()[0]: line.split()[1:] for line in printed.splitlines() if line[:1].isalpha()}
    age = population.age
    assert stats["age_mean"][0] == f"{age.mean():,.4f}" and stats["age_std"][0] == f"{age.std():,.4f}"
    assert stats["age_cv"][0] == f"{age.std() / age.mean():,.4f}" and stats["age_skewness"][0] == f"{age.skew():,.4f}"
    counts = np.sort(population.education_level.value_counts().to_numpy())
    k = len(counts)
    gini = sum((2 * i - k - 1) * n for i, n in enumerate(counts, start=1)) / (k * counts.sum())
    assert stats["education_gini"][0] == f"{gini:,.4f}"
    shares = population.sex.value_counts(normalize=True)
    assert stats["sex_entropy_bits"][0] == f"{-(shares * np.log2(shares)).sum():,.4f}"


def test_the_published_serving_file_holds_the_analyst_sql(sample_warehouse):
    _, _, warehouse_dir = sample_warehouse
    with duckdb.connect(str(warehouse_dir / "personas_serving.duckdb"), read_only=True) as con:
        tech_women = con.sql("""SELECT count(*) FROM marts.search_personas(min_age := 30, max_age := 39,
            sexes := ['Female'], occupation_groups := ['computer and mathematical'])""").fetchone()[0]
        direct = con.sql("""SELECT count(*) FROM marts.dim_persona JOIN marts.dim_occupation AS o USING (occupation)
            WHERE age BETWEEN 30 AND 39 AND sex = 'Female' AND o.occupation_group = 'computer and mathematical'
            """).fetchone()[0]  # fmt: skip
        assert tech_women == direct > 0
        cards = con.sql("SELECT count(*) FROM marts.persona_cards").fetchone()[0]
        assert cards == con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0]
        unmapped = con.sql("SELECT count(*) FROM marts.dim_occupation WHERE NOT mapped").fetchone()[0]
        assert unmapped == 0  # the seed maps every occupation the generator writes


def test_the_guides_questions_run_and_correct_the_guide(sample_warehouse):
    _, _, warehouse_dir = sample_warehouse
    with duckdb.connect(str(warehouse_dir / "personas_serving.duckdb"), read_only=True) as con:
        answers = {name: con.sql(sql).df() for name, sql in guide_questions().items()}
        personas = con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0]
        bachelors_only = dict(con.sql("SELECT state, avg((education_level = 'bachelors')::int) "
                                      "FROM marts.dim_persona GROUP BY 1").fetchall())  # fmt: skip
    assert all(len(answer) for answer in answers.values())
    rates = answers["bachelors_or_higher_by_state"]
    # the guide's list matches only 'bachelors': its rate is the bachelor's-only rate, below the corrected one
    assert (rates.guide_rate == rates.state.map(bachelors_only)).all()
    assert (rates.guide_rate <= rates.corrected_rate).all() and (rates.guide_rate < rates.corrected_rate).any()
    bands = answers["marital_status_by_guide_age_bands"]
    assert bands.personas.sum() == personas  # nobody lost to the guide's gaps
    assert "outside the guide's bands" in set(bands.guide_age_band)
    assert answers["tech_women_30_39"].corrected_count[0] > 0


def test_sampler_strata_may_be_booleans_and_missing_values(database, tmp_path, capsys):
    out = tmp_path / "s.jsonl"
    analyst(["sample", "--database", str(database), "--n", "4", "--by", "has_bachelors_or_higher,bachelors_field",
             "--mode", "balanced", "--output", str(out)])  # fmt: skip
    cards = pd.read_json(out, lines=True)
    assert len(cards) == 4 and cards.bachelors_field.isna().sum() == 1  # p05, the one without a degree
    assert "False / (none)" in capsys.readouterr().out
