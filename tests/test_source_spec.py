import pytest

from dagster_project.defs.ingest.spec import HubSource, LocalSource, SampleSource, SourceSpecError, parse_source_spec

USA = "hf://nvidia/Nemotron-Personas-USA@5b4cd35ab46490c1da1bd2b5a2324d6f871be180"


def test_hub_spec_keeps_repo_and_pinned_revision():
    spec = parse_source_spec(USA)
    assert spec == HubSource("nvidia/Nemotron-Personas-USA", "5b4cd35ab46490c1da1bd2b5a2324d6f871be180")
    assert str(spec) == USA


@pytest.mark.parametrize("text", ["hf://nvidia/Nemotron-Personas-USA", "hf://no-owner@abc", "hf://a/b@"])
def test_hub_spec_without_pinned_revision_is_refused(text):
    with pytest.raises(SourceSpecError, match="pinned"):
        parse_source_spec(text)


def test_samples_and_local_paths():
    assert parse_source_spec("sample") == SampleSource("generated")
    assert parse_source_spec("sample:real") == SampleSource("real_rows")
    assert str(parse_source_spec("sample:real")) == "sample:real"
    assert parse_source_spec("/data/personas/*.parquet") == LocalSource("/data/personas/*.parquet")
    with pytest.raises(SourceSpecError, match="unknown sample"):
        parse_source_spec("sample:nope")
