"""Materialize the whole warehouse with Dagster into a temporary folder and check what it holds.

Every mart is compared with an independent pandas computation over the raw rows.
"""

import json
import math
import os
import shutil
import signal

import dagster as dg
import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dagster_project.definitions import defs
from dagster_project.lib.code_version import project_code_version
from dagster_project.lib.list_literal import normalize_item_key, parse_list_literal
from dagster_project.settings import PROJECT_ROOT
from tests.conftest import SAMPLE_ROWS, write_table
from tests.warehouse_runs import build, cli_build, serving_state


def items(value) -> list[str]:
    parsed = parse_list_literal(value) if isinstance(value, str) else list(value)
    return [i.strip() for i in parsed if i.strip()]


@pytest.fixture(scope="module")
def raw(sample_warehouse):
    _, con, _ = sample_warehouse
    frame = con.sql("SELECT * FROM raw.personas").df()
    frame["skills"] = frame.skills_and_expertise_list.map(items)
    frame["hobbies"] = frame.hobbies_and_interests_list.map(items)
    return frame


def table(con, name, order):
    return con.sql(f"SELECT * FROM marts.{name} ORDER BY {order}").df()


def test_every_check_ran_and_passed(sample_warehouse):
    result, _, _ = sample_warehouse
    evaluations = result.get_asset_check_evaluations()
    assert {e.check_name for e in evaluations} >= {
        "gx_staging_personas", "gx_bridge_persona_skill", "gx_bridge_persona_hobby", "gx_distribution_personas"
    }  # fmt: skip
    assert [e.check_name for e in evaluations if not e.passed] == []


