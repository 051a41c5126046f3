"""A loopback HTTP server that answers like the Hugging Face Hub for one dataset.

Serves the two routes the real `huggingface_hub` client uses to download a
pinned revision: the dataset info API and the file resolve endpoint. Files come
from a local folder laid out like the repository (data/train-*.parquet).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class FakeHubDataset:
    repo_id: str
    commit: str
    root: Path
    # repo path -> bytes served instead of the real file (to simulate corruption in transit)
    tampered: dict[str, bytes] = field(default_factory=dict)
    authorization_headers: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def files(self) -> dict[str, Path]:
        return {p.relative_to(self.root).as_posix(): p for p in sorted(self.root.rglob("*")) if p.is_file()}


def _handler(dataset: FakeHubDataset):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def _record(self):
            dataset.requests.append(f"{self.command} {self.path}")
            if "Authorization" in self.headers:
                dataset.authorization_headers.append(self.headers["Authorization"])

        def do_GET(self):
            self._serve(with_body=True)

        def do_HEAD(self):
            self._serve(with_body=False)

        def _serve(self, with_body: bool):
            self._record()
            path = self.path.split("?")[0]
            info_prefix = f"/api/datasets/{dataset.repo_id}/revision/"
            resolve_prefix = f"/datasets/{dataset.repo_id}/resolve/"
            if path.startswith(info_prefix):
                return self._info(with_body)
            if path.startswith(resolve_prefix):
                revision, _, repo_path = path[len(resolve_prefix) :].partition("/")
                return self._file(revision, repo_path, with_body)
            self.send_error(404)

        def _info(self, with_body: bool):
            siblings = []
            for repo_path, local in dataset.files().items():
                data = local.read_bytes()
                siblings.append({
                    "rfilename": repo_path,
                    "size": len(data),
                    "blobId": hashlib.sha1(data).hexdigest(),
                    "lfs": {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "pointerSize": 134},
                })  # fmt: skip
            body = json.dumps({"id": dataset.repo_id, "sha": dataset.commit, "siblings": siblings}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def _file(self, revision: str, repo_path: str, with_body: bool):
            local = dataset.files().get(repo_path)
            if local is None or revision not in (dataset.commit, "main"):
                return self.send_error(404)
            real = local.read_bytes()
            data = dataset.tampered.get(repo_path, real)
            start = 0
            if self.headers.get("Range", "").startswith("bytes="):
                start = int(self.headers["Range"][6:].split("-")[0])
            self.send_response(206 if start else 200)
            self.send_header("X-Repo-Commit", dataset.commit)
            self.send_header("ETag", f'"{hashlib.sha256(real).hexdigest()}"')
            self.send_header("X-Linked-Etag", f'"{hashlib.sha256(real).hexdigest()}"')
            self.send_header("X-Linked-Size", str(len(real)))
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            if with_body:
                self.wfile.write(data[start:])

    return Handler


class FakeHub:
    def __init__(self, dataset: FakeHubDataset):
        self.dataset = dataset
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(dataset))
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
