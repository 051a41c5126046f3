"""Scheduled operation: a weekly refresh, and a sensor that refreshes when the upstream source changes.

Both launch the whole build_warehouse job (ingest → dbt → checks → publish), so every refresh is
audited before it is published. The sensor compares the source's current version with the one
the serving file was published from - that file is never write-locked, so the sensor can always
read it - and keys each run by the version, so one version never runs twice.
"""

import dagster as dg

from ..lib.publishing import ServingLayout
from ..settings import WarehouseSettings
from ..sources.files import SourceFileError
from ..sources.hub import SourceUnavailableError, current_hub_revision
from ..sources.resolve import resolve_source
from ..sources.spec import HubSource, SourceSpecError, parse_source_spec


def upstream_version(settings: WarehouseSettings) -> tuple[str, bool]:
    """The source's current version and whether it is the one being served.

    Hub sources: the commit the pinned revision points at (asked of the Hub, nothing downloaded).
    Local sources and the sample: the content fingerprint the ingest records.
    """
    served = ServingLayout(settings.warehouse_dir).current_entry() or {}
    spec = parse_source_spec(settings.personas_source)
    if isinstance(spec, HubSource):
        commit = current_hub_revision(spec, settings.hf_token, settings.hf_endpoint)
        return f"{spec.repo_id}@{commit}", served.get("source_revision") == commit
    fingerprint = resolve_source(settings.personas_source).fingerprint
    return fingerprint, served.get("source_fingerprint") == fingerprint


def build_refresh_schedule(job, cron: str) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="weekly_refresh",
        job=job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Refresh and publish the whole warehouse ({cron} UTC; set WAREHOUSE_REFRESH_CRON to change).",
    )


def build_upstream_sensor(job, interval_seconds: int) -> dg.SensorDefinition:
    @dg.sensor(
        name="upstream_change_sensor",
        job=job,
        minimum_interval_seconds=interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Runs build_warehouse when PERSONAS_SOURCE changed since the published version: a new commit on the "
            "Hub revision, or new content in local files (UPSTREAM_CHECK_INTERVAL_SECONDS between checks)."
        ),
    )
    def upstream_change_sensor(context: dg.SensorEvaluationContext):
        settings = WarehouseSettings.from_env()
        try:
            version, served = upstream_version(settings)
        except (SourceUnavailableError, SourceFileError, SourceSpecError, OSError) as error:
            return dg.SkipReason(f"Could not check {settings.personas_source}: {error} Will try again next tick.")
        context.update_cursor(version)
        if served:
            return dg.SkipReason(f"{settings.personas_source} is unchanged: version {version} is already published.")
        return dg.RunRequest(run_key=version, tags={"warehouse/source_version": version[:63]})

    return upstream_change_sensor
