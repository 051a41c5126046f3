"""The census audit as a page a person reads at a glance: summary tables and three charts.

Everything comes from the audit marts of the build database; nothing is computed here
except the layout. The page is one self-contained HTML file (charts embedded as PNG).
"""

import base64
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import jinja2
import matplotlib
import pandas as pd

matplotlib.use("Agg")  # no display: render to PNG only
import matplotlib.pyplot as plt  # noqa: E402

# The report page: HTML escaping by the template engine, not by hand.
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True, keep_trailing_newline=True
)

DATASET_COLOR, CENSUS_COLOR = "#3b6ea5", "#d9822b"


@dataclass(frozen=True)
class CensusAudit:
    distributions: pd.DataFrame  # one row per audited distribution
    largest_differences: pd.DataFrame
    consistency: pd.DataFrame
    pyramid: pd.DataFrame
    marital: pd.DataFrame
    states: pd.DataFrame

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> "CensusAudit":
        return cls(
            distributions=con.sql(
                """select dimension, universe, any_value(universe_persona_count) as personas,
                       any_value(total_variation_distance) as total_variation_distance,
                       any_value(jensen_shannon_divergence) as jensen_shannon_divergence,
                       any_value(tvd_threshold) as tvd_threshold, bool_and(within_threshold) as within_threshold,
                       any_value(census_source) as census_source
                   from marts.mart_census_alignment group by dimension, universe order by dimension, universe"""
            ).df(),
            largest_differences=con.sql(
                """select dimension, universe, category, persona_share, census_share, difference_pp
                   from marts.mart_census_alignment order by abs(difference_pp) desc limit 10"""
            ).df(),
            consistency=con.sql(
                """select rule_group, rule_name, universe_count, flagged_count, flagged_rate, threshold,
                       within_threshold from marts.mart_persona_consistency"""
            ).df(),
            pyramid=con.sql("select * from marts.mart_age_pyramid_vs_census order by age_band_start, sex").df(),
            marital=con.sql(
                "select * from marts.mart_marital_status_by_age_vs_census where sex = 'All' order by age_band"
            ).df(),
            states=con.sql("select * from marts.mart_education_by_state_vs_census order by state").df(),
        )

    @property
    def distributions_off_census(self) -> int:
        return int((~self.distributions.within_threshold.astype(bool)).sum())

    @property
    def rules_over_threshold(self) -> int:
        return int((self.consistency.within_threshold == False).sum())  # noqa: E712 - NULL means reported only


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def age_pyramid_chart(pyramid: pd.DataFrame) -> bytes:
    """Dataset shares as bars (men left, women right) over the Census pyramid as an outline."""
    figure, axis = plt.subplots(figsize=(7, 5))
    bands = pyramid.age_band.unique().tolist()
    for sex, sign in [("Male", -1), ("Female", 1)]:
        rows = pyramid[pyramid.sex == sex].set_index("age_band").loc[bands]
        axis.barh(bands, sign * 100 * rows.persona_share, color=DATASET_COLOR, alpha=0.75,
                  label="dataset" if sex == "Male" else None)  # fmt: skip
        axis.plot(sign * 100 * rows.census_share_acs_2018, bands, color=CENSUS_COLOR, marker="D", markersize=4,
                  label="Census (ACS 2018)" if sex == "Male" else None)  # fmt: skip
    axis.axvline(0, color="black", linewidth=0.8)
    axis.set_xlabel("share of all adults, % (men left, women right)")
    axis.set_title("Age pyramid: dataset vs Census")
    axis.legend(loc="lower right")
    return _png(figure)


def marital_status_chart(marital: pd.DataFrame) -> bytes:
    """Share of each marital status by age band: dataset solid, Census dashed."""
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for index, (status, rows) in enumerate(marital.groupby("marital_status", sort=True)):
        color = f"C{index}"
        axis.plot(rows.age_band, 100 * rows.persona_share_within_age_band, color=color, marker="o", label=status)
        axis.plot(rows.age_band, 100 * rows.census_share_within_age_band, color=color, linestyle="--")
    axis.set_ylabel("% of the age band")
    axis.set_title("Marital status by age: dataset (solid) vs Census (dashed)")
    axis.legend(fontsize=8)
    return _png(figure)


def bachelors_by_state_chart(states: pd.DataFrame) -> bytes:
    """Each state's bachelor's-or-higher rate (25+) in the dataset against ACS, with the dataset's standard error."""
    rows = states.dropna(subset=["persona_rate"])
    figure, axis = plt.subplots(figsize=(7, 6))
    axis.errorbar(100 * rows.acs_rate, 100 * rows.persona_rate, yerr=100 * rows.persona_rate_standard_error,
                  fmt="o", color=DATASET_COLOR, ecolor="#9bb7d4", markersize=4)  # fmt: skip
    for row in rows.itertuples():
        axis.annotate(row.state, (100 * row.acs_rate, 100 * row.persona_rate), fontsize=7, xytext=(3, 2),
                      textcoords="offset points")  # fmt: skip
    high = 5 + 100 * max(rows.acs_rate.max(), rows.persona_rate.max(), 0.5)
    axis.plot([0, high], [0, high], color=CENSUS_COLOR, linestyle="--", label="dataset = ACS")
    correlation = rows.correlation_across_states.iloc[0] if len(rows) else float("nan")
    axis.set_title(f"Bachelor's or higher, adults 25+, by state (correlation {correlation:.2f})")
    axis.set_xlabel("ACS 2018, %")
    axis.set_ylabel("dataset, % (bar: one standard error)")
    axis.legend(loc="upper left")
    return _png(figure)


def charts(audit: CensusAudit) -> dict[str, bytes]:
    return {
        "Age pyramid": age_pyramid_chart(audit.pyramid),
        "Marital status by age": marital_status_chart(audit.marital),
        "Bachelor's or higher by state": bachelors_by_state_chart(audit.states),
    }


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def summary_markdown(audit: CensusAudit) -> str:
    table = audit.distributions[["dimension", "universe", "personas", "total_variation_distance",
                                 "jensen_shannon_divergence", "tvd_threshold", "within_threshold"]]  # fmt: skip
    return table.to_markdown(index=False, floatfmt=".4f")


def write_report(audit: CensusAudit, images: dict[str, bytes], path: Path, source: str) -> Path:
    """The self-contained HTML page."""
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    verdict = (
        f"{audit.distributions_off_census} of {len(audit.distributions)} distributions off the Census beyond "
        f"their threshold; {audit.rules_over_threshold} consistency rules over their threshold."
    )
    tables = [
        ("Distributions against the Census", audit.distributions),
        ("Largest differences (percentage points)", audit.largest_differences),
        ("Consistency rules (rules without a threshold are reported only)", audit.consistency),
    ]
    page = TEMPLATES.get_template("census_audit.html.j2").render(
        source=source,
        generated=generated,
        verdict=verdict,
        figures=[{"title": title, "src": data_uri(png)} for title, png in images.items()],
        # pandas escapes the cells; the template escapes everything else
        tables=[
            {"title": title, "html": frame.to_html(index=False, float_format="{:.4f}".format, na_rep="")}
            for title, frame in tables
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
