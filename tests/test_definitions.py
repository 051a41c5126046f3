"""The whole Definitions load; a snapshot of every asset and check makes renames visible in review."""

import os
from pathlib import Path

import dagster as dg

from dagster_project.definitions import defs
from dagster_project.defs.quality.suites import load_suites
from dagster_project.settings import EXPECTATIONS_DIR

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.txt"


def definitions_listing() -> list[str]:
    """Every asset, check, job, schedule and sensor, one per line, sorted: what review should see change."""
    graph = defs.resolve_asset_graph()
    return sorted(
        [
            *(f"asset {key.to_user_string()}" for key in graph.get_all_asset_keys()),
            *(f"check {key.asset_key.to_user_string()}:{key.name}" for key in graph.asset_check_keys),
            *(f"job {job.name}" for job in defs.jobs),
            *(f"schedule {schedule.name}" for schedule in defs.schedules),
            *(f"sensor {sensor.name}" for sensor in defs.sensors),
        ]
    )


EXPECTED_ASSETS = {
    line.removeprefix("asset ") for line in SNAPSHOT.read_text().splitlines() if line.startswith("asset ")
}


def asset_graph():
    return defs.resolve_asset_graph()


def test_definitions_snapshot():
    """A renamed, added or lost asset or check shows up here. After a deliberate change, review and run
    `UPDATE_SNAPSHOT=1 pytest tests/test_definitions.py`."""
    listing = definitions_listing()
    if os.environ.get("UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text("\n".join(listing) + "\n")
    assert listing == SNAPSHOT.read_text().splitlines()


def test_staging_reads_the_ingested_raw_table():
    graph = asset_graph()
    typed = dg.AssetKey(["staging", "base_nemotron__personas_validated"])
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


def test_the_main_job_covers_everything():
    job = defs.resolve_job_def("build_warehouse")
    assert job.executor_def.name == "in_process"
