"""Build the whole warehouse once: ingest, dbt, every check, the audit report and the publish.

    python -m dagster_project.build [--verbose]

Runs the build_warehouse job on the persistent Dagster instance that `python -m dagster_project.ui`
shows ($DAGSTER_HOME, by default $WAREHOUSE_DIR/dagster_home), so the run, its check results and its
metadata are in the UI afterwards. Prints one line per step and ends with what happened: what was
published and where, or the one reason it was not. The full log (Dagster's, dbt's and Great
Expectations') goes to $WAREHOUSE_DIR/logs/; --verbose prints it instead. Exits 1 when the run fails.
"""

import argparse
import os
import sys
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from .defs.publish.served import served_entry
from .instance import prepare_dagster_home
from .settings import WarehouseSettings

# What to do about each failure a user can meet, as the README's "When a load fails" table says.
WHAT_TO_DO = {
    "SourceFileError": "Fix or remove the file; nothing was written.",
    "BuildDatabaseLockedError": "Let the other process finish or stop it, then run again.",
    "OutOfSpaceError": "Free disk space, or raise the limit the message names, then run again.",
    "quarantine_policy": (
        "SELECT * FROM staging.stg_nemotron__personas_quarantined in the build database shows each row, file, "
        "row number and reasons; fix the source, or relax QUARANTINE_MAX_SHARE / QUARANTINE_BLOCKING_REASONS."
    ),
}


@contextmanager
def output_to(log_file: Path):
    """Everything this process and its children write (Dagster, dbt, GX) goes to the log file; yields a
    stream that still reaches the terminal."""
    terminal = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    saved = [os.dup(1), os.dup(2)]
    with log_file.open("w") as log:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            terminal.close()


def print_steps(instance: dg.DagsterInstance, started: datetime, out, done: threading.Event) -> None:
    """One line per step as it finishes, read from the run's event log while the run goes."""
    run_id, cursor, rows = None, None, {}
    while True:
        finished = done.wait(1.0)
        if run_id is None:
            runs = instance.get_runs(dg.RunsFilter(created_after=started), limit=1)
            run_id = runs[0].run_id if runs else None
        while run_id is not None:
            page = instance.get_records_for_run(run_id, cursor=cursor, limit=200)
            for record in page.records:
                event = record.event_log_entry.dagster_event
                if event is not None and event.event_type == dg.DagsterEventType.STEP_START:
                    print(f"  ...              {event.step_key}", file=out)
                elif event is not None and event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
                    count = event.event_specific_data.materialization.metadata.get("dagster/row_count")
                    if count is not None:
                        rows[event.step_key] = rows.get(event.step_key, 0) + count.value
                elif event is not None and event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                    counted = f"  ({rows[event.step_key]:,} rows)" if event.step_key in rows else ""
                    seconds = event.event_specific_data.duration_ms / 1000
                    print(f"  ok   {seconds:8.1f} s  {event.step_key}{counted}", file=out)
                elif event is not None and event.event_type == dg.DagsterEventType.STEP_FAILURE:
                    print(f"  FAILED           {event.step_key}", file=out)
            cursor = page.cursor
            if not page.has_more:
                break
        if finished:
            return


def summary(result, settings: WarehouseSettings, log_file: Path) -> list[str]:
    """What happened, in a few lines a person reads."""
    materialized = {e.asset_key.to_user_string(): e.materialization.metadata for e in
                    result.get_asset_materialization_events()}  # fmt: skip
    checks = {
        e.event_specific_data.check_name: e.event_specific_data
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    }
    log = f"Full log: {log_file}"
    if result.success and "published_warehouse" in materialized:
        published = materialized["published_warehouse"]
        counts = published["row_counts"].value
        quarantine = checks.get("quarantine_policy")
        quarantined = quarantine.metadata["quarantined_rows"].value if quarantine else 0
        raw = quarantine.metadata["raw_rows"].value if quarantine else counts.get("dim_persona", 0)
        warnings = published["check_summary"].value.get("checks_failed_in_this_run", [])
        return [
            f"Published version {published['version'].value}: {counts.get('dim_persona', 0):,} personas "
            f"({quarantined:,} of {raw:,} rows quarantined) from {published['source_spec'].value}"
            f"{' (built on Spark)' if 'engine' in published and published['engine'].value == 'spark' else ''}.",
            *([f"Warnings ({len(warnings)}): {', '.join(warnings)}"] if warnings else []),
            f"  serving file  {published['serving_file'].value}  (BI tools, read-only: warehouse/README.md)",
            f"  exports       {settings.warehouse_dir / 'exports' / 'current'}",
            f"  census audit  {settings.warehouse_dir / 'reports' / 'census_audit.html'}",
            f"  Data Docs     {settings.data_docs_dir / 'gx/uncommitted/data_docs/local_site/validations'}",
            log,
            "Next: .venv/bin/python -m dagster_project.ui  - this run, its checks and its metadata in the Dagster UI.",
        ]
    if result.success and "raw_personas" not in materialized:
        served = served_entry(settings.warehouse_dir) or {}
        return [
            f"Nothing to build: {served.get('source_spec')} and the code are unchanged since published version "
            f"{served.get('version')}, which readers already see.",
            log,
        ]
    failed = [c for c in checks.values() if not c.passed and c.severity == dg.AssetCheckSeverity.ERROR]
    # the quarantine policy first: when every row is quarantined, the other gates fail only because of it
    failed_check = min(failed, key=lambda c: c.check_name != "quarantine_policy", default=None)
    if failed_check is not None and failed_check.description:
        reason = f"{failed_check.check_name}: {failed_check.description}"
        what = WHAT_TO_DO.get(failed_check.check_name, "See the check in the Dagster UI.")
    else:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        error = failure.step_failure_data.error if failure else None
        while error is not None and error.cause is not None and error.cls_name.startswith("Dagster"):
            error = error.cause  # the user's error, not the wrappers around it
        message = error.message.strip() if error else "the run failed"
        if error and message.split(": ", 1)[0].endswith(error.cls_name):  # "package.module.Class: text"
            message = message.split(": ", 1)[1]
        reason = f"{error.cls_name}: {message}" if error else message
        what = WHAT_TO_DO.get(error.cls_name if error else "", "The full log has the details.")
    return [f"Not published. {reason}", what, "The serving file and the exports are unchanged.", log]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print the full log instead of one line per step")
    args = parser.parse_args(argv)
    settings = WarehouseSettings.from_env()
    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(settings))
    log_file = settings.warehouse_dir / "logs" / f"build-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)

    def run():
        from .defs.transform.project import prepare_dbt_manifest

        prepare_dbt_manifest()
        from .definitions import defs  # built from the manifest just prepared

        return defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=dg.DagsterInstance.get(), raise_on_error=False
        )

    started = datetime.now(UTC)
    print(f"Building the warehouse in {settings.warehouse_dir} ...", flush=True)
    if args.verbose:
        result = run()
    else:
        with output_to(log_file) as terminal:
            done = threading.Event()
            watcher = threading.Thread(target=print_steps, args=(dg.DagsterInstance.get(), started, terminal, done))
            watcher.start()
            try:
                result = run()
            finally:
                done.set()
                watcher.join()
    print("\n".join(summary(result, settings, log_file)), flush=True)
    sys.exit(0 if result.success else 1)


if __name__ == "__main__":
    main()
