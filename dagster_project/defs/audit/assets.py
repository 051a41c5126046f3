"""The census audit report: a page under warehouse/reports/ on every run, linked from the asset's metadata."""

import dagster as dg

from ..resources import WarehouseResource
from .report import CensusAudit, charts, data_uri, summary_markdown, write_report

AUDIT_MARTS = [
    "mart_census_alignment",
    "mart_persona_consistency",
    "mart_age_pyramid_vs_census",
    "mart_marital_status_by_age_vs_census",
    "mart_education_by_state_vs_census",
]
AUDIT_MART_KEYS = [dg.AssetKey(["marts", name]) for name in AUDIT_MARTS]


@dg.asset(
    key="census_audit_report",
    group_name="census_audit",
    deps=AUDIT_MART_KEYS,
    kinds={"html"},
    description=(
        "warehouse/reports/census_audit.html - how far the personas are from the US Census and how "
        "consistent they are, with the age pyramid, marital status by age and bachelor's rate by state."
    ),
)
def census_audit_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect(read_only=True) as con:
        audit = CensusAudit.read(con)
        source = con.execute(
            "SELECT source_spec || ' (' || left(fingerprint, 12) || ')' FROM raw.source_loads "
            "ORDER BY loaded_at DESC LIMIT 1"
        ).fetchone()[0]
    images = charts(audit)
    report = write_report(audit, images, warehouse.settings.warehouse_dir / "reports" / "census_audit.html", source)
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.path(str(report)),
            "distributions_off_census": audit.distributions_off_census,
            "consistency_rules_over_threshold": audit.rules_over_threshold,
            "distributions": dg.MetadataValue.md(summary_markdown(audit)),
            **{title: dg.MetadataValue.md(f"![{title}]({data_uri(png)})") for title, png in images.items()},
        }
    )
