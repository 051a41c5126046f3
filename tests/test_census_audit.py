"""The census audit: passes on the Census-following sample, recomputes independently, and fails on skewed data."""

import dagster as dg
import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import zipcodes

from dagster_project.definitions import defs
from dagster_project.settings import DBT_PROJECT_DIR
from persona_generator.vocabulary import OCCUPATIONS
from tests.conftest import write_table
from tests.warehouse_runs import build

SEEDS = DBT_PROJECT_DIR / "seeds"
AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]


def seed(name: str, folder: str = "census") -> pd.DataFrame:
    return pd.read_csv(SEEDS / folder / f"{name}.csv", dtype={"fips": str})


def age_band(age: pd.Series) -> pd.Series:
    return pd.cut(age, [17, 24, 34, 44, 54, 64, 74, 200], labels=AGE_BANDS).astype(str)


def distribution(con, dimension: str, universe: str = "adults 18+") -> pd.DataFrame:
    return con.sql(
        "SELECT * FROM marts.mart_census_alignment WHERE dimension = $d AND universe = $u ORDER BY category",
        params={"d": dimension, "u": universe},
    ).df()


def tvd(p: pd.Series, q: pd.Series) -> float:
    p, q = p.align(q, fill_value=0)
    return 0.5 * (p - q).abs().sum()


def jsd(p: pd.Series, q: pd.Series) -> float:
    p, q = p.align(q, fill_value=0)
    m = (p + q) / 2
    return float(sum(0.5 * a * np.log2(a / c) for a, c in zip(p, m, strict=True) if a > 0)
                 + sum(0.5 * b * np.log2(b / c) for b, c in zip(q, m, strict=True) if b > 0))  # fmt: skip


@pytest.fixture(scope="module")
def audited(sample_warehouse):
    result, _, warehouse_dir = sample_warehouse
    con = duckdb.connect(str(warehouse_dir / "personas.duckdb"), read_only=True)
    raw = con.sql("SELECT * FROM raw.personas").df()
    yield result, con, raw, warehouse_dir
    con.close()


def test_the_sample_follows_the_census(audited):
    result, con, _, warehouse_dir = audited
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["gx_census_alignment"] and checks["gx_persona_consistency"]
    summary = con.sql(
        "SELECT dimension, universe, max(total_variation_distance) AS tvd, bool_and(within_threshold) AS ok "
        "FROM marts.mart_census_alignment GROUP BY ALL"
    ).df()
    assert len(summary) == 13 and summary.ok.all()  # 6 dimensions, marital status also within 7 age bands
    # small divergences: the sample is drawn from these Census tables; with 2,000 personas, sampling alone
    # puts the state distribution (52 categories) about 0.06 from the Census
    assert (summary.tvd < 0.08).all() and summary.tvd.median() < 0.03
    report = next(m for m in result.get_asset_materialization_events()
                  if m.asset_key == dg.AssetKey("census_audit_report")).materialization.metadata  # fmt: skip
    page = (warehouse_dir / "reports" / "census_audit.html").read_text(encoding="utf-8")
    assert report["report"].value == str(warehouse_dir / "reports" / "census_audit.html")
    assert page.count("data:image/png;base64,") == 3 and "0 of 13 distributions off the Census" in page
    assert report["Age pyramid"].value.startswith("![Age pyramid](data:image/png;base64,")


def test_the_coherence_rules_on_the_generated_narratives(audited):
    """The generator's narratives refer to the persona as the real rows do (test_build_command holds the
    rules on the five real rows): every persona's narratives name the city, and most personas out of the
    workforce give a work status - not all, so that the rule has something to count."""
    _, con, _, _ = audited
    rates = dict(con.sql("SELECT rule_name, flagged_rate FROM marts.mart_persona_consistency").fetchall())
    assert rates["narratives_without_home_place"] == 0
    assert 0 < rates["not_in_workforce_narrative_without_work_status"] < 0.2


def test_sex_and_state_divergence_recomputed_from_raw_rows_and_seeds(audited):
    _, con, raw, _ = audited
    adults = raw[raw.age >= 18]
    census = seed("ref_census_age_distribution").query("year == 2018 and age_band == '18+' and sex != 'both'")
    census_sex = census.set_index(census.sex.str.title())["count"]
    mart = distribution(con, "sex").set_index("category")
    assert mart.total_variation_distance.iloc[0] == pytest.approx(
        tvd(adults.sex.value_counts(normalize=True), census_sex / census_sex.sum())
    )
    states = seed("ref_census_states").set_index("usps").adults18plus_2018_acs1_B01001
    mart = distribution(con, "state").set_index("category")
    persona_shares = adults.state.value_counts(normalize=True)
    assert mart.total_variation_distance.iloc[0] == pytest.approx(tvd(persona_shares, states / states.sum()))
    assert mart.jensen_shannon_divergence.iloc[0] == pytest.approx(jsd(persona_shares, states / states.sum()))
    assert mart.loc["CA", "difference_pp"] == pytest.approx(100 * (persona_shares["CA"] - states["CA"] / states.sum()))


def test_marital_status_of_the_oldest_recomputed(audited):
    _, con, raw, _ = audited
    census = seed("ref_census_marital_status_by_age").query("sex == 'both' and age_band in ['75-84', '85+']")
    codes = seed("ref_census_marital_status_codes").set_index("census_category").marital_status
    counts = census.filter(like="n_").sum().rename(lambda c: codes[c.removeprefix("n_")]).groupby(level=0).sum()
    oldest = raw[raw.age >= 75].marital_status.value_counts(normalize=True)
    mart = con.sql(
        "SELECT * FROM marts.mart_marital_status_by_age_vs_census WHERE sex = 'All' AND age_band = '75+'"
    ).df().set_index("marital_status")  # fmt: skip
    pd.testing.assert_series_equal(
        mart.census_share_within_age_band.sort_index(), (counts / counts.sum()).sort_index(), check_names=False
    )
    assert mart.loc["widowed", "persona_share_within_age_band"] == pytest.approx(oldest["widowed"])
    alignment = distribution(con, "marital_status", "adults 75+")
    assert alignment.total_variation_distance.iloc[0] == pytest.approx(tvd(oldest, counts / counts.sum()))


