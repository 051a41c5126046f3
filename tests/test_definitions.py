"""The whole Definitions load; a snapshot of every asset and check makes renames visible in review."""

import dagster as dg

from dagster_project.definitions import defs
from dagster_project.lib.expectation_suites import load_suites
from dagster_project.settings import EXPECTATIONS_DIR

EXPECTED_ASSETS = {
    "raw_personas",
    "published_warehouse",
    "census_audit_report",
    "reference/ref_zipcodes", "staging/stg_zipcodes__zipcodes",
    "staging/stg_nemotron__personas_typed", "staging/stg_nemotron__personas_quarantined",
    "marts/mart_load_accounting", "marts/mart_quarantine_reasons",
    "reference/ref_occupation_entry_education", "intermediate/int_census_distributions",
    "intermediate/int_census_marital_status_by_age_band",
    "marts/mart_census_alignment", "marts/mart_persona_consistency", "marts/mart_age_pyramid_vs_census",
    "marts/mart_marital_status_by_age_vs_census", "marts/mart_education_by_state_vs_census",
    "reference/ref_census_states", "reference/ref_census_age_distribution",
    "reference/ref_census_marital_status_by_age", "reference/ref_census_education_by_age_sex",
    "reference/ref_census_field_of_degree", "reference/ref_census_education_by_state",
    "reference/ref_census_marital_status_codes", "reference/ref_census_education_codes",
    "reference/ref_census_degree_field_codes",
    "staging/stg_nemotron__personas",
    "intermediate/int_persona_skills_unnested", "intermediate/int_persona_hobbies_unnested",
    "intermediate/int_skill_spellings_normalized", "intermediate/int_hobby_spellings_normalized",
    "marts/dim_persona", "marts/dim_skill", "marts/dim_hobby",
    "marts/bridge_persona_skill", "marts/bridge_persona_hobby",
    "marts/mart_age_distribution", "marts/mart_marital_status_by_age", "marts/mart_education_by_state",
    "marts/mart_occupation_age_stats", "marts/mart_diversity_metrics",
    "marts/mart_skill_popularity", "marts/mart_hobby_popularity", "marts/mart_occupation_skills",
}  # fmt: skip


def asset_graph():
    return defs.resolve_asset_graph()


def test_asset_keys_snapshot():
    keys = {key.to_user_string() for key in asset_graph().get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS


def test_staging_reads_the_ingested_raw_table():
    graph = asset_graph()
    typed = dg.AssetKey(["staging", "stg_nemotron__personas_typed"])
    assert dg.AssetKey("raw_personas") in graph.get(typed).parent_keys
    # the staged personas take their narratives from the raw rows they came from
    staged = graph.get(dg.AssetKey(["staging", "stg_nemotron__personas"])).parent_keys
    assert staged == {typed, dg.AssetKey("raw_personas")}
    zipcodes = graph.get(dg.AssetKey(["staging", "stg_zipcodes__zipcodes"])).parent_keys
    assert dg.AssetKey(["reference", "ref_zipcodes"]) in zipcodes


def test_every_expectation_suite_guards_an_existing_asset():
    graph = asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for suite in load_suites(EXPECTATIONS_DIR):
        assert (suite.asset, f"gx_{suite.name}") in checks
        assert suite.asset in EXPECTED_ASSETS


def test_dbt_tests_are_asset_checks():
    checks = {k.name for k in asset_graph().asset_check_keys}
    assert "unique_dim_persona_persona_id" in checks
    assert "unique_combination_of_columns_bridge_persona_skill_persona_id__skill_position" in checks
    assert len(checks) > 50


def test_the_main_job_covers_everything():
    job = defs.resolve_job_def("build_warehouse")
    assert job.executor_def.name == "in_process"
