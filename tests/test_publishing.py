"""Publishing on its own: a complete serving file, 1.4-readable, swapped in atomically, with rollback."""

import hashlib
import os
import shutil
import struct
import subprocess
import sys

import duckdb
import pytest

from dagster_project.defs.publish.served import served_entry
from dagster_project.defs.publish.versions import ServingLayout, publish, rollback
from dagster_project.serving import main as serving_cli
from tests.warehouse_runs import fake_dim_persona

# DuckDB 1.5.x clients read storage versions 64 to 68 (2.0 writes 69): the number after "DUCK".
READABLE_BY_DUCKDB_1_4 = {64, 65, 66, 67}  # what DuckDB 1.4.2 (Evidence's) says it reads
SOURCE = {"fingerprint": "f" * 64, "spec": "sample", "revision": None}


def build_database(path, personas: int):
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA IF NOT EXISTS marts; CREATE SCHEMA IF NOT EXISTS staging")
    fake_dim_persona(con, personas)
    con.execute("COMMENT ON TABLE marts.dim_persona IS 'One row per persona.'")
    con.execute("COMMENT ON COLUMN marts.dim_persona.persona_id IS 'The id.'")
    con.execute("CREATE OR REPLACE TABLE staging.internal AS SELECT 1 AS x")
    return con


def storage_version(path) -> int:
    header = path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    return struct.unpack("<Q", header[12:20])[0]


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_writes_a_complete_serving_file_for_duckdb_1_4_readers(tmp_path):
    layout = ServingLayout(tmp_path)
    entry = publish(build_database(tmp_path / "build.duckdb", 10), layout, SOURCE, {"checks_passed": 3})
    assert storage_version(layout.serving_file) in READABLE_BY_DUCKDB_1_4
    with duckdb.connect(str(layout.serving_file), read_only=True) as con:
        tables = con.sql("SELECT schema_name, table_name, comment FROM duckdb_tables() ORDER BY 1, 2").fetchall()
        assert [t[:2] for t in tables] == [("marts", "dim_persona"), ("meta", "publish_log")]  # nothing internal
        assert tables[0][2] == "One row per persona."
        assert con.sql("SELECT comment FROM duckdb_columns() WHERE column_name = 'persona_id'").fetchone()[0]
        log = con.sql("SELECT version, source_fingerprint, row_counts::VARCHAR FROM meta.publish_log").fetchall()
    assert log == [(entry["version"], "f" * 64, '{"dim_persona": 10}')]
    exported = duckdb.sql(f"SELECT count(*) FROM '{layout.exports_dir / 'current' / 'dim_persona.parquet'}'")
    assert exported.fetchone()[0] == 10


def count_in_new_process(path) -> int:
    """A new reader, as a BI tool is: its own process (DuckDB shares open files within one process)."""
    query = "SELECT count(*) FROM marts.dim_persona"
    code = f"import duckdb; print(duckdb.connect({str(path)!r}, read_only=True).sql({query!r}).fetchone()[0])"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_connected_readers_keep_their_version_and_new_ones_see_the_new(tmp_path):
    layout = ServingLayout(tmp_path)
    build = build_database(tmp_path / "build.duckdb", 10)
    publish(build, layout, SOURCE, {})
    reader = duckdb.connect(str(layout.serving_file), read_only=True)
    fake_dim_persona(build, 20)
    publish(build, layout, SOURCE, {})
    assert reader.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0] == 10
    assert count_in_new_process(layout.serving_file) == 20
    reader.close()
    with duckdb.connect(str(layout.serving_file), read_only=True) as fresh:
        assert fresh.sql("SELECT count(*) FROM meta.publish_log").fetchone()[0] == 2


def test_a_failed_publish_leaves_the_serving_file_untouched(tmp_path):
    layout = ServingLayout(tmp_path)
    build = build_database(tmp_path / "build.duckdb", 10)
    publish(build, layout, SOURCE, {})
    before = sha256(layout.serving_file)
    fake_dim_persona(build, 20)
    shutil.rmtree(layout.exports_dir)  # the exports folder is gone and a file is in its way
    layout.exports_dir.write_text("not a folder")
    with pytest.raises(OSError):
        publish(build, layout, SOURCE, {})
    assert sha256(layout.serving_file) == before
    assert len(layout.versions()) == 1 and not list(layout.versions_dir.glob(".*"))


def test_table_names_are_quoted(tmp_path):
    layout = ServingLayout(tmp_path)
    build = build_database(tmp_path / "build.duckdb", 1)
    build.execute('CREATE TABLE marts."odd ""name""; --" AS SELECT 1 AS "it\'s"')
    entry = publish(build, layout, SOURCE, {})
    assert entry["row_counts"]['odd "name"; --'] == 1


def test_old_versions_are_pruned_and_rollback_restores_one(tmp_path, monkeypatch, capsys):
    layout = ServingLayout(tmp_path)
    build = build_database(tmp_path / "build.duckdb", 1)
    versions = []
    for personas in range(1, 5):
        fake_dim_persona(build, personas)
        versions.append(publish(build, layout, SOURCE, {}, keep=3)["version"])
    assert layout.versions() == versions[1:]
    assert not (layout.exports_dir / versions[0]).exists()

    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    serving_cli(["rollback"])
    assert layout.current_version() == versions[2]
    assert f"now serves version {versions[2]}" in capsys.readouterr().out
    rollback(layout, versions[1])
    with duckdb.connect(str(layout.serving_file), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0] == 2
    assert (layout.exports_dir / "current").resolve().name == versions[1]
    with pytest.raises(ValueError, match="is not kept"):
        rollback(layout, versions[0])


def test_rollback_with_nothing_to_roll_back_to_prints_the_reason_not_a_traceback(tmp_path):
    build = build_database(tmp_path / "build.duckdb", 1)
    version = publish(build, ServingLayout(tmp_path), SOURCE, {})["version"]
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp_path)}
    for args, reason in [([], f"No version older than {version}"), (["20000101T000000Z"], "is not kept")]:
        done = subprocess.run([sys.executable, "-m", "dagster_project.serving", "rollback", *args],
                              env=env, capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith("rollback: ") and reason in done.stderr


def test_a_warehouse_published_before_current_json_existed_still_knows_what_it_serves(tmp_path):
    layout = ServingLayout(tmp_path)
    entry = publish(build_database(tmp_path / "build.duckdb", 1), layout, SOURCE, {})
    (layout.versions_dir / "current.json").unlink()  # as an earlier release left it
    served = served_entry(tmp_path)
    assert (served["version"], served["source_spec"]) == (entry["version"], SOURCE["spec"])
    assert (layout.versions_dir / "current.json").exists()
