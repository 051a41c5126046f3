"""A corpus of deliberately broken inputs: small generated files and a manifest of what is wrong with each.

Row-level defects are one CSV file each (CSV, so that a non-numeric age can be written), all in one
source: each file holds three generated personas, the middle one broken, and the manifest lists the
reason codes that row must get in quarantine. File-level defects are one source folder each, and the
manifest gives the error the load must stop with (it always names the file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from tests.conftest import with_real_lists, write_table

# What the DROP TABLE, quotes, backslashes, a tab, a control character, an emoji and 200 KB must survive.
HOSTILE = '\'; DROP TABLE personas; -- "quoted" back\\\\slash \\t tab \x01 control \U0001f600 emoji ' + "x" * 200_000
HOSTILE_CITY = "O'Fallon\"; DELETE FROM marts.dim_persona; --"


@dataclass(frozen=True)
class RowDefect:
    name: str
    defect: str
    changes: dict  # column -> raw value written into the middle row
    reasons: list[str]  # the reason codes it must get; none for hostile text, which is just data


ROW_DEFECTS = [
    RowDefect("hostile_text", "SQL, quotes, control characters, emoji, 200 KB in the text", {}, []),
    RowDefect("missing_uuid", "empty uuid", {"uuid": ""}, ["missing_uuid"]),
    RowDefect("invalid_uuid", "uuid that is no uuid", {"uuid": "not-a-uuid"}, ["invalid_uuid"]),
    RowDefect("duplicate_uuid", "the uuid of another file's first row", {"uuid": "COPY"}, ["duplicate_uuid"]),
    RowDefect("age_too_young", "a child", {"age": "7"}, ["age_out_of_range"]),
    RowDefect("age_negative", "negative age", {"age": "-3"}, ["age_out_of_range"]),
    RowDefect("age_too_old", "older than anyone alive", {"age": "150"}, ["age_out_of_range"]),
    RowDefect("age_in_words", "age written as a word", {"age": "thirty"}, ["age_not_a_whole_number"]),
    RowDefect("age_fraction", "fractional age (a cast would round it)", {"age": "34.5"}, ["age_not_a_whole_number"]),
    RowDefect("age_empty", "empty age", {"age": ""}, ["age_not_a_whole_number"]),
    RowDefect("sex_unknown", "sex outside the domain", {"sex": "M"}, ["unknown_sex"]),
    RowDefect("sex_empty", "empty sex", {"sex": None}, ["unknown_sex"]),
    RowDefect(
        "marital_unknown",
        "marital status outside the domain",
        {"marital_status": "married"},
        ["unknown_marital_status"],
    ),  # fmt: skip
    RowDefect(
        "education_unknown", "the seed guide's 'masters'", {"education_level": "masters"}, ["unknown_education_level"]
    ),  # fmt: skip
    RowDefect(
        "field_unknown",
        "field of degree outside the domain",
        {"education_level": "bachelors", "bachelors_field": "law"},
        ["unknown_bachelors_field"],
    ),  # fmt: skip
    RowDefect(
        "field_without_degree",
        "a field of degree without a degree",
        {"education_level": "high_school", "bachelors_field": "stem"},
        ["bachelors_field_without_degree"],
    ),  # fmt: skip
    RowDefect("state_unknown", "no such state", {"state": "ZZ"}, ["invalid_state"]),
    RowDefect("zipcode_short", "four-digit ZIP code", {"zipcode": "1234"}, ["invalid_zipcode"]),
    RowDefect("zipcode_letter", "letter O for a zero", {"zipcode": "9021O"}, ["invalid_zipcode"]),
    RowDefect("country_other", "another country", {"country": "Canada"}, ["country_not_usa"]),
    RowDefect(
        "skills_unclosed", "unclosed skills list", {"skills_and_expertise_list": "['unclosed"}, ["unparseable_list"]
    ),  # fmt: skip
    RowDefect(
        "hobbies_not_a_list", "hobbies as prose", {"hobbies_and_interests_list": "not a list"}, ["unparseable_list"]
    ),  # fmt: skip
    RowDefect("skills_numbers", "a list of numbers", {"skills_and_expertise_list": "[1, 2]"}, ["unparseable_list"]),
    RowDefect(
        "many_at_once",
        "a child of unknown sex in no state",
        {"age": "12", "sex": "X", "state": "QQ"},
        ["age_out_of_range", "unknown_sex", "invalid_state"],
    ),  # fmt: skip
]


@dataclass(frozen=True)
class FileDefect:
    name: str
    defect: str
    error: str  # a regex the run's error must match after the file's name


def _with_column(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, values)


def _write_file_defect(folder: Path, name: str, good: pa.Table, original: pa.Table) -> str:
    """Write one broken source into folder; return the broken file's path relative to it."""
    n = good.num_rows
    if name == "missing_columns":
        return write_table(good.drop_columns(["age", "state"]), folder / "narrow.parquet").name
    if name == "zipcode_as_number":
        return write_table(_with_column(good, "zipcode", pa.array(range(n), pa.int64())), folder / "z.parquet").name
    if name == "age_as_float":
        return write_table(_with_column(good, "age", pa.array([30.5] * n)), folder / "age.parquet").name
    if name == "list_of_numbers_column":
        numbers = pa.array([[1, 2]] * n, pa.list_(pa.int64()))
        return write_table(_with_column(good, "skills_and_expertise_list", numbers), folder / "l.parquet").name
    if name == "parquet_without_rows":
        return write_table(good.slice(0, 0), folder / "empty.parquet").name
    if name == "csv_header_only":
        path = write_table(good, folder / "header.csv")
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        return path.name
    if name == "jsonl_empty":
        (folder / "nothing.jsonl").write_bytes(b"")
        return "nothing.jsonl"
    if name == "parquet_truncated":
        path = write_table(good, folder / "cut.parquet")
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return path.name
    if name == "parquet_corrupt":
        (folder / "noise.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
        return "noise.parquet"
    if name == "jsonl_invalid_utf8":
        path = write_table(good, folder / "latin1.jsonl")
        path.write_bytes(path.read_bytes().replace(b'"USA"', b'"US\xc1"', 1))
        return path.name
    if name == "jsonl_malformed_line":
        path = write_table(good, folder / "broken.jsonl")
        path.write_text(path.read_text(encoding="utf-8") + '{"uuid": "x", \n', encoding="utf-8")
        return path.name
    if name == "json_array_cut":
        path = write_table(good, folder / "array.json")
        path.write_bytes(path.read_bytes()[:-200])
        return path.name
    if name == "csv_wrong_header":
        (folder / "other.csv").write_text("id,name\n1,x\n", encoding="utf-8")
        return "other.csv"
    if name == "csv_invalid_utf8":
        path = write_table(good, folder / "latin1.csv")
        path.write_bytes(path.read_bytes().replace(b"USA", b"US\xc1", 1))
        return path.name
    if name == "csv_ragged_row":
        path = write_table(good, folder / "ragged.csv")
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join([*lines, lines[-1].rstrip("\n") + ',"one field too many"\n']), encoding="utf-8")
        return path.name
    if name == "directory_without_data":
        (folder / "README.txt").write_text("the data was never copied here")
        return ""
    if name == "releases_mixed":
        write_table(good, folder / "a_usa.parquet")
        return write_table(original, folder / "b_original.parquet").name
    if name == "list_encodings_mixed":
        write_table(good, folder / "a_literals.parquet")
        return write_table(with_real_lists(good), folder / "b_lists.parquet").name
    raise ValueError(name)


