"""The generator: deterministic, in the Hub's layout and formats, and close to the Census it samples."""

import hashlib
import json
import zlib

import duckdb
import numpy as np
import pytest
import zipcodes

from dagster_project.defs.ingest.columns import REQUIRED_COLUMNS
from dagster_project.lib.list_literal import parse_list_literal
from dagster_project.settings import SAMPLES_DIR
from persona_generator.__main__ import main as generator_main
from persona_generator.census import AGE_BANDS, EDUCATION_BANDS, band_index
from persona_generator.personas import USA_COLUMNS, write_dataset
from tests.conftest import REAL_ROWS_DIR

ROWS = 20_000


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    paths = write_dataset(out, ROWS, seed=11, rows_per_shard=7_000)
    frame = duckdb.sql(f"SELECT * FROM read_parquet('{out}/data/*.parquet')").df()
    return paths, frame


def test_layout_matches_the_hub(generated):
    paths, frame = generated
    assert [p.name for p in paths] == [f"train-0000{i}-of-00003.parquet" for i in range(3)]
    assert tuple(frame.columns) == USA_COLUMNS and len(frame) == ROWS


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    a = write_dataset(tmp_path / "a", 1500, seed=5, rows_per_shard=1000)
    b = write_dataset(tmp_path / "b", 1500, seed=5, rows_per_shard=1000)
    c = write_dataset(tmp_path / "c", 1500, seed=6, rows_per_shard=1000)
    assert [sha256(p) for p in a] == [sha256(p) for p in b]
    assert sha256(a[0]) != sha256(c[0])


def test_bundled_sample_regenerates_byte_for_byte(tmp_path, monkeypatch):
    committed = {p.name: sha256(p) for p in (SAMPLES_DIR / "generated" / "data").glob("*.parquet")}
    monkeypatch.setattr("persona_generator.__main__.SAMPLES_DIR", tmp_path)
    generator_main(["--sample"])
    assert {p.name: sha256(p) for p in (tmp_path / "generated" / "data").glob("*.parquet")} == committed
    assert sum(p.stat().st_size for p in (SAMPLES_DIR / "generated" / "data").glob("*")) < 5_000_000


def test_original_release_format(tmp_path):
    (path,) = write_dataset(tmp_path, 1000, seed=1, release="original")
    frame = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
    assert tuple(frame.columns) == REQUIRED_COLUMNS
    assert frame["uuid"].str.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").all()
    assert frame.loc[~frame.education_level.isin(["bachelors", "graduate"]), "bachelors_field"].isna().all()


def shares(values, categories):
    counts = values.value_counts(normalize=True)
    return np.array([counts.get(c, 0.0) for c in categories])


# Tolerances: 20,000 rows give a standard error of at most 0.35 percentage points on a share;
# 1.5 points is over four standard errors, so a pass is not luck and a wrong table fails.
def test_sex_and_age_follow_acs_2018(generated, census_and_vocab):
    _, frame = generated
    reference, _ = census_and_vocab
    male_share = reference.sex_age_band_weights[0].sum()
    assert abs((frame.sex == "Male").mean() - male_share) < 0.015
    observed = np.bincount(band_index(frame.age.to_numpy(), AGE_BANDS), minlength=len(AGE_BANDS)) / ROWS
    assert np.abs(observed - reference.sex_age_band_weights.sum(axis=0)).max() < 0.01
    assert frame.age.min() >= 18 and frame.age.max() <= 100


def test_marital_status_by_age_band_follows_acs(generated, census_and_vocab):
    _, frame = generated
    reference, _ = census_and_vocab
    for sex_index, sex in enumerate(["Male", "Female"]):
        for low, high, band in [(25, 29, 2), (45, 49, 6)]:  # marital bands 25-29 and 45-49
            people = frame[(frame.sex == sex) & frame.age.between(low, high)]
            observed = shares(people.marital_status, reference.marital_statuses)
            assert np.abs(observed - reference.marital_weights[sex_index, band]).max() < 0.06, (sex, band)
    young = frame[frame.age < 35]
    assert (young.marital_status == "widowed").mean() < 0.01


def test_education_and_field_of_degree_follow_acs(generated, census_and_vocab):
    _, frame = generated
    reference, _ = census_and_vocab
    for sex_index, sex in enumerate(["Male", "Female"]):
        band = EDUCATION_BANDS.index("45-64")
        people = frame[(frame.sex == sex) & frame.age.between(45, 64)]
        observed = shares(people.education_level, reference.education_levels)
        # the state tilt moves degree shares a little away from the national table
        assert np.abs(observed - reference.education_weights[sex_index, band]).max() < 0.03, sex
    degree = frame.education_level.isin(["bachelors", "graduate"])
    assert (frame.bachelors_field[~degree] == "").all() and (frame.bachelors_field[degree] != "").all()
    stem_share = (frame.bachelors_field[degree] == "stem").mean()
    assert 0.30 < stem_share < 0.40  # ACS 2018: 35.2% of degree holders' first field is S&E


def test_states_follow_adult_population_and_degree_rates(generated, census_and_vocab):
    _, frame = generated
    reference, _ = census_and_vocab
    observed = shares(frame.state, reference.states)
    assert np.abs(observed - reference.state_weights).max() < 0.01
    assert set(frame.state) <= set(reference.states) and "PR" in set(frame.state)
    by_state = (
        frame[frame.age >= 25]
        .groupby("state")
        .education_level.apply(lambda s: s.isin(["bachelors", "graduate"]).mean())
    )
    assert by_state["MA"] > by_state["WV"] + 0.1  # ACS 2018: 44.5% vs 20.3%


