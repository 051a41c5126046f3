"""Row-level defects land in quarantine with their reason codes; every raw row is accounted for.

The corpus is one CSV file (CSV, so that a non-numeric age can be written) built from generated
rows, each defect row paired with the reason codes it must get. Hostile text is just data.
"""

import json

import dagster as dg
import duckdb
import pyarrow as pa
import pytest

from dagster_project.defs.quality import quarantine_policy
from dagster_project.defs.resources import WarehouseResource
from tests.conftest import write_table
from tests.warehouse_runs import build

HOSTILE = '\'; DROP TABLE personas; -- "quoted" back\\\\slash \\t tab \x01 control \U0001f600 emoji ' + "x" * 200_000

# row -> (column changes, the reason codes the row must get); rows not listed are good
CORPUS = {
    0: ({"uuid": ""}, ["missing_uuid"]),
    1: ({"uuid": "not-a-uuid"}, ["invalid_uuid"]),
    45: ({"uuid": "COPY_OF_ROW_30"}, ["duplicate_uuid"]),  # the later copy is the duplicate
    3: ({"age": "7"}, ["age_out_of_range"]),
    4: ({"age": "150"}, ["age_out_of_range"]),
    5: ({"age": "thirty"}, ["age_not_a_whole_number"]),
    6: ({"sex": "M"}, ["unknown_sex"]),
    7: ({"marital_status": "married"}, ["unknown_marital_status"]),
    8: ({"education_level": "masters"}, ["unknown_education_level"]),
    9: ({"education_level": "bachelors", "bachelors_field": "law"}, ["unknown_bachelors_field"]),
    10: ({"education_level": "high_school", "bachelors_field": "stem"}, ["bachelors_field_without_degree"]),
    11: ({"state": "ZZ"}, ["invalid_state"]),
    12: ({"zipcode": "1234"}, ["invalid_zipcode"]),
    13: ({"country": "Canada"}, ["country_not_usa"]),
    14: ({"skills_and_expertise_list": "['unclosed"}, ["unparseable_list"]),
    15: ({"hobbies_and_interests_list": "not a list"}, ["unparseable_list"]),
    16: ({"age": "12", "sex": "X", "state": "QQ"}, ["age_out_of_range", "unknown_sex", "invalid_state"]),
    17: ({"sex": None}, ["unknown_sex"]),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, make_table):
    frame = make_table(60, seed=77).to_pandas().astype({"age": str})
    for row, (changes, _) in CORPUS.items():
        for column, value in changes.items():
            frame.loc[row, column] = frame.loc[30, "uuid"] if value == "COPY_OF_ROW_30" else value
    frame.loc[40, "persona"] = HOSTILE
    root = tmp_path_factory.mktemp("corpus")
    write_table(pa.Table.from_pandas(frame, preserve_index=False), root / "source" / "data" / "train.csv")
    (root / "manifest.json").write_text(json.dumps({row: reasons for row, (_, reasons) in CORPUS.items()}))
    return root, frame


@pytest.fixture(scope="module")
def built(corpus):
    root, _ = corpus
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("QUARANTINE_MAX_SHARE", "1")  # let the corpus publish: this test is about the rows
        monkeypatch.setenv("QUARANTINE_BLOCKING_REASONS", "")
        result = build(monkeypatch, root / "wh", root / "source")
    con = duckdb.connect(str(root / "wh" / "personas.duckdb"), read_only=True)
    yield result, con, root
    con.close()


def test_every_defect_lands_in_quarantine_with_its_reasons(built):
    result, con, root = built
    assert result.success
    expected = {int(row): sorted(reasons) for row, reasons in json.loads((root / "manifest.json").read_text()).items()}
    quarantined = con.sql(
        "SELECT _source_row_index, list_sort(quarantine_reasons) FROM staging.stg_nemotron__personas_quarantined"
    ).fetchall()
    assert dict(quarantined) == expected


def test_every_raw_row_is_accounted_for(built):
    _, con, _ = built
    raw, staged, quarantined = (con.sql(f"SELECT count(*) FROM {t}").fetchone()[0] for t in [
        "raw.personas", "staging.stg_nemotron__personas", "staging.stg_nemotron__personas_quarantined"])  # fmt: skip
    assert (raw, staged, quarantined) == (60, 60 - len(CORPUS), len(CORPUS))
    (accounting,) = con.sql("SELECT raw_rows, staged_rows, quarantined_rows FROM marts.mart_load_accounting").fetchall()
    assert accounting == (60, 60 - len(CORPUS), len(CORPUS))
    reasons = dict(con.sql("SELECT reason_code, quarantined_rows FROM marts.mart_quarantine_reasons").fetchall())
    assert reasons["unparseable_list"] == 2 and reasons["unknown_sex"] == 3 and reasons["age_out_of_range"] == 3
    assert con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0] == 60 - len(CORPUS)


def test_quarantined_rows_keep_their_raw_values(built, corpus):
    _, con, _ = built
    _, frame = corpus
    age, uuid = con.sql(
        "SELECT age, uuid FROM staging.stg_nemotron__personas_quarantined WHERE _source_row_index = 5"
    ).fetchone()
    assert (age, uuid) == ("thirty", frame.loc[5, "uuid"])


def test_hostile_text_is_stored_exactly(built, corpus):
    _, con, root = built
    _, frame = corpus
    persona_id = frame.loc[40, "uuid"].replace("-", "").lower()
    stored = con.sql("SELECT persona FROM marts.dim_persona WHERE persona_id = $p", params={"p": persona_id})
    assert stored.fetchone()[0] == HOSTILE
    with duckdb.connect(str(root / "wh" / "personas_serving.duckdb"), read_only=True) as serving:
        assert serving.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0] == 60 - len(CORPUS)


def test_the_policy_blocks_on_share_and_on_blocking_reasons(built, monkeypatch):
    _, con, root = built
    con.close()  # the check opens the build database itself
    monkeypatch.setenv("WAREHOUSE_DIR", str(root / "wh"))
    monkeypatch.delenv("WAREHOUSE_DUCKDB_PATH", raising=False)
    default = quarantine_policy(warehouse=WarehouseResource())
    assert not default.passed
    assert default.description.startswith(f"Not publishing: {len(CORPUS)} of 60 rows quarantined (30.000%)")
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
    assert relaxed.passed and relaxed.metadata["quarantined_rows"] == dg.IntMetadataValue(len(CORPUS))