FILE_DEFECTS = [
    FileDefect("missing_columns", "age and state dropped", r"required columns missing: age, state"),
    FileDefect(
        "zipcode_as_number", "zipcode stored as integers", r"wrong column types: column zipcode has type BIGINT"
    ),
    FileDefect("age_as_float", "age stored as a float", r"wrong column types: column age has type DOUBLE"),
    FileDefect(
        "list_of_numbers_column",
        "skills as a list of integers",
        r"wrong column types: column skills_and_expertise_list has type BIGINT\[\]",
    ),  # fmt: skip
    FileDefect("parquet_without_rows", "a parquet file with the schema and no rows", r"the file has no rows"),
    FileDefect("csv_header_only", "a CSV file with only its header", r"the file has no rows"),
    FileDefect("jsonl_empty", "an empty JSONL file", r"the file has no rows"),
    FileDefect("parquet_truncated", "the second half of the file missing", r"cannot be read as parquet"),
    FileDefect("parquet_corrupt", "noise between parquet magic bytes", r"cannot be read as parquet"),
    FileDefect("jsonl_invalid_utf8", "a Latin-1 byte in a string", r"cannot be read as json: .*UTF-8"),
    FileDefect("jsonl_malformed_line", "an unfinished object on the last line", r"cannot be read as json"),
    FileDefect("json_array_cut", "a JSON array cut short", r"cannot be read as json"),
    FileDefect("csv_wrong_header", "another table's CSV", r"required columns missing: uuid, persona"),
    FileDefect("csv_invalid_utf8", "a Latin-1 byte in a CSV", r"cannot be read as csv: .*"),
    FileDefect("csv_ragged_row", "a line with one field too many", r"cannot be read as csv: .*"),
    FileDefect("directory_without_data", "a folder with no data files", r"no data files found"),
    FileDefect(
        "releases_mixed",
        "a USA and an original-release file in one source",
        r"does not load into one table with .*cultural_background.*Load one release at a time",
    ),  # fmt: skip
    FileDefect(
        "list_encodings_mixed",
        "list columns as Python literals in one shard and as real lists in another",
        r"does not load into one table with .*skills_and_expertise_list is VARCHAR in a_literals.parquet and "
        r"VARCHAR\[\] in b_lists.parquet \(a list literal in one, a real list in the other\)",
    ),  # fmt: skip
]


@dataclass(frozen=True)
class FileQuirk:
    """A source whose files look odd but are good data: it must load, each file once and as itself."""

    name: str
    quirk: str


