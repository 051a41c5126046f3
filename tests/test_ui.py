"""The documented UI command for real: webserver and daemon up on loopback, asked over GraphQL, stopped."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dagster_project.settings import PROJECT_ROOT
from tests.conftest import write_table
from tests.warehouse_runs import cli_build

QUERY = """
{
  assetNodes { assetKey { path } }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        schedules { name cronSchedule scheduleState { status } }
        sensors { name sensorState { status } }
      }
    }
  }
  instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } }
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


RUNS_AND_TICKS = """
{
  runsOrError { ... on Runs { results { status tags { key value } } } }
  repositoriesOrError {
    ... on RepositoryConnection { nodes { sensors { name sensorState { ticks(limit: 20) { status skipReason } } } } }
  }
}
"""


def start_ui(tmp_path, source: str | None, **env_overrides):
    """The documented command, on a free loopback port; yields (port, DAGSTER_HOME) once it answers.
    `source` None: started without PERSONAS_SOURCE."""
    port = free_port()
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp_path / "wh"), "PERSONAS_SOURCE": source or "", **env_overrides}
    env.pop("DAGSTER_HOME", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.ui", "--port", str(port)], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5)
                break
            except OSError:
                assert process.poll() is None, "the UI command exited"
                assert time.monotonic() < deadline, "the webserver did not answer within 3 minutes"
                time.sleep(1)
        yield port, tmp_path / "wh" / "dagster_home"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def ui(tmp_path):
    yield from start_ui(tmp_path, "sample")


def test_the_ui_serves_the_asset_graph_and_runs_the_schedule_and_sensor(ui):
    port, dagster_home = ui
    data = graphql(port, QUERY)
    keys = {"/".join(node["assetKey"]["path"]) for node in data["assetNodes"]}
    assert {"raw_personas", "marts/dim_persona", "census_audit_report", "published_warehouse"} <= keys
    (repository,) = data["repositoriesOrError"]["nodes"]
    schedules = {s["name"]: (s["cronSchedule"], s["scheduleState"]["status"]) for s in repository["schedules"]}
    sensors = {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]}
    assert schedules == {"weekly_refresh": ("0 4 * * 1", "RUNNING")}
    assert sensors == {"upstream_change_sensor": "RUNNING"}  # one automation model: the job
    assert (dagster_home / "dagster.yaml").read_text().count("granularity: run") == 1  # the instance is persistent


def runs_and_ticks(port: int) -> tuple[list[dict], list[dict]]:
    data = graphql(port, RUNS_AND_TICKS)
    sensors = {s["name"]: s for s in data["repositoriesOrError"]["nodes"][0]["sensors"]}
    return data["runsOrError"]["results"], sensors["upstream_change_sensor"]["sensorState"]["ticks"]


def wait_for(port: int, runs: int, timeout: float = 300) -> list[dict]:
    """Until `runs` runs exist and none is in progress; the runs, newest first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found, _ = runs_and_ticks(port)
        if len(found) >= runs and all(r["status"] in {"SUCCESS", "FAILURE", "CANCELED"} for r in found):
            return found
        time.sleep(2)
    raise AssertionError(f"expected {runs} finished runs, found {found}")


def test_the_daemon_runs_once_per_source_change(tmp_path, make_table):
    source = tmp_path / "source" / "data" / "train-00000-of-00001.parquet"
    write_table(make_table(40, seed=5), source)
    for port, _ in start_ui(tmp_path, str(source.parent.parent), UPSTREAM_CHECK_INTERVAL_SECONDS="5"):
        (first,) = wait_for(port, 1)  # nothing published yet: the sensor asks for a run
        assert first["status"] == "SUCCESS"
        time.sleep(10)  # two ticks or more over an unchanged, published source
        runs, ticks = runs_and_ticks(port)
        assert len(runs) == 1
        assert ticks[0]["status"] == "SKIPPED" and "is unchanged" in ticks[0]["skipReason"]

        write_table(make_table(50, seed=6), source)
        wait_for(port, 2)
        time.sleep(10)
        runs, _ = runs_and_ticks(port)
        assert len(runs) == 2 and runs[0]["status"] == "SUCCESS"
        keys = [{t["key"]: t["value"] for t in run["tags"]}["dagster/run_key"] for run in runs]
        assert len(set(keys)) == 2  # one run per version of the source


def test_the_ui_started_after_a_cli_build_shows_it_and_keeps_its_source(tmp_path, make_table):
    """The README's build command and the UI share one instance; a UI started without PERSONAS_SOURCE
    keeps serving the files the user built, instead of republishing the sample over them."""
    source = tmp_path / "source" / "data" / "train-00000-of-00001.parquet"
    write_table(make_table(40, seed=7), source)
    built = cli_build(tmp_path / "wh", source.parent.parent)
    assert built.communicate(timeout=600) and built.returncode == 0
    for port, _ in start_ui(tmp_path, None, UPSTREAM_CHECK_INTERVAL_SECONDS="5"):
        time.sleep(15)  # two sensor ticks or more
        runs, ticks = runs_and_ticks(port)
        assert [r["status"] for r in runs] == ["SUCCESS"]  # the CLI build, and nothing after it
        assert ticks and all(t["status"] == "SKIPPED" for t in ticks)
        assert ticks[0]["skipReason"].startswith(f"{source.parent.parent} is unchanged")
        materialized = graphql(port, '{ assetOrError(assetKey: {path: ["published_warehouse"]}) '
                                     "{ ... on Asset { assetMaterializations(limit: 1) { runId } } } }")  # fmt: skip
        assert materialized["assetOrError"]["assetMaterializations"]  # its metadata is in the UI