def test_places_are_real_zipcodes_of_the_state(generated):
    _, frame = generated
    assert frame.zipcode.str.fullmatch(r"\d{5}").all()
    for row in frame.sample(200, random_state=1).itertuples():
        (match,) = zipcodes.matching(row.zipcode)
        assert match["state"] == row.state and match["city"] == row.city


def test_occupations(generated):
    _, frame = generated
    assert 0.38 < (frame.occupation == "not_in_workforce").mean() < 0.48
    assert (frame.occupation[frame.age >= 85] == "not_in_workforce").all()
    assert 0.01 < (frame.occupation == "no_occupation").mean() < 0.05
    degree_jobs = frame.occupation.isin(["physician", "lawyer", "postsecondary_teacher"])
    assert frame.education_level[degree_jobs].isin(["graduate"]).all()
    assert frame.occupation.str.fullmatch(r"[a-z_]+").all()


def test_lists_are_python_literals_with_the_real_quirks(generated):
    _, frame = generated
    skills = frame.skills_and_expertise_list
    parsed = skills.map(parse_list_literal)
    assert parsed.map(len).between(5, 16).all() and 8 < parsed.map(len).mean() < 12
    assert frame.hobbies_and_interests_list.map(parse_list_literal).map(len).between(4, 14).all()
    assert skills.str.startswith('["').any()  # an item with an apostrophe is double-quoted
    assert skills.str.endswith(",]").any()  # trailing comma
    assert skills.str.contains(r"\w ' '\w", regex=True).any()  # adjacent literals
    assert skills.str.startswith("[[").sum() == 1  # exactly one nested list
    items = [i for row in parsed for i in row]
    assert len({i.strip().casefold() for i in items}) < len(set(items))  # case/whitespace variants
    assert len(set(items)) > 300


def test_narratives_have_realistic_length_and_punctuation(generated):
    _, frame = generated
    narrative = ["persona", "professional_persona", "sports_persona", "arts_persona", "travel_persona",
                 "culinary_persona", "cultural_background", "skills_and_expertise", "hobbies_and_interests",
                 "career_goals_and_ambitions"]  # fmt: skip
    text_bytes = frame[narrative].apply(lambda c: c.str.len()).sum(axis=1)
    assert 2_000 < text_bytes.mean() < 6_000
    assert frame.persona.str.contains("\u2011").any() and frame.persona.str.contains("\u2019").any()


REAL_NARRATIVES = ["persona", "professional_persona", "sports_persona", "arts_persona", "travel_persona",
                   "culinary_persona", "cultural_background", "skills_and_expertise", "hobbies_and_interests",
                   "career_goals_and_ambitions"]  # fmt: skip
HUB_BYTES_PER_ROW = 2_686_692_730 / 1_000_000  # USA v1.1: 11 shards, 1M personas (NEMOTRON_PERSONAS.md)


def zlib_ratio(rows: list[dict]) -> float:
    """zlib's compression ratio of the narratives, five rows at a time (the real rows are five)."""
    ratios = []
    for start in range(0, len(rows) - 4, 5):
        text = "".join(row[c] for row in rows[start : start + 5] for c in REAL_NARRATIVES).encode()
        ratios.append(len(text) / len(zlib.compress(text, 6)))
    return float(np.mean(ratios))


def test_narratives_have_the_real_rows_shape(generated):
    paths, frame = generated
    real = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(REAL_ROWS_DIR.glob("*.json"))]
    # bytes on disk: the Hub's 2.7 KB a row, within 15 %
    bytes_per_row = sum(p.stat().st_size for p in paths) / ROWS
    assert 0.85 * HUB_BYTES_PER_ROW <= bytes_per_row <= 1.15 * HUB_BYTES_PER_ROW
    # compressibility: the real rows' zlib ratio (2.54), within 25 % (templates alone gave 14)
    real_ratio, generated_ratio = zlib_ratio(real), zlib_ratio(frame.head(500).to_dict("records"))
    assert 0.75 * real_ratio <= generated_ratio <= 1.25 * real_ratio
    # each narrative's length: the real rows' mean, within 15 %
    for column in REAL_NARRATIVES:
        real_mean = np.mean([len(row[column]) for row in real])
        assert frame[column].str.len().mean() == pytest.approx(real_mean, rel=0.15), column


def test_narratives_refer_to_the_persona(generated):
    _, frame = generated
    first_names = frame.persona.str.split(" ").str[0]
    assert all(p.startswith(n) for p, n in zip(frame.professional_persona, first_names, strict=True))
    # every cultural background names the persona's city, as all five real rows do
    assert all(city in text for city, text in zip(frame.city, frame.cultural_background, strict=True))
    # outside the workforce, the professional narrative mostly gives a work status (the words of the
    # consistency rule not_in_workforce_narrative_without_work_status), and at times none, as people do
    out = frame[frame.occupation == "not_in_workforce"]
    status = out.professional_persona.str.contains("retire|no longer|stay-at-home|student|between jobs|caregiv")
    assert 0.8 < status.mean() < 1
    married = frame[frame.marital_status == "married_present"]
    assert married.cultural_background.str.contains("husband|wife").all()
    widowed = frame[frame.marital_status == "widowed"]
    assert widowed.cultural_background.str.contains("lost|Widowed").all()
