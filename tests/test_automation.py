"""The schedule and the upstream sensor, evaluated as the daemon would, against real files and a loopback Hub."""

import dagster as dg
import duckdb
import pytest

from dagster_project.definitions import build_warehouse, defs
from dagster_project.defs.automation.triggers import build_refresh_schedule
from dagster_project.defs.ingest.resolve import resolve_source
from dagster_project.defs.publish.versions import ServingLayout, publish
from dagster_project.lib.code_version import project_code_version
from dagster_project.settings import WarehouseSettings
from tests.conftest import write_table
from tests.hub_server import FakeHub, FakeHubDataset
from tests.warehouse_runs import fake_dim_persona

REPO = "nvidia/Nemotron-Personas-USA"
COMMIT_A, COMMIT_B = "a" * 40, "b" * 40


def run_key(source_version: str) -> str:
    """One run per version of the source and of the code."""
    return f"{source_version}:{project_code_version()[:12]}"


def evaluate_sensor(cursor: str | None = None):
    sensor = defs.resolve_sensor_def("upstream_change_sensor")
    with dg.instance_for_test() as instance:
        return sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def publish_from(warehouse_dir, fingerprint: str, revision: str | None = None, spec: str = "x") -> None:
    """A served version recorded as built from this source version by this code."""
    build = duckdb.connect(str(warehouse_dir / "build.duckdb"))
    fake_dim_persona(build, 1)
    source = {"fingerprint": fingerprint, "spec": spec, "revision": revision, "code_version": project_code_version()}
    publish(build, ServingLayout(warehouse_dir), source, {})
    build.close()


@pytest.fixture
def local_source(tmp_path, monkeypatch, make_table):
    source = tmp_path / "source"
    write_table(make_table(20), source / "data" / "train-00000-of-00001.parquet")
    monkeypatch.setenv("PERSONAS_SOURCE", str(source))
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    (tmp_path / "wh").mkdir()
    return source


def evaluate_schedule() -> dg.RunRequest:
    schedule = defs.resolve_schedule_def("weekly_refresh")
    with dg.instance_for_test() as instance:
        (request,) = schedule.evaluate_tick(dg.build_schedule_context(instance=instance)).run_requests
    return request


def source_of(request: dg.RunRequest) -> str:
    return request.run_config["resources"]["warehouse"]["config"]["personas_source"]


def test_the_schedule_refreshes_the_whole_warehouse(monkeypatch, tmp_path):
    schedule = defs.resolve_schedule_def("weekly_refresh")
    assert schedule.cron_schedule == "0 4 * * 1" and schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == "build_warehouse"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    monkeypatch.delenv("PERSONAS_SOURCE", raising=False)
    assert source_of(evaluate_schedule()) == "sample"  # nothing published yet
    monkeypatch.setenv("WAREHOUSE_REFRESH_CRON", "30 2 * * *")
    daily = WarehouseSettings.from_env().refresh_cron
    assert build_refresh_schedule(build_warehouse, daily).cron_schedule == "30 2 * * *"


def test_a_local_source_runs_once_per_content(local_source, make_table, tmp_path):
    first = evaluate_sensor()
    fingerprint = resolve_source(str(local_source)).fingerprint
    assert isinstance(first, dg.RunRequest) and first.run_key == run_key(fingerprint)

    publish_from(tmp_path / "wh", fingerprint)
    unchanged = evaluate_sensor(cursor=fingerprint)
    assert isinstance(unchanged, dg.SkipReason) and "unchanged" in unchanged.skip_message

    write_table(make_table(25, seed=9), local_source / "data" / "train-00000-of-00001.parquet")
    changed = evaluate_sensor(cursor=fingerprint)
    assert isinstance(changed, dg.RunRequest) and changed.run_key not in {run_key(fingerprint), None}


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
        assert isinstance(first, dg.RunRequest) and first.run_key == run_key(f"{REPO}@{COMMIT_A}")
        assert not any(r.startswith("GET /datasets/") for r in dataset.requests)  # asked, downloaded nothing

        publish_from(tmp_path / "wh", "f" * 64, revision=COMMIT_A)
        assert isinstance(evaluate_sensor(cursor=first.run_key), dg.SkipReason)

        dataset.commit = COMMIT_B  # a new commit on main
        moved = evaluate_sensor(cursor=first.run_key)
        assert isinstance(moved, dg.RunRequest) and moved.run_key == run_key(f"{REPO}@{COMMIT_B}")
    away = evaluate_sensor(cursor=moved.run_key)  # the server is gone
    assert isinstance(away, dg.SkipReason)
    assert away.skip_message.startswith(f"Could not check hf://{REPO}@main") and "Will try again" in away.skip_message


def test_scheduled_and_sensor_runs_keep_the_source_being_served(local_source, monkeypatch, tmp_path):
    """After a build from other files, a daemon started without PERSONAS_SOURCE never swaps the sample in."""
    fingerprint = resolve_source(str(local_source)).fingerprint
    publish_from(tmp_path / "wh", fingerprint, spec=str(local_source))
    monkeypatch.delenv("PERSONAS_SOURCE")
    unchanged = evaluate_sensor()
    assert isinstance(unchanged, dg.SkipReason) and unchanged.skip_message.startswith(f"{local_source} is unchanged")
    assert source_of(evaluate_schedule()) == str(local_source)

    monkeypatch.setenv("PERSONAS_SOURCE", "sample")  # the user asks for another source explicitly
    switched = evaluate_sensor()
    assert isinstance(switched, dg.RunRequest) and source_of(switched) == "sample"
    assert source_of(evaluate_schedule()) == "sample"


def test_a_new_code_version_is_a_new_run_for_the_same_source(local_source, tmp_path):
    fingerprint = resolve_source(str(local_source)).fingerprint
    publish_from(tmp_path / "wh", fingerprint)
    entry = ServingLayout(tmp_path / "wh").current_entry()
    assert entry["code_version"] == project_code_version()
    entry_file = tmp_path / "wh" / "published" / "current.json"
    entry_file.write_text(entry_file.read_text().replace(project_code_version(), "an older code version"))
    rebuilt = evaluate_sensor(cursor=fingerprint)
    assert isinstance(rebuilt, dg.RunRequest) and rebuilt.run_key == run_key(fingerprint)


def test_publish_alone_refuses_marts_its_run_did_not_build(local_source):
    with dg.instance_for_test() as instance:
        job = defs.resolve_job_def("build_warehouse")
        refused = job.execute_in_process(
            instance=instance, raise_on_error=False, asset_selection=[dg.AssetKey("published_warehouse")]
        )
    (failure,) = [e for e in refused.all_events if e.is_step_failure]
    assert "Not publishing: this run did not build marts/" in str(failure.event_specific_data.error)
    assert not (local_source.parent / "wh" / "personas_serving.duckdb").exists()
