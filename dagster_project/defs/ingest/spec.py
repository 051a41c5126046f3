"""Parse the PERSONAS_SOURCE string into a typed source specification."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HUB_SPEC = re.compile(r"^hf://(?P<repo>[\w.-]+/[\w.-]+)@(?P<revision>[\w./-]+)$")
# PERSONAS_SOURCE value -> folder under dagster_project/samples/
SAMPLE_NAMES = {"sample": "generated", "sample:real": "real_rows"}


class SourceSpecError(ValueError):
    """PERSONAS_SOURCE does not name a source we know how to read."""


@dataclass(frozen=True)
class HubSource:
    repo_id: str
    revision: str
    split: str = "train"

    def __str__(self) -> str:
        return f"hf://{self.repo_id}@{self.revision}"


@dataclass(frozen=True)
class LocalSource:
    pattern: str

    def __str__(self) -> str:
        return self.pattern


@dataclass(frozen=True)
class SampleSource:
    name: str  # a folder under dagster_project/samples/

    def __str__(self) -> str:
        return "sample" if self.name == "generated" else "sample:real"


SourceSpec = HubSource | LocalSource | SampleSource


def parse_source_spec(text: str) -> SourceSpec:
    text = text.strip()
    if text in SAMPLE_NAMES:
        return SampleSource(SAMPLE_NAMES[text])
    if text.startswith("sample:"):
        raise SourceSpecError(f"PERSONAS_SOURCE={text!r}: unknown sample; use one of {sorted(SAMPLE_NAMES)}.")
    if text.startswith("hf://"):
        match = _HUB_SPEC.match(text)
        if not match:
            raise SourceSpecError(
                f"PERSONAS_SOURCE={text!r}: a Hub source must be written "
                "hf://<owner>/<dataset>@<revision>, with the revision pinned "
                "(e.g. hf://nvidia/Nemotron-Personas-USA@5b4cd35ab46490c1da1bd2b5a2324d6f871be180)."
            )
        return HubSource(repo_id=match["repo"], revision=match["revision"])
    if not text:
        raise SourceSpecError("PERSONAS_SOURCE is empty; use 'sample', a path, or hf://<repo>@<revision>.")
    return LocalSource(text)