def test_row_counts_reconcile_from_raw_to_dim_persona(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    assert len(raw) == SAMPLE_ROWS
    for name in ["staging.stg_nemotron__personas", "marts.dim_persona"]:
        assert con.sql(f"SELECT count(*) FROM {name}").fetchone()[0] == SAMPLE_ROWS


def test_bridges_hold_every_parsed_list_item(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    assert con.sql("SELECT count(*) FROM marts.bridge_persona_skill").fetchone()[0] == raw.skills.map(len).sum()
    assert con.sql("SELECT count(*) FROM marts.bridge_persona_hobby").fetchone()[0] == raw.hobbies.map(len).sum()
    nested = raw[raw.skills_and_expertise_list.str.startswith("[[")]
    assert len(nested) == 1
    persona_id = nested.uuid.iloc[0]
    bridge = con.sql(
        "SELECT skill_text FROM marts.bridge_persona_skill WHERE persona_id = $p ORDER BY skill_position",
        params={"p": persona_id},
    ).fetchall()
    assert [r[0] for r in bridge] == nested.skills.iloc[0]


def test_lineage_and_metadata(sample_warehouse):
    result, con, _ = sample_warehouse
    lineage = con.sql(
        "SELECT DISTINCT _source_spec, _source_release, _source_file FROM raw.personas ORDER BY 3"
    ).fetchall()
    assert lineage == [("sample", "usa", "data/train-00000-of-00002.parquet"),
                       ("sample", "usa", "data/train-00001-of-00002.parquet")]  # fmt: skip
    (materialization,) = [m for m in result.get_asset_materialization_events()
                          if m.asset_key == dg.AssetKey("raw_personas")]  # fmt: skip
    metadata = materialization.materialization.metadata
    assert metadata["dagster/row_count"].value == SAMPLE_ROWS and metadata["reloaded"].value is True
    assert len(metadata["fingerprint"].value) == 64 and "uuid" in metadata["preview"].value


def test_age_distribution_matches_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    mart = table(con, "mart_age_distribution", "age, sex")
    expected = raw.groupby(["age", "sex"]).size().rename("persona_count").reset_index().sort_values(["age", "sex"])
    assert mart[["age", "sex", "persona_count"]].astype({"age": int}).values.tolist() == expected.values.tolist()
    assert mart.share_of_all_personas.sum() == pytest.approx(1)


def age_band(age: pd.Series) -> pd.Series:
    labels = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    return pd.cut(age, [17, 24, 34, 44, 54, 64, 74, 200], labels=labels).astype(str)


def test_marital_status_by_age_matches_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    mart = table(con, "mart_marital_status_by_age", "sex, age_band, marital_status")
    frame = raw.assign(age_band=age_band(raw.age))
    overall = frame.groupby(["age_band", "marital_status"]).size() / frame.groupby("age_band").size()
    got = mart[mart.sex == "All"].set_index(["age_band", "marital_status"]).share_within_age_band
    pd.testing.assert_series_equal(got.sort_index(), overall.sort_index(), check_names=False)
    women = frame[frame.sex == "Female"]
    by_sex = women.groupby(["age_band", "marital_status"]).size().sort_index()
    got_women = mart[mart.sex == "Female"].set_index(["age_band", "marital_status"]).persona_count.sort_index()
    assert got_women.tolist() == by_sex.tolist()


def test_education_by_state_matches_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    mart = table(con, "mart_education_by_state", "state").set_index("state")
    degree = raw.education_level.isin(["bachelors", "graduate"])
    rate = degree.groupby(raw.state).mean()
    pd.testing.assert_series_equal(mart.bachelors_or_higher_rate, rate, check_names=False)
    adults = raw[raw.age >= 25]
    rate_25 = adults.education_level.isin(["bachelors", "graduate"]).groupby(adults.state).mean()
    assert np.allclose(mart.bachelors_or_higher_rate_25_plus.loc[rate_25.index], rate_25)
    assert (mart.graduate_count == (raw.education_level == "graduate").groupby(raw.state).sum()).all()


def test_occupation_age_stats_match_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    mart = table(con, "mart_occupation_age_stats", "occupation").set_index("occupation")
    stats = raw.groupby("occupation").age.agg(["count", "mean", "median", "std"])
    assert (mart.persona_count == stats["count"]).all()
    assert np.allclose(mart.age_mean, stats["mean"]) and np.allclose(mart.age_median, stats["median"])
    assert np.allclose(mart.age_std, stats["std"], equal_nan=True)  # pandas: sample std, NaN for one person
    assert mart.persona_share.sum() == pytest.approx(1)


def test_diversity_metrics_match_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    mart = table(con, "mart_diversity_metrics", "dimension").set_index("dimension")
    frame = raw.assign(age_band=age_band(raw.age), bachelors_field=raw.bachelors_field.replace("", "(none)"))
    for dimension in ["sex", "age_band", "marital_status", "education_level", "bachelors_field", "occupation", "state"]:
        shares = frame[dimension].value_counts(normalize=True)
        entropy = -(shares * np.log2(shares)).sum()
        row = mart.loc[dimension]
        assert row.distinct_values == len(shares)
        assert row.entropy_bits == pytest.approx(entropy)
        assert row.normalized_entropy == pytest.approx(entropy / math.log2(len(shares)))
        assert row.largest_category == shares.index[0] and row.largest_category_share == pytest.approx(shares.iloc[0])


def test_skill_popularity_and_dimension_match_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    exploded = raw[["uuid", "skills"]].explode("skills").dropna()
    exploded["key"] = exploded.skills.map(normalize_item_key)
    personas_per_key = exploded.groupby("key").uuid.nunique().sort_index()
    mart = table(con, "mart_skill_popularity", "skill_key").set_index("skill_key")
    assert mart.persona_count.tolist() == personas_per_key.tolist()
    assert mart.index.tolist() == personas_per_key.index.tolist()
    assert mart.persona_share.tolist() == pytest.approx((personas_per_key / SAMPLE_ROWS).tolist())
    top = personas_per_key.sort_values(ascending=False).index[0]
    assert mart.loc[top].popularity_rank == 1
    dim = table(con, "dim_skill", "skill_key").set_index("skill_key")
    spellings = exploded.groupby("key").skills.nunique()
    assert (dim.spelling_count == spellings.loc[dim.index]).all() and (dim.spelling_count > 1).any()


def test_occupation_skills_match_pandas(sample_warehouse, raw):
    _, con, _ = sample_warehouse
    exploded = raw[["uuid", "occupation", "skills"]].explode("skills").dropna()
    exploded["key"] = exploded.skills.map(normalize_item_key)
    personas = exploded.drop_duplicates(["uuid", "key"]).groupby(["occupation", "key"]).size()
    mart = table(con, "mart_occupation_skills", "occupation, skill_key").set_index(["occupation", "skill_key"])
    assert mart.index.tolist() == personas.index.tolist()
    assert mart.persona_count.tolist() == personas.tolist()
    occupation_size = raw.groupby("occupation").size()
    shares = personas / occupation_size.reindex(personas.index.get_level_values(0)).to_numpy()
    assert mart.share_of_occupation.tolist() == pytest.approx(shares.tolist())
    top = personas.groupby(level=0).idxmax()
    assert (mart.loc[top.tolist()].rank_in_occupation == 1).all()


def test_descriptions_are_persisted_for_bi_tools(sample_warehouse):
    _, con, _ = sample_warehouse
    comment = con.sql(
        "SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = 'mart_occupation_age_stats'"
        " AND column_name = 'age_std'"
    ).fetchone()[0]
    assert "Sample standard deviation" in comment
    missing = con.sql(
        "SELECT table_name, column_name FROM duckdb_columns()"
        " WHERE schema_name IN ('marts', 'reference') AND comment IS NULL"
    ).fetchall()
    assert missing == []


def test_great_expectations_data_docs_are_written(sample_warehouse):
    result, _, warehouse_dir = sample_warehouse
    site = warehouse_dir / "great_expectations" / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert (site / "index.html").exists()
    pages = list((site / "validations").rglob("*.html"))
    assert {p.parts[len(site.parts) + 1] for p in pages} >= {"staging_personas", "distribution_personas"}


def test_the_audited_marts_are_published(sample_warehouse):
    _, con, warehouse_dir = sample_warehouse
    fingerprint = con.sql("SELECT fingerprint FROM raw.source_loads").fetchone()[0]
    with duckdb.connect(str(warehouse_dir / "personas_serving.duckdb"), read_only=True) as serving:
        assert serving.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0] == SAMPLE_ROWS
        ((logged_fingerprint, summary),) = serving.sql(
            "SELECT source_fingerprint, check_summary FROM meta.publish_log"
        ).fetchall()
        schemas = {r[0] for r in serving.sql("SELECT DISTINCT schema_name FROM duckdb_tables()").fetchall()}
        zoned = serving.sql(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name IN ('marts', 'meta')"
            " AND data_type LIKE '%WITH TIME ZONE'"
        )
        assert zoned.fetchall() == []  # TIMESTAMPTZ would need pytz in DuckDB's Python client
    summary = json.loads(summary)
    assert logged_fingerprint == fingerprint and schemas == {"marts", "meta"}
    gates = {"staging/stg_nemotron__personas:gx_staging_personas", "staging/stg_nemotron__personas:quarantine_policy",
             "marts/bridge_persona_skill:gx_bridge_persona_skill", "marts/bridge_persona_hobby:gx_bridge_persona_hobby",
             "marts/dim_persona:unique_dim_persona_persona_id"}  # fmt: skip
    assert gates <= set(summary["blocking_checks_passed"]) and summary["checks_failed_in_this_run"] == []
    marts = con.sql("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'").fetchone()[0]
    assert len(list((warehouse_dir / "exports" / "current").glob("*.parquet"))) == marts  # every table of marts


def readme_queries() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in readme.split("```sql")[1:]]
    return [q.strip() for block in blocks for q in block.split(";") if q.strip()]


