"""The Census distributions the generator samples from, read from the project's dbt seeds.

dbt loads the same CSVs as `ref_census_*` tables, so the generator and the
warehouse's checks share one source of truth.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from dagster_project.settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds" / "census"
SEXES = ("Male", "Female")
OLDEST_AGE = 100  # the generator's oldest persona: the top bands (85+, 65+) are open-ended in the seed


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# Every band's bounds, read from their one home (the seed ref_age_bands): {band_system: {band: (first, last)}}.
BAND_BOUNDS: dict[str, dict[str, tuple[int, int]]] = {}
for _band in sorted(_rows("ref_age_bands"), key=lambda row: int(row["age_from"])):
    BAND_BOUNDS.setdefault(_band["band_system"], {})[_band["age_band"]] = (
        int(_band["age_from"]),
        int(_band["age_to"] or OLDEST_AGE),
    )
# The bands each Census table is published in, youngest first. B12002 (marital status) has five-year
# bands to 64 and ten-year bands from 65.
AGE_BANDS = tuple(BAND_BOUNDS["acs_five_year"])
MARITAL_BANDS = tuple(b for b in AGE_BANDS if BAND_BOUNDS["acs_five_year"][b][1] < 65) + tuple(
    b for b in BAND_BOUNDS["acs_ten_year"] if BAND_BOUNDS["acs_ten_year"][b][0] >= 65
)
EDUCATION_BANDS = tuple(BAND_BOUNDS["acs_education"])
FIELD_BANDS = tuple(BAND_BOUNDS["acs_field_of_degree"])
_ALL_BOUNDS = {band: bounds for system in BAND_BOUNDS.values() for band, bounds in system.items()}


def band_bounds(band: str) -> tuple[int, int]:
    return _ALL_BOUNDS[band]


def band_index(ages: np.ndarray, bands: tuple[str, ...]) -> np.ndarray:
    """Index of the band each age falls in (bands are contiguous and ordered)."""
    lows = np.array([band_bounds(b)[0] for b in bands])
    return np.searchsorted(lows, ages, side="right") - 1


@dataclass(frozen=True)
class CensusReference:
    states: tuple[str, ...]
    state_names: tuple[str, ...]
    state_weights: np.ndarray  # adult population share, ACS 2018 (includes PR)
    state_degree_ratio: np.ndarray  # state bachelor's+ rate / US rate
    sex_age_band_weights: np.ndarray  # [sex, AGE_BANDS]
    marital_statuses: tuple[str, ...]
    marital_weights: np.ndarray  # [sex, MARITAL_BANDS, status]
    education_levels: tuple[str, ...]
    education_weights: np.ndarray  # [sex, EDUCATION_BANDS, level]
    degree_fields: tuple[str, ...]
    field_weights: np.ndarray  # [sex, FIELD_BANDS, field]


def load_census_reference() -> CensusReference:
    states = _rows("ref_census_states")
    state_codes = tuple(r["usps"] for r in states)
    adults = np.array([float(r["adults18plus_2018_acs1_B01001"]) for r in states])
    degree = {r["usps"]: float(r["pct_bachelors_or_higher"]) for r in _rows("ref_census_education_by_state")}
    ratio = np.array([degree[s] / degree["US"] for s in state_codes])

    sex_key = {"male": 0, "female": 1}
    ages = np.zeros((2, len(AGE_BANDS)))
    for r in _rows("ref_census_age_distribution"):
        if r["year"] == "2018" and r["sex"] in sex_key and r["age_band"] in AGE_BANDS:
            ages[sex_key[r["sex"]], AGE_BANDS.index(r["age_band"])] = float(r["count"])

    marital_codes = {r["census_category"]: r["marital_status"] for r in _rows("ref_census_marital_status_codes")}
    statuses = tuple(dict.fromkeys(marital_codes.values()))
    marital = np.zeros((2, len(MARITAL_BANDS), len(statuses)))
    for r in _rows("ref_census_marital_status_by_age"):
        if r["sex"] in sex_key and r["age_band"] in MARITAL_BANDS:
            for census_category, status in marital_codes.items():
                marital[sex_key[r["sex"]], MARITAL_BANDS.index(r["age_band"]), statuses.index(status)] += float(
                    r[f"n_{census_category}"]
                )

    education_codes = {r["census_level_key"]: r["education_level"] for r in _rows("ref_census_education_codes")}
    levels = tuple(education_codes.values())
    education = np.zeros((2, len(EDUCATION_BANDS), len(levels)))
    for r in _rows("ref_census_education_by_age_sex"):
        education[
            sex_key[r["sex"]], EDUCATION_BANDS.index(r["age_band"]), levels.index(education_codes[r["level_key"]])
        ] = float(r["count"])

    field_codes = {r["census_field"]: r["bachelors_field"] for r in _rows("ref_census_degree_field_codes")}
    fields = tuple(field_codes.values())
    field = np.zeros((2, len(FIELD_BANDS), len(fields)))
    for r in _rows("ref_census_field_of_degree"):
        if r["geo"] == "US" and r["sex"] in sex_key and r["age_band"] in FIELD_BANDS:
            field[sex_key[r["sex"]], FIELD_BANDS.index(r["age_band"]), fields.index(field_codes[r["field"]])] = float(
                r["count"]
            )

    return CensusReference(
        states=state_codes,
        state_names=tuple(r["name"] for r in states),
        state_weights=adults / adults.sum(),
        state_degree_ratio=ratio,
        sex_age_band_weights=ages / ages.sum(),
        marital_statuses=statuses,
        marital_weights=marital / marital.sum(axis=2, keepdims=True),
        education_levels=levels,
        education_weights=education / education.sum(axis=2, keepdims=True),
        degree_fields=fields,
        field_weights=field / field.sum(axis=2, keepdims=True),
    )