def test_bachelors_rate_by_state_and_its_correlation_recomputed(audited):
    _, con, raw, _ = audited
    adults = raw[raw.age >= 25]
    rate = adults.education_level.isin(["bachelors", "graduate"]).groupby(adults.state).mean()
    acs = seed("ref_census_education_by_state").set_index("usps").pct_bachelors_or_higher / 100
    mart = con.sql("SELECT * FROM marts.mart_education_by_state_vs_census").df().set_index("state")
    assert mart.loc["CA", "persona_rate"] == pytest.approx(rate["CA"])
    assert mart.loc["CA", "acs_rate"] == pytest.approx(acs["CA"])
    assert mart.correlation_across_states.iloc[0] == pytest.approx(rate.corr(acs.loc[rate.index]))


def test_the_occupation_reference_matches_the_generator():
    reference = seed("ref_occupation_entry_education", "occupations").set_index("occupation").minimum_education_level
    generator = {name: tier for name, tier, _ in OCCUPATIONS if tier >= 2}
    assert generator == {name: {"bachelors": 2, "graduate": 3}[level] for name, level in reference.items()}


AUDIT_SELECTION = (
    dg.AssetSelection.assets("raw_personas", ["reference", "ref_zipcodes"])
    | dg.AssetSelection.groups("staging", "reference")
    | dg.AssetSelection.assets(
        ["marts", "dim_persona"],
        ["intermediate", "int_census_distributions"],
        ["intermediate", "int_census_marital_status_by_age_band"],
        ["marts", "mart_census_alignment"],
        ["marts", "mart_persona_consistency"],
    )
)


def audit_skewed(tmp_path, monkeypatch, frame: pd.DataFrame):
    write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "src" / "data" / "train.parquet")
    result = build(monkeypatch, tmp_path / "wh", tmp_path / "src",
                   selection=sorted(AUDIT_SELECTION.resolve(defs.resolve_asset_graph())))  # fmt: skip
    assert result.success  # the audit warns; it does not stop the run
    failures = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    con = duckdb.connect(str(tmp_path / "wh" / "personas.duckdb"), read_only=True)
    return failures, con


def off_census(con) -> set[str]:
    rows = con.sql("SELECT DISTINCT dimension || ' / ' || universe FROM marts.mart_census_alignment "
                   "WHERE NOT within_threshold").fetchall()  # fmt: skip
    return {r[0] for r in rows}


def test_one_state_and_one_age_group_fail_their_distributions_only(tmp_path, monkeypatch, make_table):
    frame = make_table(600, seed=41).to_pandas()
    in_california = frame.state == "CA"
    frame.loc[~in_california, ["state", "city", "zipcode"]] = (
        frame.loc[in_california, ["state", "city", "zipcode"]].iloc[0].values
    )
    frame["age"] = 30 + np.arange(len(frame)) % 10
    failures, con = audit_skewed(tmp_path, monkeypatch, frame)
    assert set(failures) == {"gx_census_alignment", "gx_distribution_personas"}  # both warn; neither blocks
    off = off_census(con)
    assert {"state / adults 18+", "age_band / adults 18+"} <= off
    assert not {d for d in off if d.startswith(("sex", "bachelors_field"))}
    state = distribution(con, "state")
    assert state.total_variation_distance.iloc[0] == pytest.approx(1 - state.set_index("category").census_share["CA"])
    assert "state (adults 18+): total variation distance" in failures["gx_census_alignment"].metadata["failures"].value


def test_marital_status_shuffled_across_ages_and_wrong_zipcodes_fail(tmp_path, monkeypatch, make_table):
    frame = make_table(600, seed=42).to_pandas().sort_values("age", ignore_index=True)
    # The same statuses, the widowed and divorced handed to the youngest: only their ages change.
    order = {"widowed": 0, "divorced": 1, "separated": 2, "married_present": 3, "never_married": 4}
    frame["marital_status"] = sorted(frame.marital_status, key=order.get)
    moved = frame.index[:40]  # 40 people given the ZIP code of someone in another state
    donors = frame[frame.state != frame.state.iloc[0]].zipcode.iloc[:40].values
    frame.loc[moved, "zipcode"] = donors
    failures, con = audit_skewed(tmp_path, monkeypatch, frame)
    # distribution_personas sees the widowed under 35 too; all three warn and none blocks
    assert set(failures) == {"gx_census_alignment", "gx_persona_consistency", "gx_distribution_personas"}
    off = off_census(con)
    assert "marital_status / adults 18+" not in off  # the overall mix is untouched
    assert {"marital_status / adults 18-24", "marital_status / adults 75+"} <= off
    rules = con.sql("SELECT * FROM marts.mart_persona_consistency").df().set_index("rule_name")
    expected_moved = sum(zipcodes.matching(z)[0]["state"] != s for z, s in zip(frame.zipcode, frame.state, strict=True))
    assert rules.loc["zipcode_in_another_state", "flagged_count"] == expected_moved >= 30
    assert (
        rules.loc["widowed_under_25", "flagged_count"]
        == ((frame.age <= 24) & (frame.marital_status == "widowed")).sum()
        > 0
    )
    observed = failures["gx_persona_consistency"].metadata["failures"].value
    assert "zipcode_in_another_state" in observed and "widowed_under_25" in observed