@pytest.mark.parametrize("query", readme_queries())
def test_readme_example_queries_answer_on_the_serving_file(sample_warehouse, query):
    _, _, warehouse_dir = sample_warehouse
    with duckdb.connect(str(warehouse_dir / "personas_serving.duckdb"), read_only=True) as serving:
        assert serving.sql(query).fetchall()


def test_publishing_alone_is_refused(sample_warehouse, monkeypatch):
    _, _, warehouse_dir = sample_warehouse
    result = build(monkeypatch, warehouse_dir, "sample", selection=[dg.AssetKey("published_warehouse")])
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "Not publishing" in str(failure.event_specific_data.error)


def test_a_refresh_with_nothing_changed_builds_nothing(sample_warehouse, monkeypatch, tmp_path):
    _, _, built_dir = sample_warehouse
    warehouse_dir = tmp_path / "wh"
    shutil.copytree(built_dir, warehouse_dir, symlinks=True)
    published = serving_state(warehouse_dir)

    result = build(monkeypatch, warehouse_dir, "sample")
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {dg.AssetKey(["reference", "ref_zipcodes"])}  # raw_personas and all after it: skipped
    assert serving_state(warehouse_dir) == published

    # The same data published by other code: not reloaded, but rebuilt and published again.
    served = warehouse_dir / "published" / "current.json"  # what the warehouse knows it serves
    served.write_text(served.read_text().replace(project_code_version(), "an older checkout"))
    with duckdb.connect(str(warehouse_dir / "personas.duckdb"), read_only=True) as con:
        loaded_at = con.sql("SELECT max(_loaded_at) FROM raw.personas").fetchone()[0]
    result = build(monkeypatch, warehouse_dir, "sample")
    assert result.success
    events = {e.asset_key: e.materialization.metadata for e in result.get_asset_materialization_events()}
    assert events[dg.AssetKey("raw_personas")]["reloaded"].value is False
    assert dg.AssetKey("published_warehouse") in events
    with duckdb.connect(str(warehouse_dir / "personas.duckdb"), read_only=True) as con:
        assert con.sql("SELECT max(_loaded_at) FROM raw.personas").fetchone()[0] == loaded_at
    with duckdb.connect(str(warehouse_dir / "personas_serving.duckdb"), read_only=True) as serving:
        assert serving.sql("SELECT count(*) FROM meta.publish_log").fetchone()[0] == 2


