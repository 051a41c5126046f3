"""Compare two sets of personas attribute by attribute: shares, difference, total variation distance and
Jensen-Shannon divergence (base 2, as the census audit computes them), plus the guide's summary statistics."""

from __future__ import annotations

import duckdb

ATTRIBUTES = (
    "sex",
    "age_band",
    "marital_status",
    "education_level",
    "bachelors_field",
    "occupation_group",
    "state",
)
SIDES = ("left_side", "right_side")


def attribute_table(con: duckdb.DuckDBPyConnection, attribute: str) -> duckdb.DuckDBPyRelation:
    """One row per category of the attribute on either side: each side's share and the difference."""
    column = f"coalesce(\"{attribute}\"::varchar, '(none)')"
    return con.sql(f"""
        with left_counts as (select {column} as category, count(*) as n from left_side group by 1),
        right_counts as (select {column} as category, count(*) as n from right_side group by 1)
        select
            coalesce(l.category, r.category) as category,
            coalesce(l.n, 0) / sum(coalesce(l.n, 0)) over () as left_share,
            coalesce(r.n, 0) / sum(coalesce(r.n, 0)) over () as right_share,
            right_share - left_share as difference
        from left_counts as l full outer join right_counts as r on l.category = r.category
        order by category
    """)


def distances(shares: duckdb.DuckDBPyRelation) -> tuple[float, float]:
    """Total variation distance and Jensen-Shannon divergence (bits) between the two sides' shares."""
    return shares.query(
        "shares",
        """select
            0.5 * sum(abs(left_share - right_share)),
            sum(
                case when left_share > 0
                    then 0.5 * left_share * log2(left_share / ((left_share + right_share) / 2)) else 0 end
                + case when right_share > 0
                    then 0.5 * right_share * log2(right_share / ((left_share + right_share) / 2)) else 0 end
            )
        from shares""",
    ).fetchone()


def summary(con: duckdb.DuckDBPyConnection, side: str, attributes: list[str]) -> dict[str, float]:
    """The guide's summary statistics of one side."""
    stats = dict(
        zip(
            ["personas", "age_mean", "age_median", "age_std", "age_cv", "age_skewness", "persona_text_length_mean"],
            con.sql(f"""select count(*), avg(age), median(age), stddev_samp(age), stddev_samp(age) / avg(age),
                skewness(age), avg(length(persona)) from {side}""").fetchone(),
            strict=True,
        )
    )
    # Gini coefficient of the education levels' counts (0: every level equally common)
    stats["education_gini"] = con.sql(f"""
        with counts as (select count(*) as n from {side} group by education_level),
        ranked as (select n, row_number() over (order by n) as i, count(*) over () as k from counts)
        select sum((2 * i - k - 1) * n) / (max(k) * sum(n)) from ranked""").fetchone()[0]
    for attribute in attributes:
        stats[f"{attribute}_entropy_bits"] = con.sql(f"""
            with counts as (select count(*) as n from {side} group by "{attribute}")
            select -sum(n / total * log2(n / total)) from counts, (select count(*) as total from {side})
        """).fetchone()[0]
    return stats
