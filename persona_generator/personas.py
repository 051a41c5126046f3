"""Generate realistic Nemotron-Personas rows, shard by shard, in either release format.

Demographics come from the Census seeds (see census.py); everything is drawn
with NumPy and assembled with Arrow compute, so a million rows take well under
the three minutes the source issue allows and memory stays per-shard.
"""

from __future__ import annotations

import functools
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import zipcodes

from dagster_project.defs.ingest.columns import REQUIRED_COLUMNS

from .census import (
    AGE_BANDS,
    EDUCATION_BANDS,
    FIELD_BANDS,
    MARITAL_BANDS,
    OLDEST_AGE,
    SEXES,
    CensusReference,
    band_bounds,
    band_index,
    load_census_reference,
)  # fmt: skip
from .prose import narratives, persona_context
from .vocabulary import (
    FIRST_NAMES,
    LAST_NAMES,
    OCCUPATIONS,
    hobby_vocabulary,
    skill_vocabulary,
)  # fmt: skip

USA_COLUMNS = (
    "uuid", "professional_persona", "sports_persona", "arts_persona", "travel_persona",
    "culinary_persona", "persona", "cultural_background", "skills_and_expertise",
    "skills_and_expertise_list", "hobbies_and_interests", "hobbies_and_interests_list",
    "career_goals_and_ambitions", "sex", "age", "marital_status", "education_level",
    "bachelors_field", "occupation", "city", "state", "zipcode", "country",
)  # fmt: skip
RELEASE_COLUMNS = {"usa": USA_COLUMNS, "original": REQUIRED_COLUMNS}

# Rates of the real list-format quirks (see NEMOTRON_PERSONAS.md); low, as in the real data.
TRAILING_COMMA_RATE = 0.002
ADJACENT_LITERAL_RATE = 0.001
SPELLING_VARIANT_RATE = 0.02
# Share of people outside the workforce by age band, chosen so that the overall
# share lands near the real ~43% and everyone 85+ is out, as the PGM forces.
NOT_IN_WORKFORCE_BY_AGE = ((18, 0.45), (25, 0.25), (55, 0.42), (65, 0.78), (75, 0.94), (85, 1.0))
NO_OCCUPATION_RATE = 0.03
EDUCATION_TIER = {"less_than_9th": 0, "9th_12th_no_diploma": 0, "high_school": 0, "some_college": 1,
                  "associates": 1, "bachelors": 2, "graduate": 3}  # fmt: skip


@dataclass(frozen=True)
class Vocabularies:
    skills: np.ndarray
    skill_weights: np.ndarray
    hobbies: np.ndarray
    hobby_weights: np.ndarray
    places: dict[str, tuple[np.ndarray, np.ndarray]]  # state -> (zipcodes, cities)


def _zipf(n: int, exponent: float = 0.8) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


def load_vocabularies(states: tuple[str, ...]) -> Vocabularies:
    places: dict[str, tuple[list, list]] = {s: ([], []) for s in states}
    for record in zipcodes.list_all():
        if record["active"] and record["zip_code_type"] == "STANDARD" and record["state"] in places:
            places[record["state"]][0].append(record["zip_code"])
            places[record["state"]][1].append(record["city"])
    # Shuffled once, with a fixed seed, so popularity does not follow the order the words were written in.
    order = np.random.default_rng(12345)
    skills, hobbies = order.permutation(skill_vocabulary()), order.permutation(hobby_vocabulary())
    return Vocabularies(
        skills=np.array(skills, dtype=object),
        skill_weights=_zipf(len(skills)),
        hobbies=np.array(hobbies, dtype=object),
        hobby_weights=_zipf(len(hobbies)),
        places={s: (np.array(z, dtype=object), np.array(c, dtype=object)) for s, (z, c) in places.items()},
    )


