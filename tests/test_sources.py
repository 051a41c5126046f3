"""Local files: every format and both releases load; every broken file gives a clear error."""

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project.defs.ingest.files import SourceFileError, find_data_files
from dagster_project.defs.ingest.load import load_raw_personas
from dagster_project.defs.ingest.resolve import resolve_source
from tests.conftest import REAL_ROWS_DIR, with_real_lists, write_table


def load(tmp_path, spec):
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    source = resolve_source(str(spec))
    load_raw_personas(con, source)
    return source, con


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".json", ".csv"])
def test_each_local_format_loads_every_row_with_lineage(tmp_path, make_table, suffix):
    table = make_table(25)
    write_table(table, tmp_path / "src" / f"part-0{suffix}")
    write_table(make_table(15, shard=1), tmp_path / "src" / f"part-1{suffix}")
    source, con = load(tmp_path, tmp_path / "src")
    assert source.rows == 40 and source.kind == "local" and source.release == "usa"
    rows = con.sql(
        "SELECT _source_file, min(_source_row_index), max(_source_row_index), count(*) "
        "FROM raw.personas GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [(f"part-0{suffix}", 0, 24, 25), (f"part-1{suffix}", 0, 14, 15)]
    first = con.sql("SELECT uuid, zipcode FROM raw.personas WHERE _source_file = $f AND _source_row_index = 0",
                    params={"f": f"part-0{suffix}"}).fetchone()  # fmt: skip
    assert first == (table["uuid"][0].as_py(), table["zipcode"][0].as_py())


def test_csv_keeps_leading_zeros_of_zipcodes(tmp_path, make_table):
    table = make_table(5)
    table = table.set_column(table.schema.get_field_index("zipcode"), "zipcode", pa.array(["01234"] * 5))
    write_table(table, tmp_path / "src" / "p.csv")
    _, con = load(tmp_path, tmp_path / "src")
    assert {r[0] for r in con.sql("SELECT zipcode FROM raw.personas").fetchall()} == {"01234"}


def test_original_release_with_real_lists_loads_and_gains_a_null_cultural_background(tmp_path, make_table):
    write_table(with_real_lists(make_table(10, release="original")), tmp_path / "src" / "data" / "train.jsonl")
    source, con = load(tmp_path, tmp_path / "src")
    assert source.release == "original"
    types = dict(
        con.sql("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'personas'").fetchall()
    )
    assert types["skills_and_expertise_list"] == "VARCHAR[]"
    assert types["cultural_background"] == "VARCHAR"
    assert con.sql("SELECT count(*) FROM raw.personas WHERE cultural_background IS NULL").fetchone()[0] == 10
    assert con.sql("SELECT count(*) FROM raw.personas WHERE uuid LIKE '%-%-%-%-%'").fetchone()[0] == 10


def test_unknown_columns_are_kept(tmp_path, make_table):
    table = make_table(5).append_column("persona_quality_score", pa.array([0.5] * 5))
    write_table(table, tmp_path / "src" / "p.parquet")
    _, con = load(tmp_path, tmp_path / "src")
    assert con.sql("SELECT sum(persona_quality_score) FROM raw.personas").fetchone()[0] == 2.5


def test_real_rows_sample_loads(tmp_path):
    source, con = load(tmp_path, "sample:real")
    assert source.rows == 5 and source.kind == "sample"
    skills = con.sql(
        "SELECT skills_and_expertise_list FROM raw.personas WHERE uuid = 'e7c0574639a244c8972c92aab9501035'"
    ).fetchone()[0]
    assert len(skills) == 10


def test_a_failed_load_keeps_the_previous_one(tmp_path, make_table, monkeypatch):
    write_table(make_table(5), tmp_path / "good" / "p.parquet")
    source, con = load(tmp_path, tmp_path / "good")
    write_table(make_table(7, shard=1), tmp_path / "next" / "p.parquet")
    bad = resolve_source(str(tmp_path / "next"))
    (tmp_path / "next" / "p.parquet").write_bytes(b"gone")  # the file breaks between checking and loading
    with pytest.raises(duckdb.Error):
        load_raw_personas(con, bad)
    assert con.sql("SELECT count(*) FROM raw.personas").fetchone()[0] == 5


# Broken files (one clear error each, through the whole job) are the corpus in tests/broken_inputs.py.


# --- fingerprint ---------------------------------------------------------------------------------


def test_fingerprint_changes_when_and_only_when_the_data_changes(tmp_path, make_table):
    write_table(make_table(10), tmp_path / "a" / "data" / "train-00000-of-00001.parquet")
    first = resolve_source(str(tmp_path / "a")).fingerprint

    shutil.copytree(tmp_path / "a", tmp_path / "b")  # moved elsewhere: same content
    assert resolve_source(str(tmp_path / "b")).fingerprint == first
    (tmp_path / "a" / "data" / "train-00000-of-00001.parquet").touch()  # only the mtime changes
    assert resolve_source(str(tmp_path / "a")).fingerprint == first

    table = pq.read_table(tmp_path / "b" / "data" / "train-00000-of-00001.parquet")
    table = table.set_column(table.schema.get_field_index("age"), "age", pa.array([40] * 10, pa.int64()))
    write_table(table, tmp_path / "b" / "data" / "train-00000-of-00001.parquet")
    assert resolve_source(str(tmp_path / "b")).fingerprint != first

    write_table(make_table(2, shard=5), tmp_path / "a" / "data" / "extra.parquet")  # a file added
    assert resolve_source(str(tmp_path / "a")).fingerprint != first


def test_real_rows_fixture_is_the_published_copy():
    assert sorted(p.name for p in REAL_ROWS_DIR.glob("*.json")) == [
        "usa_row_alicia_gonzalez.json", "usa_row_deeva_cintron.json", "usa_row_julio_simmons.json",
        "usa_row_maria_buendia.json", "usa_row_mary_alberti.json",
    ]  # fmt: skip
    assert "CC BY 4.0" in (REAL_ROWS_DIR / "README.md").read_text(encoding="utf-8")


def find_as_unprivileged_user(folder: Path) -> str:
    """find_data_files in a forked child that has given up root (root reads every folder), as a user's own
    run would walk the source; the SourceFileError's message, or '' when there was none."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: drop to nobody, walk, report, exit without running pytest's teardown
        os.close(read_end)
        message = ""
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            find_data_files(str(folder))
        except SourceFileError as error:
            message = str(error)
        except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails the test
            message = f"unexpected {error!r}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        message = pipe.read()
    os.waitpid(child, 0)
    return message


def test_an_unreadable_folder_inside_a_source_is_an_error_not_skipped(make_table):
    folder = Path(tempfile.mkdtemp(prefix="personas-unreadable-"))
    try:
        write_table(make_table(5), folder / "readable" / "a.parquet")
        write_table(make_table(5, seed=9), folder / "locked" / "b.parquet")
        for path in [folder, folder / "readable", folder / "readable" / "a.parquet"]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (folder / "locked").chmod(0o000)
        message = find_as_unprivileged_user(folder)
        assert message == f"{folder / 'locked'}: cannot be read (Permission denied); fix its permissions or remove it."
    finally:
        (folder / "locked").chmod(0o755)
        shutil.rmtree(folder)
