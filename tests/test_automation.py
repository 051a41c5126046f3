"""The schedule and the upstream sensor, evaluated as the daemon would, against real files and a loopback Hub."""

import json

import dagster as dg
import duckdb
import pytest

from dagster_project.definitions import build_warehouse, defs
from dagster_project.defs.automation import build_refresh_schedule
from dagster_project.lib.publishing import ServingLayout, publish
from dagster_project.settings import WarehouseSettings
from dagster_project.sources.resolve import resolve_source
from tests.conftest import write_table
from tests.hub_server import FakeHub, FakeHubDataset

REPO = "nvidia/Nemotron-Personas-USA"
COMMIT_A, COMMIT_B = "a" * 40, "b" * 40


def evaluate_sensor(cursor: str | None = None):
    sensor = defs.get_sensor_def("upstream_change_sensor")
    with dg.instance_for_test() as instance:
        return sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def publish_from(warehouse_dir, fingerprint: str, revision: str | None = None) -> None:
    """A served version recorded as built from this source version."""
    build = duckdb.connect(str(warehouse_dir / "build.duckdb"))
    build.execute("CREATE SCHEMA marts; CREATE TABLE marts.dim_persona AS SELECT 1 AS persona_id")
    publish(build, ServingLayout(warehouse_dir), {"fingerprint": fingerprint, "spec": "x", "revision": revision}, {})
    build.close()


@pytest.fixture
def local_source(tmp_path, monkeypatch, make_table):
    source = tmp_path / "source"
    write_table(make_table(20), source / "data" / "train-00000-of-00001.parquet")
    monkeypatch.setenv("PERSONAS_SOURCE", str(source))
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    (tmp_path / "wh").mkdir()
    return source


def test_the_schedule_refreshes_the_whole_warehouse(monkeypatch):
    schedule = defs.get_schedule_def("weekly_refresh")
    assert schedule.cron_schedule == "0 4 * * 1" and schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == "build_warehouse"
    with dg.instance_for_test() as instance:
        requests = schedule.evaluate_tick(dg.build_schedule_context(instance=instance)).run_requests
    assert len(requests) == 1
    monkeypatch.setenv("WAREHOUSE_REFRESH_CRON", "30 2 * * *")
    daily = WarehouseSettings.from_env().refresh_cron
    assert build_refresh_schedule(build_warehouse, daily).cron_schedule == "30 2 * * *"


def test_a_local_source_runs_once_per_content(local_source, make_table, tmp_path):
    first = evaluate_sensor()
    fingerprint = resolve_source(str(local_source)).fingerprint
    assert isinstance(first, dg.RunRequest) and first.run_key == fingerprint

    publish_from(tmp_path / "wh", fingerprint)
    unchanged = evaluate_sensor(cursor=fingerprint)
    assert isinstance(unchanged, dg.SkipReason) and "unchanged" in unchanged.skip_message

    write_table(make_table(25, seed=9), local_source / "data" / "train-00000-of-00001.parquet")
    changed = evaluate_sensor(cursor=fingerprint)
    assert isinstance(changed, dg.RunRequest) and changed.run_key not in {fingerprint, None}


def test_a_missing_local_source_is_a_skip_with_its_reason(local_source, monkeypatch, tmp_path):
    monkeypatch.setenv("PERSONAS_SOURCE", str(tmp_path / "nowhere"))
    result = evaluate_sensor()
    assert isinstance(result, dg.SkipReason) and "Could not check" in result.skip_message
    assert "nowhere" in result.skip_message


def test_the_hub_sensor_follows_the_revision_and_skips_when_the_hub_is_away(tmp_path, monkeypatch, make_table):
    root = tmp_path / "repo"
    write_table(make_table(20), root / "data" / "train-00000-of-00001.parquet")
    dataset = FakeHubDataset(repo_id=REPO, commit=COMMIT_A, root=root)
    monkeypatch.setenv("PERSONAS_SOURCE", f"hf://{REPO}@main")
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    (tmp_path / "wh").mkdir()
    with FakeHub(dataset) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
        first = evaluate_sensor()
        assert isinstance(first, dg.RunRequest) and first.run_key == f"{REPO}@{COMMIT_A}"
        assert not any(r.startswith("GET /datasets/") for r in dataset.requests)  # asked, downloaded nothing

        publish_from(tmp_path / "wh", "f" * 64, revision=COMMIT_A)
        assert isinstance(evaluate_sensor(cursor=first.run_key), dg.SkipReason)

        dataset.commit = COMMIT_B  # a new commit on main
        moved = evaluate_sensor(cursor=first.run_key)
        assert isinstance(moved, dg.RunRequest) and moved.run_key == f"{REPO}@{COMMIT_B}"
    away = evaluate_sensor(cursor=moved.run_key)  # the server is gone
    assert isinstance(away, dg.SkipReason)
    assert away.skip_message.startswith(f"Could not check hf://{REPO}@main") and "Will try again" in away.skip_message


def materialize(instance, *keys: str):
    selection = [dg.AssetKey.from_user_string(k) for k in keys] or None
    job = defs.resolve_job_def("build_warehouse")
    return job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=selection)


def test_automation_rebuilds_downstream_of_a_change_and_publish_waits_for_it(local_source, make_table):
    with dg.instance_for_test() as instance:
        assert materialize(instance).success
        settled = dg.evaluate_automation_conditions(defs=defs, instance=instance)
        assert settled.total_requested == 0  # everything is up to date
        assert materialize(instance, "published_warehouse").success  # checks passed on the current data

        write_table(make_table(25, seed=9), local_source / "data" / "train-00000-of-00001.parquet")
        assert materialize(instance, "raw_personas").success
        refused = materialize(instance, "published_warehouse")
        (failure,) = [e for e in refused.all_events if e.is_step_failure]
        assert "marts/dim_persona is older than the latest raw_personas load" in str(failure.event_specific_data.error)

        changed = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=settled.cursor)
        requested = [k for k in defs.resolve_asset_graph().get_all_asset_keys() if changed.get_num_requested(k)]
        names = {k.to_user_string() for k in requested}
        assert {"staging/stg_nemotron__personas", "marts/dim_persona", "census_audit_report"} <= names
        assert "reference/ref_census_states" not in names  # seeds change only with the code: full runs
        assert "published_warehouse" not in names  # not before the marts' blocking checks have passed again
        assert materialize(instance, *names).success  # the run the automation sensor would launch

        rebuilt = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=changed.cursor)
        assert rebuilt.total_requested == 1 and rebuilt.get_num_requested(dg.AssetKey("published_warehouse")) == 1
        assert materialize(instance, "published_warehouse").success
        served = ServingLayout(local_source.parent / "wh").current_entry()
        assert json.loads(served["row_counts"])["dim_persona"] == 25