def _draw_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One categorical draw per row from a [rows, categories] probability matrix."""
    cumulative = probabilities.cumsum(axis=1)
    cumulative /= cumulative[:, -1:]
    return (rng.random((len(probabilities), 1)) > cumulative).sum(axis=1)


def _draw_demographics(rng: np.random.Generator, n: int, ref: CensusReference) -> dict[str, np.ndarray]:
    cell = rng.choice(ref.sex_age_band_weights.size, size=n, p=ref.sex_age_band_weights.ravel())
    sex_index, band = np.divmod(cell, len(AGE_BANDS))
    lows = np.array([band_bounds(b)[0] for b in AGE_BANDS])
    highs = np.array([band_bounds(b)[1] for b in AGE_BANDS])
    age = rng.integers(lows[band], highs[band] + 1)
    # 85+ is not uniform: survival falls off steeply, so draw the excess geometrically.
    oldest = band == len(AGE_BANDS) - 1
    age[oldest] = np.minimum(85 + rng.geometric(0.18, oldest.sum()) - 1, OLDEST_AGE)

    marital = _draw_rows(rng, ref.marital_weights[sex_index, band_index(age, MARITAL_BANDS)])

    state = rng.choice(len(ref.states), size=n, p=ref.state_weights)
    education_p = ref.education_weights[sex_index, band_index(age, EDUCATION_BANDS)].copy()
    # Tilt degree odds by the state's bachelor's-or-higher rate relative to the US.
    degree = [ref.education_levels.index("bachelors"), ref.education_levels.index("graduate")]
    education_p[:, degree] *= ref.state_degree_ratio[state][:, None]
    education = _draw_rows(rng, education_p)

    field_band = np.clip(band_index(np.maximum(age, 25), FIELD_BANDS), 0, len(FIELD_BANDS) - 1)
    field = _draw_rows(rng, ref.field_weights[sex_index, field_band])
    has_degree = np.isin(education, degree)
    return {"sex": sex_index, "age": age, "marital": marital, "state": state,
            "education": education, "field": field, "has_degree": has_degree}  # fmt: skip


def _draw_occupations(rng: np.random.Generator, age: np.ndarray, education_levels: list[str]) -> np.ndarray:
    names = np.array([o[0] for o in OCCUPATIONS] + ["not_in_workforce", "no_occupation"], dtype=object)
    tiers = np.array([o[1] for o in OCCUPATIONS])
    weights = np.array([o[2] for o in OCCUPATIONS])
    person_tier = np.array([EDUCATION_TIER[level] for level in education_levels])
    eligible = tiers[None, :] <= person_tier[:, None]
    # People with a degree mostly hold jobs that use it: boost those that need their tier.
    fit = np.where(tiers[None, :] == person_tier[:, None].clip(max=3), 4.0, 1.0)
    choice = _draw_rows(rng, eligible * weights[None, :] * fit)
    out_share = np.zeros(len(age))
    for start, share in NOT_IN_WORKFORCE_BY_AGE:
        out_share[age >= start] = share
    roll = rng.random(len(age))
    choice[roll < out_share] = len(OCCUPATIONS)
    choice[(roll >= out_share) & (roll < out_share + NO_OCCUPATION_RATE)] = len(OCCUPATIONS) + 1
    return names[choice]


def _draw_list_literals(
    rng: np.random.Generator, vocabulary: np.ndarray, weights: np.ndarray, n: int, low: int, high: int, row_offset: int
) -> list[str]:
    """Lists encoded exactly as Python's str(list) prints them, with the real quirks at low rates."""
    lengths = rng.integers(low, high + 1, size=n)
    # Spare draws, so that a list still reaches its length after duplicates are dropped.
    picks = rng.choice(len(vocabulary), size=(n, high + 8), p=weights)
    variant = rng.random((n, high)) < SPELLING_VARIANT_RATE
    quirk = rng.random(n)
    encoded = []
    for row in range(n):
        items = list(dict.fromkeys(vocabulary[picks[row]]))[: lengths[row]]
        for i in np.flatnonzero(variant[row, : len(items)]):
            items[i] = items[i].lower() if i % 2 else f" {items[i]}  "  # case and whitespace variants
        text = str(items)
        if quirk[row] < TRAILING_COMMA_RATE:
            text = text[:-1] + ",]"
        elif quirk[row] < TRAILING_COMMA_RATE + ADJACENT_LITERAL_RATE and text.startswith("['") and " " in items[0]:
            head, tail = items[0].split(" ", 1)
            if "'" not in items[0]:
                text = f"['{head} ' '{tail}'" + text[len(repr(items[0])) + 1 :]
        if row_offset + row == 7:  # exactly one row in a dataset has an extra outer list, as in the real data
            text = f"[{text}]"
        encoded.append(text)
    return encoded


