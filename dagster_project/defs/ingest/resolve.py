"""Resolve PERSONAS_SOURCE to checked local files and a fingerprint of their content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ...settings import SAMPLES_DIR
from .files import DataFile, check_same_layout, find_data_files, inspect_data_file
from .hub import download_hub_snapshot
from .spec import HubSource, SampleSource, parse_source_spec


@dataclass(frozen=True)
class ResolvedSource:
    spec: str  # PERSONAS_SOURCE as given (never holds a token)
    kind: str  # hub | local | sample
    repo_id: str | None
    revision: str | None  # the Hub commit; None for local files
    files: tuple[DataFile, ...]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def release(self) -> str:
        return self.files[0].release

    def fingerprint_record(self) -> dict:
        """What identifies the content: changes when, and only when, the data changes."""
        return {
            "repo_id": self.repo_id,
            "revision": self.revision,
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256, "rows": f.rows} for f in self.files],
        }

    @property
    def fingerprint(self) -> str:
        canonical = json.dumps(self.fingerprint_record(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def resolve_source(
    spec_text: str,
    hf_token: str | None = None,
    hf_endpoint: str | None = None,
    hf_cache_dir: Path | None = None,
) -> ResolvedSource:
    """Name → checked files: downloads Hub sources, finds local or sample files, inspects each."""
    spec = parse_source_spec(spec_text)
    con = duckdb.connect()  # in-memory: only reads the files
    try:
        if isinstance(spec, HubSource):
            revision, hub_files = download_hub_snapshot(spec, hf_token, hf_endpoint, hf_cache_dir)
            files = [inspect_data_file(con, f.local_path, f.repo_path, f.sha256) for f in hub_files]
            resolved = ResolvedSource(str(spec), "hub", spec.repo_id, revision, tuple(files))
        else:
            root = SAMPLES_DIR / spec.name if isinstance(spec, SampleSource) else Path(spec.pattern)
            kind = "sample" if isinstance(spec, SampleSource) else "local"
            paths = find_data_files(str(root))
            base = _common_parent(paths)
            files = [inspect_data_file(con, p, p.relative_to(base).as_posix()) for p in paths]
            resolved = ResolvedSource(str(spec), kind, None, None, tuple(files))
    finally:
        con.close()
    check_same_layout(list(resolved.files))
    return resolved


def _common_parent(paths: list[Path]) -> Path:
    """Names relative to the folder that holds the data/ layout, so moving the folder keeps the fingerprint."""
    parent = paths[0].parent
    while not all(p.is_relative_to(parent) for p in paths):
        parent = parent.parent
    return parent.parent if parent.name == "data" else parent
