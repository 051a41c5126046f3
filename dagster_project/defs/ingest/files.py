"""Find, read-check and describe the data files of a source, using DuckDB's own readers.

Every problem is reported as one SourceFileError naming the file, the column
and the reason, before anything is written to the warehouse.
"""

from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

FORMATS = {".parquet": "parquet", ".jsonl": "json", ".ndjson": "json", ".json": "json", ".csv": "csv"}

# The 22 columns of the original release; the USA release adds cultural_background.
REQUIRED_COLUMNS = (
    "uuid", "persona", "professional_persona", "sports_persona", "arts_persona",
    "travel_persona", "culinary_persona", "skills_and_expertise", "skills_and_expertise_list",
    "hobbies_and_interests", "hobbies_and_interests_list", "career_goals_and_ambitions",
    "sex", "age", "marital_status", "education_level", "bachelors_field", "occupation",
    "city", "state", "zipcode", "country",
)  # fmt: skip
USA_ONLY_COLUMNS = ("cultural_background",)
LIST_COLUMNS = ("skills_and_expertise_list", "hobbies_and_interests_list")
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT"}
# "NULL" is what DuckDB's JSON reader infers for a column that is null in every row
# (the original release's bachelors_field can be).
STRING_TYPES = {"VARCHAR", "NULL"}
# DuckDB's JSON reader turns strings that look like uuids, dates or times into those
# types; for the columns we know are text, the load reads them back as VARCHAR.
JSON_DETECTED_TEXT_TYPES = {"UUID", "DATE", "TIME", "TIMESTAMP"}


class SourceFileError(ValueError):
    """A data file cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class DataFile:
    path: Path
    name: str  # stable name for lineage and the fingerprint (e.g. data/train-00000-of-00011.parquet)
    format: str
    size: int
    sha256: str
    rows: int
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type) in file order

    @property
    def release(self) -> str:
        names = {name for name, _ in self.columns}
        return "usa" if names.issuperset(USA_ONLY_COLUMNS) else "original"


def reader_sql(file_format: str) -> str:
    """The DuckDB table function that reads one file.

    Bound parameters: $path, and for JSON $columns (see reader_parameters)."""
    if file_format == "parquet":
        return "read_parquet($path)"
    if file_format == "json":
        return "read_json($path, format = 'auto', columns = $columns)"
    # CSV is text: read every column as text so zipcodes keep their leading zeros. The dialect is
    # fixed (what pandas and `datasets` write): left to guess, DuckDB's sniffer takes a ragged last
    # line for the header and skips every row above it.
    return "read_csv($path, header = true, skip = 0, delim = ',', quote = '\"', escape = '\"', all_varchar = true)"


def reader_parameters(file_format: str, path: Path, columns: tuple[tuple[str, str], ...]) -> dict:
    """The values of reader_sql's parameters; JSON is read with the column types we checked."""
    return {"path": str(path), **({"columns": dict(columns)} if file_format == "json" else {})}


def find_data_files(pattern: str) -> list[Path]:
    """A file, a directory (searched recursively) or a glob → the data files it names, sorted."""
    path = Path(pattern).expanduser()
    if path.is_dir():
        candidates = [p for p in path.rglob("*") if p.is_file()]
    elif path.is_file():
        candidates = [path]
    else:
        candidates = [Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file()]
    files = sorted(p.resolve() for p in candidates if p.suffix.lower() in FORMATS)
    if not files:
        raise SourceFileError(f"{pattern}: no data files found (expected .parquet, .jsonl, .json or .csv files).")
    return files


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def inspect_data_file(
    con: duckdb.DuckDBPyConnection, path: Path, name: str | None = None, sha256: str | None = None
) -> DataFile:
    """Describe one file and check that it holds the personas we expect.

    `sha256` may be passed when the caller has already hashed the file (Hub downloads)."""
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise SourceFileError(f"{path}: unsupported file type {path.suffix!r}.")
    detect = "read_json($path, format = 'auto')" if file_format == "json" else reader_sql(file_format)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {detect}", {"path": str(path)}).fetchall()
        columns = tuple((column, _as_text_if_known(column, kind, file_format)) for column, kind, *_ in described)
        parameters = reader_parameters(file_format, path, columns)
        rows = con.execute(f"SELECT count(*) FROM {reader_sql(file_format)}", parameters).fetchone()[0]
    except duckdb.Error as error:
        reason = str(error).strip().splitlines()[0]
        raise SourceFileError(f"{path}: cannot be read as {file_format}: {reason}") from None
    if rows == 0:  # first: an empty JSONL file has no columns to check either
        raise SourceFileError(f"{path}: the file has no rows.")
    check_columns(path, dict(columns))
    return DataFile(
        path=path,
        name=name or path.name,
        format=file_format,
        size=path.stat().st_size,
        sha256=sha256 or sha256_of(path),
        rows=rows,
        columns=columns,
    )


def _as_text_if_known(name: str, kind: str, file_format: str) -> str:
    text_columns = set(REQUIRED_COLUMNS) | set(USA_ONLY_COLUMNS)
    is_text = name in text_columns - {"age", *LIST_COLUMNS}
    return "VARCHAR" if file_format == "json" and is_text and kind in JSON_DETECTED_TEXT_TYPES else kind


def check_columns(path: Path, columns: dict[str, str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SourceFileError(f"{path}: required columns missing: {', '.join(missing)}.")
    problems = []
    for column in (*REQUIRED_COLUMNS, *USA_ONLY_COLUMNS):
        if column not in columns:
            continue
        found = columns[column]
        if column == "age":
            ok = found in INTEGER_TYPES or found == "VARCHAR"  # VARCHAR only from text formats
        elif column in LIST_COLUMNS:
            ok = found in STRING_TYPES or found == "VARCHAR[]"
        else:
            ok = found in STRING_TYPES
        if not ok:
            problems.append(f"column {column} has type {found}")
    if problems:
        raise SourceFileError(f"{path}: wrong column types: {'; '.join(problems)}.")


def check_same_layout(files: list[DataFile]) -> None:
    """All files of one source must share one schema: two releases never mix in one load."""
    first = files[0]
    for other in files[1:]:
        if other.columns != first.columns:
            only_first = sorted(set(first.columns) - set(other.columns))
            only_other = sorted(set(other.columns) - set(first.columns))
            raise SourceFileError(
                f"{other.path}: its columns differ from {first.path} "
                f"({first.release} release: {only_first or 'nothing extra'}; "
                f"{other.release} release: {only_other or 'nothing extra'}); "
                "load one release at a time."
            )