def generate_shard(
    seed: int, shard: int, n: int, row_offset: int, release: str, ref: CensusReference, vocab: Vocabularies
) -> pa.Table:
    rng = np.random.default_rng([seed, shard])
    d = _draw_demographics(rng, n, ref)
    sex = np.array(SEXES, dtype=object)[d["sex"]]
    education = np.array(ref.education_levels, dtype=object)[d["education"]]
    no_field = "" if release == "usa" else None
    field = np.where(d["has_degree"], np.array(ref.degree_fields, dtype=object)[d["field"]], no_field)
    states = np.array(ref.states, dtype=object)[d["state"]]
    zip_codes = np.empty(n, dtype=object)
    cities = np.empty(n, dtype=object)
    towns = np.empty(n, dtype=object)  # another place in the state, which narratives mention
    for code in np.unique(states):
        rows = np.flatnonzero(states == code)
        pool_zip, pool_city = vocab.places[code]
        pick = rng.integers(0, len(pool_zip), size=len(rows))
        zip_codes[rows], cities[rows] = pool_zip[pick], pool_city[pick]
        towns[rows] = pool_city[rng.integers(0, len(pool_city), size=len(rows))]
    first = np.where(
        d["sex"] == 0,
        np.array(FIRST_NAMES["Male"], dtype=object)[rng.integers(0, len(FIRST_NAMES["Male"]), n)],
        np.array(FIRST_NAMES["Female"], dtype=object)[rng.integers(0, len(FIRST_NAMES["Female"]), n)],
    )
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    marital = np.array(ref.marital_statuses, dtype=object)[d["marital"]]
    occupation = _draw_occupations(rng, d["age"], list(education))
    state_names = np.array(ref.state_names, dtype=object)[d["state"]]
    context = persona_context(rng, first, last, sex, d["age"], marital, occupation, cities, state_names, towns)
    raw_ids = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    ids = [row.tobytes().hex() if release == "usa" else str(uuid.UUID(bytes=row.tobytes())) for row in raw_ids]

    columns = {
        "uuid": pa.array(ids, pa.string()),
        **narratives(rng, context),
        "skills_and_expertise_list": pa.array(
            _draw_list_literals(rng, vocab.skills, vocab.skill_weights, n, 6, 16, row_offset), pa.string()),
        "hobbies_and_interests_list": pa.array(
            _draw_list_literals(rng, vocab.hobbies, vocab.hobby_weights, n, 5, 14, row_offset), pa.string()),
        "sex": pa.array(sex, pa.string()),
        "age": pa.array(d["age"], pa.int64()),
        "marital_status": pa.array(marital, pa.string()),
        "education_level": pa.array(education, pa.string()),
        "bachelors_field": pa.array(field, pa.string()),
        "occupation": pa.array(occupation, pa.string()),
        "city": pa.array(cities, pa.string()),
        "state": pa.array(states, pa.string()),
        "zipcode": pa.array(zip_codes, pa.string()),
        "country": pa.array(np.full(n, "USA", dtype=object), pa.string()),
    }  # fmt: skip
    names_in_order = RELEASE_COLUMNS[release]
    return pa.table({name: columns[name] for name in names_in_order})


# The Hub's shards hold LLM-written text whose codec is not published (NEMOTRON_PERSONAS.md: open); snappy is
# the default of pyarrow and of the `datasets` library that writes most Hub parquet, and on this generator's
# text it gives 2.3 KB a row against the Hub's 2.7 (zstd: 1.4 KB).
COMPRESSION = "snappy"


def write_dataset(
    out_dir: Path, rows: int, seed: int = 0, release: str = "usa", rows_per_shard: int = 100_000, workers: int = 2
) -> list[Path]:
    """Write `rows` personas as data/train-0000i-of-0000N.parquet under out_dir, shard by shard, `workers`
    shards at a time (each process holds one shard: memory stays bounded whatever the size)."""
    if release not in RELEASE_COLUMNS:
        raise ValueError(f"release must be one of {sorted(RELEASE_COLUMNS)}, not {release!r}")
    shards = max(1, -(-rows // rows_per_shard))
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    jobs = [
        (data_dir / f"train-{shard:05d}-of-{shards:05d}.parquet", seed, shard, shard * rows // shards,
         (shard + 1) * rows // shards - shard * rows // shards, release)
        for shard in range(shards)
    ]  # fmt: skip
    if workers <= 1 or shards == 1:
        return [_write_shard(*job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_write_shard, *zip(*jobs, strict=True)))


def _write_shard(path: Path, seed: int, shard: int, start: int, count: int, release: str) -> Path:
    ref, vocab = _reference_and_vocabularies()
    table = generate_shard(seed, shard, count, start, release, ref, vocab)
    pq.write_table(table, path, compression=COMPRESSION, row_group_size=min(count, 50_000))
    return path


@functools.cache
def _reference_and_vocabularies() -> tuple[CensusReference, Vocabularies]:
    """Read once per process, whatever the number of shards it writes."""
    ref = load_census_reference()
    return ref, load_vocabularies(ref.states)
