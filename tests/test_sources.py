"""Local files: every format and both releases load; every broken file gives a clear error."""

import json
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


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".csv"])
def test_a_file_named_like_a_glob_is_read_as_itself(tmp_path, make_table, suffix):
    """DuckDB's readers would expand `shard[1]` into `shard1`: the lineage must name the bytes read."""
    named = make_table(30, seed=11)
    write_table(named, tmp_path / "src" / f"shard[1]{suffix}")
    write_table(make_table(20, seed=12), tmp_path / "src" / f"shard1{suffix}")
    source, con = load(tmp_path, tmp_path / "src")
    counts = dict(con.sql("SELECT _source_file, count(*) FROM raw.personas GROUP BY 1").fetchall())
    assert counts == {f"shard[1]{suffix}": 30, f"shard1{suffix}": 20}
    uuids = {u for (u,) in con.sql("SELECT uuid FROM raw.personas WHERE _source_file = $f",
                                   params={"f": f"shard[1]{suffix}"}).fetchall()}  # fmt: skip
    assert uuids == set(named["uuid"].to_pylist())
    assert {f.name: f.rows for f in source.files} == {f"shard[1]{suffix}": 30, f"shard1{suffix}": 20}


def test_each_file_loads_once_through_symlinks_and_loops(tmp_path, make_table):
    folder = tmp_path / "src"
    write_table(make_table(12), folder / "data" / "x.parquet")
    (folder / "data" / "latest.parquet").symlink_to("x.parquet")  # a second name for the same file
    (folder / "data" / "loop").symlink_to(".", target_is_directory=True)  # a folder that contains itself
    for spec in [folder, f"{folder}/**/*.parquet"]:
        source, con = load(tmp_path, spec)
        assert [f.name for f in source.files] == ["data/x.parquet"] and source.rows == 12
        assert con.sql("SELECT count(*) FROM raw.personas").fetchone()[0] == 12
        con.close()
        (tmp_path / "wh.duckdb").unlink()


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


def test_jsonl_with_a_column_null_until_after_the_type_detection_sample_loads(tmp_path, make_table):
    """DuckDB infers JSON for a column null in its first 20,480 rows: the dataset's columns have known types."""
    one = {
        name: value if not isinstance(value, str) or len(value) < 40 else "short"
        for name, value in make_table(1).to_pylist()[0].items()
    }  # short rows: DuckDB's sample is the first 20,480 of them
    rows = [
        {**one, "uuid": f"{i:032x}", "bachelors_field": None, "education_level": "high_school"} for i in range(20500)
    ]
    rows[-1].update(bachelors_field="stem", education_level="bachelors")
    path = tmp_path / "src" / "late.jsonl"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    source, con = load(tmp_path, path)
    assert dict(source.files[0].columns)["bachelors_field"] == "VARCHAR" and source.rows == 20500
    assert con.sql("SELECT count(bachelors_field), any_value(bachelors_field) FROM raw.personas").fetchone() == (
        1,
        "stem",
    )


def test_shards_with_the_same_columns_in_another_order_load_by_name(tmp_path, make_table):
    table = make_table(10)
    write_table(table, tmp_path / "src" / "a.parquet")
    write_table(table.select(list(reversed(table.column_names))), tmp_path / "src" / "b.parquet")
    source, con = load(tmp_path, tmp_path / "src")
    assert source.rows == 20
    assert con.sql("SELECT count(DISTINCT uuid), count(*) FILTER (age IS NULL) FROM raw.personas").fetchone() == (10, 0)


def test_shards_in_two_list_encodings_are_refused_saying_so(tmp_path, make_table):
    table = make_table(10)
    write_table(table, tmp_path / "src" / "a.parquet")
    write_table(with_real_lists(table), tmp_path / "src" / "b.parquet")
    with pytest.raises(SourceFileError) as refused:
        resolve_source(str(tmp_path / "src"))
    message = str(refused.value)
    assert "skills_and_expertise_list is VARCHAR in a.parquet and VARCHAR[] in b.parquet" in message
    assert "a list literal in one, a real list in the other" in message and "release" not in message


def test_metadata_beside_the_data_is_skipped(tmp_path, make_table):
    repo = tmp_path / "repo"  # a downloaded dataset repository
    write_table(make_table(8), repo / "data" / "train-00000-of-00001.parquet")
    (repo / "dataset_infos.json").write_text('{"default": {"features": {}}}')
    (repo / "README.md").write_text("# Nemotron-Personas")
    flat = tmp_path / "flat"  # a generator's output folder
    write_table(make_table(8), flat / "personas.jsonl")
    (flat / "generation_info.json").write_text('{"seed": 7}')
    for folder in [repo, flat]:
        expected = ["personas.jsonl"] if folder == flat else ["data/train-00000-of-00001.parquet"]
        assert [f.name for f in resolve_source(str(folder)).files] == expected
