"""The Hub path through the real huggingface_hub client, against a loopback server (no network)."""

import socket

import pytest

from dagster_project.defs.ingest.hub import SourceUnavailableError, select_split_files
from dagster_project.defs.ingest.resolve import resolve_source
from tests.conftest import write_table
from tests.hub_server import FakeHub, FakeHubDataset

REPO = "nvidia/Nemotron-Personas-USA"
COMMIT = "5b4cd35ab46490c1da1bd2b5a2324d6f871be180"
TOKEN = "hf_test_secret_token_123"


@pytest.fixture
def hub_dataset(tmp_path, make_table):
    root = tmp_path / "repo"
    write_table(make_table(30), root / "data" / "train-00000-of-00002.parquet")
    write_table(make_table(20, shard=1), root / "data" / "train-00001-of-00002.parquet")
    (root / "README.md").write_text("dataset card")
    return FakeHubDataset(repo_id=REPO, commit=COMMIT, root=root)


def test_downloads_the_split_shards_verifies_them_and_uses_the_cache(tmp_path, hub_dataset):
    with FakeHub(hub_dataset) as hub:
        source = resolve_source(f"hf://{REPO}@{COMMIT}", TOKEN, hub.endpoint, tmp_path / "cache")
        assert source.kind == "hub" and source.repo_id == REPO and source.revision == COMMIT
        assert [f.name for f in source.files] == [
            "data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"
        ]  # fmt: skip
        assert source.rows == 50
        assert all(str(f.path).startswith(str(tmp_path / "cache")) for f in source.files)
        assert set(hub_dataset.authorization_headers) == {f"Bearer {TOKEN}"}
        downloads = [r for r in hub_dataset.requests if r.startswith("GET /datasets/")]
        assert len(downloads) == 2 and not any("README" in r for r in hub_dataset.requests)

        again = resolve_source(f"hf://{REPO}@{COMMIT}", TOKEN, hub.endpoint, tmp_path / "cache")
        assert again.fingerprint == source.fingerprint
        assert [r for r in hub_dataset.requests if r.startswith("GET /datasets/")] == downloads  # cached


def test_the_token_never_reaches_the_fingerprint_or_errors(tmp_path, hub_dataset):
    with FakeHub(hub_dataset) as hub:
        source = resolve_source(f"hf://{REPO}@{COMMIT}", TOKEN, hub.endpoint, tmp_path / "cache")
    assert TOKEN not in repr(source) and TOKEN not in str(source.fingerprint_record())


def test_a_file_that_does_not_match_the_hub_sha256_is_refused(tmp_path, hub_dataset):
    good = (hub_dataset.root / "data" / "train-00001-of-00002.parquet").read_bytes()
    hub_dataset.tampered["data/train-00001-of-00002.parquet"] = good[:-8] + b"XXXXXXXX"
    with FakeHub(hub_dataset) as hub, pytest.raises(SourceUnavailableError, match="sha256") as error:
        resolve_source(f"hf://{REPO}@{COMMIT}", TOKEN, hub.endpoint, tmp_path / "cache")
    assert "train-00001-of-00002.parquet" in str(error.value)


def test_an_unreachable_hub_gives_one_clear_sentence(tmp_path):
    with socket.socket() as s:  # a loopback port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceUnavailableError) as error:
        resolve_source(f"hf://{REPO}@{COMMIT}", TOKEN, f"http://127.0.0.1:{port}", tmp_path / "cache")
    message = str(error.value)
    assert message.startswith(f"Could not read hf://{REPO}@{COMMIT} from the Hugging Face Hub")
    assert "PERSONAS_SOURCE" in message and "'sample'" in message and TOKEN not in message


def test_split_selection():
    files = ["README.md", "data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet",
             "data/test-00000-of-00001.parquet", "other/x.parquet"]  # fmt: skip
    assert select_split_files(files, "train") == files[1:3]
    assert select_split_files(["data/personas.parquet"], "train") == ["data/personas.parquet"]
