"""Download a pinned revision of a Nemotron-Personas dataset from the Hugging Face Hub.

The real `huggingface_hub` client does the work: its cache makes repeated runs
free and interrupted downloads resumable, and it shows progress bars. We add
the choice of files (the parquet shards of one split) and a size and sha256
check of every file against what the Hub reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import httpx2
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

from .files import sha256_of
from .spec import HubSource


class SourceUnavailableError(RuntimeError):
    """The source could not be reached or did not hold what we expected."""


@dataclass(frozen=True)
class HubFile:
    repo_path: str  # e.g. data/train-00000-of-00011.parquet
    local_path: Path
    size: int
    sha256: str


def _unreachable(source: HubSource, reason: str) -> SourceUnavailableError:
    return SourceUnavailableError(
        f"Could not read {source} from the Hugging Face Hub ({reason}); "
        "set PERSONAS_SOURCE to a local path of downloaded files or to 'sample' to work offline."
    )


def select_split_files(repo_paths: list[str], split: str) -> list[str]:
    """The parquet shards of one split under data/; all of data/*.parquet if none is named for it."""
    parquet = sorted(p for p in repo_paths if p.startswith("data/") and p.endswith(".parquet"))
    of_split = [p for p in parquet if PurePosixPath(p).name.startswith(f"{split}-")]
    return of_split or parquet


def current_hub_revision(source: HubSource, token: str | None = None, endpoint: str | None = None) -> str:
    """The commit the source's revision (a branch, tag or commit) points at now; no file is downloaded."""
    try:
        return HfApi(endpoint=endpoint, token=token).dataset_info(source.repo_id, revision=source.revision).sha
    except (HfHubHTTPError, httpx2.HTTPError, OSError) as error:
        raise _unreachable(source, _first_line(error)) from None


def download_hub_snapshot(
    source: HubSource, token: str | None = None, endpoint: str | None = None, cache_dir: Path | None = None
) -> tuple[str, list[HubFile]]:
    """Download the split's parquet files; return the resolved commit and the verified files."""
    api = HfApi(endpoint=endpoint, token=token)
    try:
        info = api.dataset_info(source.repo_id, revision=source.revision, files_metadata=True)
    except (HfHubHTTPError, httpx2.HTTPError, OSError) as error:
        raise _unreachable(source, _first_line(error)) from None
    siblings = {s.rfilename: s for s in info.siblings or []}
    wanted = select_split_files(list(siblings), source.split)
    if not wanted:
        raise SourceUnavailableError(
            f"{source}: the revision has no parquet files under data/ "
            f"(files: {', '.join(sorted(siblings)[:10]) or 'none'})."
        )
    files = []
    for repo_path in wanted:
        sibling = siblings[repo_path]
        try:
            local = Path(
                hf_hub_download(
                    source.repo_id,
                    repo_path,
                    repo_type="dataset",
                    revision=info.sha,
                    token=token,
                    endpoint=endpoint,
                    cache_dir=cache_dir,
                )
            )
        except (HfHubHTTPError, LocalEntryNotFoundError, httpx2.HTTPError, OSError) as error:
            raise _unreachable(source, f"{repo_path}: {_first_line(error)}") from None
        files.append(_verified(source, repo_path, local, sibling))
    return info.sha, files


def _verified(source: HubSource, repo_path: str, local: Path, sibling) -> HubFile:
    size = local.stat().st_size
    expected_size = sibling.lfs.size if sibling.lfs else sibling.size
    if expected_size is not None and size != expected_size:
        raise SourceUnavailableError(
            f"{source}: {repo_path} has {size} bytes on disk but the Hub reports {expected_size}; "
            f"delete {local} and run again."
        )
    digest = sha256_of(local)
    if sibling.lfs and sibling.lfs.sha256 and digest != sibling.lfs.sha256:
        raise SourceUnavailableError(
            f"{source}: {repo_path} has sha256 {digest} but the Hub reports {sibling.lfs.sha256}; "
            f"delete {local} and run again."
        )
    return HubFile(repo_path=repo_path, local_path=local, size=size, sha256=digest)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else error.__class__.__name__
