"""The BI clients warehouse/README.md names, installed from the package registries and driven for real.

Each opens the serving file of the sample build read-only in its own process, with its own embedded
DuckDB, lists the marts with their descriptions, reads the two tables with timestamps, and runs the
README's example queries:
- DuckDB 1.4.2's plain Python client (`pip install duckdb==1.4.2`, no pytz, no pandas): the oldest
  DuckDB the guide promises, the one Evidence embeds;
- Harlequin (its DuckDB adapter, which embeds DuckDB 2.0);
- Evidence's DuckDB datasource `@evidence-dev/duckdb` from npm, with the `@duckdb/node-api` it pins.
The installs take about half a minute on a warm cache; they need the registries, nothing else.
"""

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_ROWS
from tests.test_warehouse_end_to_end import readme_queries

CLIENTS = Path(__file__).parent / "clients"
OLDEST_DUCKDB = "1.4.2"  # Evidence's @duckdb/node-api; warehouse/README.md promises this and newer
EVIDENCE_DUCKDB = "2.0.1"  # the current @evidence-dev/duckdb
EVIDENCE_NODE_API = "1.4.2-r.1"  # what it resolves ^1.4.2-r.1 to: npm ranges skip other versions' prereleases


def python_client(folder: Path, *requirements: str) -> Path:
    """A virtual environment of its own with only these requirements; its interpreter."""
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", *requirements], check=True)
    return python


@pytest.fixture(scope="module")
def serving(sample_warehouse, tmp_path_factory):
    """The sample build's serving file, its marts as our DuckDB lists them, and the README's queries."""
    _, con, warehouse_dir = sample_warehouse
    marts = con.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1").fetchall()
    queries = tmp_path_factory.mktemp("queries") / "queries.json"
    queries.write_text(json.dumps(readme_queries()))
    return warehouse_dir / "personas_serving.duckdb", [m[0] for m in marts], queries


def read_with(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_sees_the_warehouse(report: dict, marts: list[str]) -> None:
    assert [t[0] for t in report["tables"]] == marts
    assert all(comment for _, comment in report["tables"]), "every mart has its description"
    assert report["described_columns"] > 150  # column descriptions are in the catalog
    assert all(answers > 0 for answers in report["answers"]), report["answers"]


def test_the_oldest_promised_duckdb_reads_everything_without_pytz(serving, tmp_path):
    serving_file, marts, queries = serving
    python = python_client(tmp_path / "duckdb", f"duckdb=={OLDEST_DUCKDB}")
    assert subprocess.run([python, "-c", "import pytz"], capture_output=True).returncode == 1  # a plain install
    report = read_with([python, CLIENTS / "read_serving.py", serving_file, queries, "--via", "duckdb"])
    assert report["duckdb_version"] == OLDEST_DUCKDB
    assert_sees_the_warehouse(report, marts)
    assert len(report["publish_log"]) == 1 and report["loads"][0][1] == SAMPLE_ROWS


def test_harlequin_browses_and_queries_the_serving_file(serving, tmp_path):
    serving_file, marts, queries = serving
    python = python_client(tmp_path / "harlequin", "harlequin")
    report = read_with([python, CLIENTS / "read_serving.py", serving_file, queries, "--via", "harlequin"])
    assert report["duckdb_version"].startswith("2.")
    # what its catalog sidebar lists: the tables, and the analysts' view every serving file holds
    assert report["sidebar_marts"] == sorted([*marts, "persona_cards"])
    assert_sees_the_warehouse(report, marts)


def test_evidence_reads_the_serving_file_with_a_filename_relative_to_its_source_folder(serving, tmp_path):
    """Evidence's own DuckDB datasource, as an Evidence project runs it from sources/personas/."""
    serving_file, marts, queries = serving
    (tmp_path / "package.json").write_text('{"name": "client", "version": "1.0.0", "private": true}')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", f"@evidence-dev/duckdb@{EVIDENCE_DUCKDB}"],
        cwd=tmp_path, check=True,
    )  # fmt: skip
    script = tmp_path / "evidence_source.mjs"  # beside its node_modules, so that its imports resolve
    script.write_text((CLIENTS / "evidence_source.mjs").read_text())
    source_folder = tmp_path / "project" / "sources" / "personas"
    source_folder.mkdir(parents=True)
    relative = os.path.relpath(serving_file, source_folder)  # what connection.yaml's filename must say
    report = read_with(["node", str(script), str(source_folder), relative, str(queries)])
    assert report["connection_test"] is True
    assert report["node_api_version"] == EVIDENCE_NODE_API and report["duckdb_version"] == f"v{OLDEST_DUCKDB}"
    assert report["publish_log"] == 1
    assert_sees_the_warehouse(report, marts)

    absolute = subprocess.run(["node", str(script), str(source_folder), str(serving_file), str(queries)],
                              capture_output=True, text=True)  # fmt: skip
    assert absolute.returncode != 0 and "database does not exist" in absolute.stderr  # joined to the folder
