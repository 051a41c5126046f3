"""The broken-input corpus (tests/broken_inputs.py) through the whole warehouse job.

Row-level defects land in quarantine with their reason codes and every raw row is accounted for;
file-level defects stop the run with one error naming the file and the reason, and the published
data stays byte for byte what it was. Hostile text is just data.
"""

import re
from collections import Counter

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.ingest.load import load_raw_personas
from dagster_project.defs.ingest.resolve import resolve_source
from dagster_project.defs.quality.checks import quarantine_policy
from dagster_project.defs.resources import WarehouseResource
from tests.broken_inputs import (
    FILE_DEFECTS,
    FILE_QUIRKS,
    HOSTILE,
    HOSTILE_CITY,
    ROW_DEFECTS,
    expected_quarantine,
    write_corpus,
)
from tests.warehouse_runs import build, failure_messages, serving_state


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, make_table):
    root = tmp_path_factory.mktemp("corpus")
    personas = make_table(3 * len(ROW_DEFECTS), seed=77)
    return root, write_corpus(root, personas, make_table(5, release="original", seed=78))


@pytest.fixture(scope="module")
def warehouse(corpus):
    """The row-defect source built and published, with the policy relaxed so that the good rows publish."""
    root, _ = corpus
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("QUARANTINE_MAX_SHARE", "1")
        monkeypatch.setenv("QUARANTINE_BLOCKING_REASONS", "")
        assert build(monkeypatch, root / "wh", root / "row_defects").success
    return root / "wh"


def query(warehouse_dir, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse_dir / "personas.duckdb"), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def test_the_corpus_holds_at_least_25_broken_inputs(corpus):
    _, manifest = corpus
    broken_rows = [e for e in manifest["row_defects"] if e["quarantined_rows"]]
    assert len(broken_rows) + len(manifest["file_defects"]) >= 25


def test_every_row_defect_lands_in_quarantine_with_its_reasons(warehouse, corpus):
    _, manifest = corpus
    quarantined = query(
        warehouse,
        "SELECT _source_file, _source_row_index, list_sort(quarantine_reasons)"
        " FROM staging.stg_nemotron__personas_quarantined",
    )
    assert {(file, row): reasons for file, row, reasons in quarantined} == expected_quarantine(manifest)


def test_every_raw_row_is_accounted_for(warehouse, corpus):
    _, manifest = corpus
    expected = expected_quarantine(manifest)
    raw_rows = 3 * len(ROW_DEFECTS)
    counts = [query(warehouse, f"SELECT count(*) FROM {table}")[0][0] for table in [
        "raw.personas", "staging.stg_nemotron__personas", "staging.stg_nemotron__personas_quarantined",
        "marts.dim_persona"]]  # fmt: skip
    assert counts == [raw_rows, raw_rows - len(expected), len(expected), raw_rows - len(expected)]
    accounting = query(warehouse, "SELECT raw_rows, staged_rows, quarantined_rows FROM marts.mart_load_accounting")
    assert accounting == [(raw_rows, raw_rows - len(expected), len(expected))]
    by_reason = dict(query(warehouse, "SELECT reason_code, quarantined_rows FROM marts.mart_quarantine_reasons"))
    assert by_reason == Counter(reason for reasons in expected.values() for reason in reasons)


def test_quarantined_rows_keep_their_raw_values(warehouse):
    ages = query(
        warehouse,
        "SELECT _source_file, age FROM staging.stg_nemotron__personas_quarantined"
        " WHERE _source_file LIKE '%age_in_words.csv' OR _source_file LIKE '%age_fraction.csv' ORDER BY 1",
    )
    assert [age for _, age in ages] == ["thirty", "34.5"]


def test_hostile_text_is_stored_exactly(warehouse):
    sql = "SELECT persona, city FROM marts.dim_persona WHERE source_file LIKE '%hostile_text.csv' AND persona = $p"
    assert query(warehouse, sql, {"p": HOSTILE}) == [(HOSTILE, HOSTILE_CITY)]
    with duckdb.connect(str(warehouse / "personas_serving.duckdb"), read_only=True) as serving:
        assert serving.execute(sql, {"p": HOSTILE}).fetchall() == [(HOSTILE, HOSTILE_CITY)]


def test_the_policy_blocks_on_share_and_on_blocking_reasons(warehouse, corpus, monkeypatch):
    quarantined, raw_rows = len(expected_quarantine(corpus[1])), 3 * len(ROW_DEFECTS)
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    monkeypatch.delenv("WAREHOUSE_DUCKDB_PATH", raising=False)
    default = quarantine_policy(warehouse=WarehouseResource())
    assert not default.passed
    share = f"{quarantined / raw_rows:.3%}"
    assert default.description.startswith(f"Not publishing: {quarantined} of {raw_rows} rows quarantined ({share})")
    assert "QUARANTINE_MAX_SHARE=0.100%" in default.description and "duplicate_uuid (1)" in default.description
    monkeypatch.setenv("QUARANTINE_MAX_SHARE", "0.5")
    assert (
        "blocking reasons duplicate_uuid (1), missing_uuid (1)"
        in quarantine_policy(warehouse=WarehouseResource()).description
    )
    monkeypatch.setenv("QUARANTINE_BLOCKING_REASONS", "country_not_usa")
    assert not quarantine_policy(warehouse=WarehouseResource()).passed
    monkeypatch.setenv("QUARANTINE_BLOCKING_REASONS", "")
    relaxed = quarantine_policy(warehouse=WarehouseResource())
    assert relaxed.passed and relaxed.metadata["quarantined_rows"] == dg.IntMetadataValue(quarantined)


@pytest.mark.parametrize("defect", FILE_DEFECTS, ids=lambda d: d.name)
def test_a_broken_file_stops_the_run_with_one_clear_error_and_publishes_nothing(warehouse, corpus, defect, monkeypatch):
    root, manifest = corpus
    (entry,) = [e for e in manifest["file_defects"] if e["source"] == defect.name]
    source = root / "file_defects" / defect.name
    published = serving_state(warehouse)
    last_load = query(warehouse, "SELECT count(*), max(_loaded_at) FROM raw.personas")

    result = build(monkeypatch, warehouse, source)

    assert not result.success
    ((step, error),) = failure_messages(result)
    assert step == "raw_personas"
    named = re.escape(str((source / entry["file"]).resolve() if entry["file"] else source))
    assert re.search(f"SourceFileError: {named}: {entry['error']}", error), error
    assert serving_state(warehouse) == published
    assert query(warehouse, "SELECT count(*), max(_loaded_at) FROM raw.personas") == last_load


@pytest.mark.parametrize("quirk", FILE_QUIRKS, ids=lambda q: q.name)
def test_an_odd_but_good_source_loads_each_file_once_as_itself(corpus, quirk, tmp_path):
    root, manifest = corpus
    (entry,) = [e for e in manifest["file_quirks"] if e["source"] == quirk.name]
    folder = root / "file_quirks" / quirk.name
    source = resolve_source(f"{folder}/{entry['pattern']}" if entry["pattern"] else str(folder))
    with duckdb.connect(str(tmp_path / "load.duckdb")) as con:
        load_raw_personas(con, source)
        loaded = dict(con.sql("SELECT _source_file, count(*) FROM raw.personas GROUP BY 1").fetchall())
        # the bytes each lineage name stands for: the uuids it carries are the file's own
        distinct = con.sql("SELECT count(DISTINCT uuid) FROM raw.personas").fetchone()[0]
    assert loaded == entry["loads"]
    assert distinct == sum(entry["loads"].values())