def test_real_rows_come_through_with_their_skills(tmp_path, monkeypatch):
    result = build(monkeypatch, tmp_path, "sample:real")
    assert result.success  # the distribution suite may warn on five rows; it does not block
    with duckdb.connect(str(tmp_path / "personas.duckdb"), read_only=True) as con:
        skills = con.sql(
            "SELECT skill_text FROM marts.bridge_persona_skill"
            " WHERE persona_id = 'e7c0574639a244c8972c92aab9501035' ORDER BY skill_position"
        ).fetchall()
        person = con.sql(
            "SELECT age, sex, occupation, city, state, zipcode, bachelors_field, census_region"
            " FROM marts.dim_persona WHERE persona_id = 'e7c0574639a244c8972c92aab9501035'"
        ).fetchone()
    assert person == (28, "Female", "fast_food_or_counter_worker", "Madison", "WI", "53717", None, "Midwest")
    assert len(skills) == 10
    raw_skills = pd.read_json(
        PROJECT_ROOT / "dagster_project/samples/real_rows/usa_row_mary_alberti.json", typ="series"
    )
    assert [s[0] for s in skills] == [s.strip() for s in raw_skills["skills_and_expertise_list"]]


def test_bad_data_and_a_killed_run_never_touch_the_published_warehouse(tmp_path, make_table):
    warehouse_dir = tmp_path / "wh"
    good = cli_build(warehouse_dir, "sample")
    assert good.communicate(timeout=600) and good.returncode == 0
    published = serving_state(warehouse_dir)
    assert published[1] == SAMPLE_ROWS

    table = make_table(60).to_pandas()
    table.loc[0, "age"] = 7
    table.loc[1, "age"] = 150
    table.loc[2, "sex"] = "Unknown"
    table.loc[3, "marital_status"] = "it_is_complicated"
    table.loc[4, "uuid"] = table.loc[5, "uuid"]
    bad_file = tmp_path / "bad" / "data" / "train-00000-of-00001.parquet"
    write_table(pa.Table.from_pandas(table, preserve_index=False), bad_file)
    bad = cli_build(warehouse_dir, tmp_path / "bad")
    output = bad.communicate(timeout=600)[0]
    assert bad.returncode == 1
    assert "Not publishing: 5 of 60 rows quarantined (8.333%)" in output  # the quarantine_policy check
    for reason in ["age_out_of_range 2", "duplicate_uuid 1", "unknown_marital_status 1", "unknown_sex 1"]:
        assert reason in output
    with duckdb.connect(str(warehouse_dir / "personas.duckdb"), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM staging.stg_nemotron__personas").fetchone()[0] == 55
        assert con.sql("SELECT count(*) FROM staging.stg_nemotron__personas_quarantined").fetchone()[0] == 5
        assert con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0] == SAMPLE_ROWS  # the gate held
    assert serving_state(warehouse_dir) == published  # byte for byte, and still queryable

    killed = cli_build(warehouse_dir, "sample:real", start_new_session=True)
    for line in killed.stdout:  # kill the whole process tree once dbt is building
        if 'Started execution of step "dbt_staging"' in line:
            os.killpg(killed.pid, signal.SIGKILL)
            break
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert serving_state(warehouse_dir) == published

    again = cli_build(warehouse_dir, "sample:real")
    assert again.communicate(timeout=600) and again.returncode == 0
    assert serving_state(warehouse_dir)[1] == 5


def test_both_releases_and_both_list_encodings_stage_to_the_same_content(tmp_path, monkeypatch, make_table):
    from tests.conftest import with_real_lists

    usa = make_table(30, release="usa", seed=21)
    original = make_table(30, release="original", seed=21)  # same draws, original layout
    write_table(usa, tmp_path / "usa" / "data" / "train-00000-of-00001.parquet")
    write_table(with_real_lists(original), tmp_path / "original" / "data" / "train.jsonl")
    staged = {}
    for name in ["usa", "original"]:
        selection = dg.AssetSelection.groups("reference") | dg.AssetSelection.assets(
            "raw_personas", ["staging", "base_nemotron__personas_validated"], ["staging", "stg_nemotron__personas"]
        )
        result = build(monkeypatch, tmp_path / f"wh_{name}", tmp_path / name,
                       selection=sorted(selection.resolve(defs.resolve_asset_graph())))  # fmt: skip
        assert result.success
        with duckdb.connect(str(tmp_path / f"wh_{name}" / "personas.duckdb"), read_only=True) as con:
            staged[name] = con.sql(
                "SELECT persona_id, age, sex, marital_status, education_level, bachelors_field, occupation,"
                " state, zipcode, skills, hobbies, persona FROM staging.stg_nemotron__personas ORDER BY persona_id"
            ).fetchall()
    assert len(staged["usa"]) == 30
    assert staged["usa"] == staged["original"]