FILE_QUIRKS = [
    FileQuirk("glob_characters", "shard[1].parquet beside shard1.parquet: DuckDB would read the first as the second"),
    FileQuirk("symlinked_file", "latest.parquet, a symlink to x.parquet, beside it"),
    FileQuirk("symlink_loop", "a folder symlink that points at its own folder, read through a ** glob"),
    FileQuirk("late_typed_jsonl", "bachelors_field null in DuckDB's 20,480-row detection sample, text after it"),
    FileQuirk("reordered_columns", "two shards with the same columns in another order"),
    FileQuirk("metadata_files", "a repository layout with dataset_infos.json and README.md beside data/"),
    FileQuirk("generator_metadata", "a flat folder with the generator's generation_info.json"),
]


def _write_file_quirk(folder: Path, name: str, good: pa.Table, other: pa.Table) -> dict[str, int]:
    """Write the quirk's source; return the rows each file must load, by its lineage name."""
    if name == "glob_characters":
        write_table(good, folder / "shard[1].parquet")
        write_table(other, folder / "shard1.parquet")
        return {"shard[1].parquet": len(good), "shard1.parquet": len(other)}
    if name in {"symlinked_file", "symlink_loop"}:
        write_table(good, folder / "data" / "x.parquet")
        if name == "symlinked_file":
            (folder / "data" / "latest.parquet").symlink_to("x.parquet")
        else:
            (folder / "data" / "loop").symlink_to(".", target_is_directory=True)
        return {"data/x.parquet": len(good)}
    if name == "late_typed_jsonl":
        short = {k: v if not isinstance(v, str) or len(v) < 40 else "short" for k, v in good.to_pylist()[0].items()}
        rows = [{**short, "uuid": f"{i:032x}", "bachelors_field": None, "education_level": "high_school"}
                for i in range(20500)]  # fmt: skip
        rows[-1].update(bachelors_field="stem", education_level="bachelors")
        (folder / "late.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return {"late.jsonl": len(rows)}
    if name == "reordered_columns":
        write_table(good, folder / "a.parquet")
        write_table(other.select(list(reversed(other.column_names))), folder / "b.parquet")
        return {"a.parquet": len(good), "b.parquet": len(other)}
    if name == "metadata_files":
        write_table(good, folder / "data" / "train-00000-of-00001.parquet")
        (folder / "dataset_infos.json").write_text('{"default": {"features": {}}}')
        (folder / "README.md").write_text("# Nemotron-Personas\n")
        return {"data/train-00000-of-00001.parquet": len(good)}
    if name == "generator_metadata":
        write_table(good, folder / "personas.jsonl")
        (folder / "generation_info.json").write_text('{"seed": 7}')
        return {"personas.jsonl": len(good)}
    raise ValueError(name)


def write_corpus(root: Path, personas: pa.Table, original: pa.Table) -> dict:
    """Write every broken input under root and root/manifest.json; return the manifest.

    personas: at least 3 x len(ROW_DEFECTS) generated rows (USA release); original: a few in the
    original release."""
    frame = personas.to_pandas().astype({"age": str})
    rows_source, manifest = root / "row_defects", {"row_defects": [], "file_defects": []}
    copied_uuid = frame.loc[0, "uuid"]  # the first good row of the first file, copied by duplicate_uuid
    for number, defect in enumerate(ROW_DEFECTS):
        rows = frame.iloc[3 * number : 3 * number + 3].reset_index(drop=True)
        for column, value in defect.changes.items():
            rows.loc[1, column] = copied_uuid if value == "COPY" else value
        if defect.name == "hostile_text":
            rows.loc[1, ["persona", "city"]] = [HOSTILE, HOSTILE_CITY]
        file = f"{number:02d}_{defect.name}.csv"
        write_table(pa.Table.from_pandas(rows, preserve_index=False), rows_source / file)
        manifest["row_defects"].append(
            {"file": file, "defect": defect.defect, "quarantined_rows": {"1": defect.reasons} if defect.reasons else {}}
        )
    good = personas.slice(0, 5)
    for defect in FILE_DEFECTS:
        folder = root / "file_defects" / defect.name
        folder.mkdir(parents=True)
        broken = _write_file_defect(folder, defect.name, good, original)
        manifest["file_defects"].append(
            {"source": defect.name, "file": broken, "defect": defect.defect, "error": defect.error}
        )
    manifest["file_quirks"] = []
    for quirk in FILE_QUIRKS:
        folder = root / "file_quirks" / quirk.name
        folder.mkdir(parents=True)
        loads = _write_file_quirk(folder, quirk.name, good, personas.slice(5, 4))
        pattern = "**/*.parquet" if quirk.name == "symlink_loop" else ""  # a glob follows the loop
        manifest["file_quirks"].append({"source": quirk.name, "pattern": pattern, "quirk": quirk.quirk, "loads": loads})
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def expected_quarantine(manifest: dict) -> dict[tuple[str, int], list[str]]:
    """(file, row) -> sorted reason codes, for every row the manifest says is quarantined."""
    return {
        (entry["file"], int(row)): sorted(reasons)
        for entry in manifest["row_defects"]
        for row, reasons in entry["quarantined_rows"].items()
    }
