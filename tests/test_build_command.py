"""The README's main command as a user sees it: one line per step, then what happened, in plain words."""

import duckdb
import pytest

from tests.conftest import write_table
from tests.warehouse_runs import cli_build


def run(warehouse_dir, source) -> tuple[int, list[str]]:
    build = cli_build(warehouse_dir, source, verbose=False)
    output, _ = build.communicate(timeout=900)
    return build.returncode, output.splitlines()


def summary(lines: list[str]) -> list[str]:
    """The lines after the last step line."""
    steps = [i for i, line in enumerate(lines) if line.startswith("  ok ") or line.startswith("  FAILED ")]
    return lines[steps[-1] + 1 :] if steps else lines[1:]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    warehouse_dir = tmp_path_factory.mktemp("warehouse")
    return warehouse_dir, run(warehouse_dir, "sample:real")


def test_a_build_says_what_it_published_and_where(built):
    warehouse_dir, (code, lines) = built
    assert code == 0
    assert lines[0] == f"Building the warehouse in {warehouse_dir} ..."
    assert lines[2].startswith("  ok ") and lines[2].endswith("raw_personas  (5 rows)")
    assert not [line for line in lines if "DEBUG" in line or "Traceback" in line]  # the full log is in the file
    said = summary(lines)
    assert said[0].startswith("Published version ") and said[0].endswith(
        ": 5 personas (0 of 5 rows quarantined) from sample:real."
    )
    assert f"  serving file  {warehouse_dir / 'personas_serving.duckdb'}" in said[2]
    log = next(line for line in said if line.startswith("Full log: ")).removeprefix("Full log: ")
    assert 'Started execution of step "published_warehouse"' in open(log).read()
    assert said[-1].startswith("Next: .venv/bin/python -m dagster_project.ui")


def test_a_refresh_with_nothing_new_says_so_in_one_line(built):
    warehouse_dir, _ = built
    code, lines = run(warehouse_dir, "sample:real")
    assert code == 0
    assert summary(lines)[0].startswith("Nothing to build: sample:real and the code are unchanged since published")


def test_a_broken_file_is_named_once_with_what_to_do(built, tmp_path):
    warehouse_dir, _ = built
    (tmp_path / "bad.jsonl").write_text('{"uuid": "x"}\n')
    code, lines = run(warehouse_dir, tmp_path / "bad.jsonl")
    assert code == 1
    said = summary(lines)
    assert said[0] == f"Not published. SourceFileError: {tmp_path / 'bad.jsonl'}: required columns missing: " + (
        "persona, professional_persona, sports_persona, arts_persona, travel_persona, culinary_persona, "
        "skills_and_expertise, skills_and_expertise_list, hobbies_and_interests, hobbies_and_interests_list, "
        "career_goals_and_ambitions, sex, age, marital_status, education_level, bachelors_field, occupation, city, "
        "state, zipcode, country."
    )
    assert said[1:3] == [
        "Fix or remove the file; nothing was written.",
        "The serving file and the exports are unchanged.",
    ]
    assert sum("required columns missing" in line for line in lines) == 1


def test_a_quarantine_stop_gives_the_counts_and_reasons(built, tmp_path, make_table):
    warehouse_dir, _ = built
    table = make_table(20)
    uuids = table["uuid"].to_pylist()
    table = table.set_column(table.column_names.index("uuid"), "uuid", [[None] * 3 + uuids[3:]])
    write_table(table, tmp_path / "src" / "part.parquet")
    code, lines = run(warehouse_dir, tmp_path / "src")
    assert code == 1
    said = summary(lines)
    assert said[0] == (
        "Not published. quarantine_policy: Not publishing: 3 of 20 rows quarantined (15.000%); reasons: "
        "missing_uuid 3; the quarantined share is above QUARANTINE_MAX_SHARE=0.100% and rows have blocking "
        "reasons missing_uuid (3) (QUARANTINE_BLOCKING_REASONS)."
    )
    assert said[1].startswith("SELECT * FROM staging.stg_nemotron__personas_quarantined")


def test_the_consistency_rules_on_the_five_real_rows(built):
    """Every rule, run on real data: the thresholded ones pass, and the reported ones flag what they should -
    one real persona (a research scientist with a bachelor's degree, whose occupation BLS says needs a
    graduate one) and nobody else: all five narratives name their city, and both personas out of the
    workforce give a work status (one in the career goals: "re-enter the professional world")."""
    warehouse_dir, _ = built
    with duckdb.connect(str(warehouse_dir / "personas_serving.duckdb"), read_only=True) as con:
        rules = {row[0]: row[1:] for row in con.sql(
            "SELECT rule_name, universe_count, flagged_count, within_threshold FROM marts.mart_persona_consistency"
        ).fetchall()}  # fmt: skip
    assert all(within is not False for _, _, within in rules.values())
    flagged = {rule: (universe, count) for rule, (universe, count, _) in rules.items() if count}
    assert flagged == {"graduate_entry_occupation_without_graduate_degree": (1, 1)}
    assert rules["narratives_without_home_place"][:2] == (5, 0)
    assert rules["not_in_workforce_narrative_without_work_status"][:2] == (2, 0)
