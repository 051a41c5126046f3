"""Find, read-check and describe the data files of a source, using DuckDB's own readers.

Every problem is reported as one SourceFileError naming the file, the column
and the reason, before anything is written to the warehouse.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from .columns import LIST_COLUMNS, REQUIRED_COLUMNS, USA_ONLY_COLUMNS

FORMATS = {".parquet": "parquet", ".jsonl": "json", ".ndjson": "json", ".json": "json", ".csv": "csv"}

INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT"}
# "NULL" is what DuckDB's JSON reader infers for a column that is null in every row
# (the original release's bachelors_field can be).
STRING_TYPES = {"VARCHAR", "NULL"}
# DuckDB's JSON reader turns strings that look like uuids, dates or times into those
# types; for the columns we know are text, the load reads them back as VARCHAR.
JSON_DETECTED_TEXT_TYPES = {"UUID", "DATE", "TIME", "TIMESTAMP"}


logger = dg.get_dagster_logger("sources")  # in a run's log when there is a run, Python's logging otherwise


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
    return {"path": literal_path(path), **({"columns": dict(columns)} if file_format == "json" else {})}


# DuckDB's readers expand these in any path they are given, even in the list form, and offer no escape.
GLOB_CHARACTERS = set("*?[]{}")


@functools.cache
def _links_folder() -> Path:
    """The folder of literal_path's links, made once per process."""
    return Path(tempfile.mkdtemp(prefix="personas-source-links-"))


def literal_path(path: Path) -> str:
    """A path DuckDB reads as exactly this file: a file named `shard[1].parquet` would otherwise be read as
    the glob `shard[1].parquet`, i.e. `shard1.parquet`. Such a file is read through a link with a plain name."""
    if not GLOB_CHARACTERS.intersection(str(path)):
        return str(path)
    link = _links_folder() / (hashlib.sha256(str(path).encode()).hexdigest()[:32] + path.suffix.lower())
    if not link.is_symlink():
        link.symlink_to(path)
    return str(link)


def _walk(folder: Path) -> list[Path]:
    """Every file under folder, through symlinked folders once each; an unreadable folder is an error,
    never skipped: a partial dataset must not load as if it were whole."""

    def refuse(error: OSError) -> None:
        raise SourceFileError(f"{error.filename}: cannot be read ({error.strerror}); fix its permissions or remove it.")

    files, seen = [], set()
    for root, folders, names in os.walk(folder, onerror=refuse, followlinks=True):
        real = Path(root).resolve()
        if real in seen:  # a symlink loop, or a second way into a folder already walked
            folders.clear()
            continue
        seen.add(real)
        files += [Path(root) / name for name in names]
    return files


# JSON files that dataset repositories and generators keep beside the data: never rows of personas.
METADATA_FILES = {"dataset_infos.json", "dataset_info.json", "dataset_dict.json", "state.json", "generation_info.json"}


def _names(paths: list[Path], root: Path) -> str:
    return ", ".join(p.relative_to(root).as_posix() for p in sorted(paths))


def find_data_files(pattern: str) -> list[Path]:
    """A file, a directory (searched recursively) or a glob → the distinct data files it names, sorted.

    Each file once, by its resolved path: a symlink beside its target, or a loop, does not load it twice."""
    path = Path(pattern).expanduser()
    if path.is_dir():
        candidates = _walk(path)
        if (path / "data").is_dir():  # a dataset repository's layout: its data files are under data/
            outside = [p for p in candidates if not p.is_relative_to(path / "data") and p.suffix.lower() in FORMATS]
            if outside:
                logger.info(f"{path}: reading data/ only, as the Hub's layout says; skipped {_names(outside, path)}.")
            candidates = [p for p in candidates if p.is_relative_to(path / "data")]
        metadata = [p for p in candidates if p.name in METADATA_FILES]
        if metadata:
            logger.info(f"{path}: skipped dataset metadata, not personas: {_names(metadata, path)}.")
            candidates = [p for p in candidates if p.name not in METADATA_FILES]
    elif path.is_file():
        candidates = [path]
    else:
        candidates = [Path(p) for p in glob.glob(str(path), recursive=True)]
    data_files = [p for p in candidates if p.suffix.lower() in FORMATS and p.is_file()]
    for candidate in data_files:
        if not os.access(candidate, os.R_OK):
            raise SourceFileError(f"{candidate}: cannot be read (permission denied); fix its permissions or remove it.")
    files = sorted({p.resolve() for p in data_files})
    if len(files) < len(data_files):
        logger.info(f"{pattern}: {len(data_files) - len(files)} paths name a file already found; each file loads once.")
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
        described = con.execute(f"DESCRIBE SELECT * FROM {detect}", {"path": literal_path(path)}).fetchall()
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
    """The type to read one of the dataset's own columns with, where DuckDB's JSON type detection guessed."""
    if file_format != "json" or name not in {*REQUIRED_COLUMNS, *USA_ONLY_COLUMNS}:
        return kind
    if kind == "JSON":  # null throughout DuckDB's detection sample (20,480 rows), values after it
        return "VARCHAR"
    is_text = name not in {"age", *LIST_COLUMNS}
    return "VARCHAR" if is_text and kind in JSON_DETECTED_TEXT_TYPES else kind


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
    """All files of one source must load into one table: the same columns with the same types, in any order
    (the load matches columns by name). Two releases never mix in one load."""
    first = files[0]
    first_columns = dict(first.columns)
    for other in files[1:]:
        other_columns = dict(other.columns)
        if other_columns == first_columns:
            continue
        only_first = sorted(set(first_columns) - set(other_columns))
        only_other = sorted(set(other_columns) - set(first_columns))
        differences = [f"only in {first.path.name}: {', '.join(only_first)}"] if only_first else []
        differences += [f"only in {other.path.name}: {', '.join(only_other)}"] if only_other else []
        differences += [
            f"{name} is {first_columns[name]} in {first.path.name} and {other_columns[name]} in {other.path.name}"
            + (" (a list literal in one, a real list in the other)" if name in LIST_COLUMNS else "")
            for name in sorted(set(first_columns) & set(other_columns))
            if first_columns[name] != other_columns[name]
        ]
        hint = "load one release at a time" if first.release != other.release else "write every file the same way"
        raise SourceFileError(f"{other.path}: does not load into one table with {first.path}: "
                              f"{'; '.join(differences)}. {hint.capitalize()}.")  # fmt: skip
