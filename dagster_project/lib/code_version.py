"""The version of the code that builds the warehouse: a digest of the dbt project, the expectation
suites and the Python package. A refresh is a no-op only when both the data and this are unchanged."""

import hashlib

from ..settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, PROJECT_ROOT

_GENERATED = {"target", "logs", "dbt_packages", "__pycache__", "samples"}


def project_code_version() -> str:
    digest = hashlib.sha256()
    package = PROJECT_ROOT / "dagster_project"
    files = [
        *DBT_PROJECT_DIR.rglob("*"),
        *EXPECTATIONS_DIR.rglob("*.yml"),
        *package.rglob("*.py"),
        *package.rglob("*.yaml"),
    ]
    # not dotfiles either: dbt writes dbt_models/.user.yml (its anonymous user id) the first time it runs
    kept = (p for p in files if p.is_file() and not _GENERATED.intersection(p.parts) and not p.name.startswith("."))
    for path in sorted(kept):
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
