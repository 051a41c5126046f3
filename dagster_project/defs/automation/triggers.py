"""Scheduled operation: a weekly refresh, and a sensor that refreshes when the upstream source changes.

One automation model: both launch the whole build_warehouse job (ingest → dbt → checks → publish), so
every refresh is audited in the run that publishes it. Both build the source being served unless
PERSONAS_SOURCE names another (defs/publish/served.py), and ask that module whether a version is
already served - never the serving file itself. The sensor keys each run by the source version and
the code version, so one version of both never runs twice.
"""

import dagster as dg

from ...lib.code_version import project_code_version
from ...settings import WarehouseSettings
from ..ingest.files import SourceFileError
from ..ingest.hub import SourceUnavailableError, current_hub_revision
from ..ingest.resolve import resolve_source
from ..ingest.spec import HubSource, SourceSpecError, parse_source_spec
from ..publish.served import is_served, source_to_build


def source_run_config(source: str) -> dict:
    """The run builds exactly the source that was checked, whatever its worker's environment says."""
    return {"resources": {"warehouse": {"config": {"personas_source": source}}}}


def source_to_refresh() -> tuple[WarehouseSettings, str]:
    settings = WarehouseSettings.from_env()
    return settings, source_to_build(settings.warehouse_dir, settings.personas_source)


def upstream_version(settings: WarehouseSettings, source: str, code: str) -> tuple[str, bool]:
    """The source's current version and whether readers are already served it, built by this code.

    Hub sources: the commit the pinned revision points at (asked of the Hub, nothing downloaded).
    Local sources and the sample: the content fingerprint the ingest records.
    """
    spec = parse_source_spec(source)
    if isinstance(spec, HubSource):
        commit = current_hub_revision(spec, settings.hf_token, settings.hf_endpoint)
        return f"{spec.repo_id}@{commit}", is_served(
            settings.warehouse_dir, code, revision=commit, engine=settings.engine
        )
    fingerprint = resolve_source(source).fingerprint
    return fingerprint, is_served(settings.warehouse_dir, code, fingerprint=fingerprint, engine=settings.engine)


def build_refresh_schedule(job, cron: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="weekly_refresh",
        job=job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Refresh and publish the whole warehouse ({cron} UTC; set WAREHOUSE_REFRESH_CRON to change) "
        "from the source being served, or PERSONAS_SOURCE when it is set.",
    )
    def weekly_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        _, source = source_to_refresh()
        return dg.RunRequest(run_config=source_run_config(source), tags={"warehouse/source": source[:63]})

    return weekly_refresh


def build_upstream_sensor(job, interval_seconds: int) -> dg.SensorDefinition:
    @dg.sensor(
        name="upstream_change_sensor",
        job=job,
        minimum_interval_seconds=interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Runs build_warehouse when the source being served (or PERSONAS_SOURCE, when set) changed since it was "
            "published: a new commit on the Hub revision, or new content in local files; or when the code changed "
            "(UPSTREAM_CHECK_INTERVAL_SECONDS between checks)."
        ),
    )
    def upstream_change_sensor(context: dg.SensorEvaluationContext):
        settings, source = source_to_refresh()
        code = project_code_version()
        try:
            version, served = upstream_version(settings, source, code)
        except (SourceUnavailableError, SourceFileError, SourceSpecError, OSError) as error:
            return dg.SkipReason(f"Could not check {source}: {error} Will try again next tick.")
        context.update_cursor(version)
        if served:
            return dg.SkipReason(f"{source} is unchanged: version {version} is already published.")
        run_key = f"{version}:{code[:12]}"
        return dg.RunRequest(
            run_key=run_key,
            run_config=source_run_config(source),
            tags={"warehouse/source": source[:63], "warehouse/source_version": version[:63]},
        )

    return upstream_change_sensor


build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Ingest the source, build every dbt model, run every check, publish the audited marts.",
)


def automation_definitions(settings: WarehouseSettings) -> dg.Definitions:
    """The job, and when it runs: the cron and the interval are part of the definitions, read when they load."""
    return dg.Definitions(
        jobs=[build_warehouse],
        schedules=[build_refresh_schedule(build_warehouse, settings.refresh_cron)],
        sensors=[build_upstream_sensor(build_warehouse, settings.upstream_check_interval_seconds)],
    )
