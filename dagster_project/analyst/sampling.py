"""How many personas each stratum gives to a sample of n: balanced (equal counts) or proportional (exact shares).

Only the per-stratum counts come to Python (a few hundred numbers at most); which personas are drawn is
decided in SQL (`draw_order`), so sampling 1M personas never loads them into Python.
"""

from __future__ import annotations

from dataclasses import dataclass

Stratum = tuple  # the values of the --by columns, in order


@dataclass(frozen=True)
class Shortfall:
    stratum: Stratum
    available: int
    equal_share: int  # what an equal split would have given it


def balanced_quotas(available: dict[Stratum, int], n: int) -> tuple[dict[Stratum, int], list[Shortfall]]:
    """Equal counts per stratum, exactly n in total: a stratum with fewer personas than an equal share gives
    all it has, and what it lacks is shared equally among the others (water-filling). Counts of the full
    strata differ by at most one: the remainder of n / strata goes to the first strata in sorted order."""
    _check_size(available, n)
    quotas: dict[Stratum, int] = {}
    shortfalls = []
    remaining, left = n, sorted(available, key=lambda s: (available[s], s))
    while left and available[left[0]] < remaining // len(left):
        stratum = left.pop(0)
        shortfalls.append(Shortfall(stratum, available[stratum], remaining // (len(left) + 1)))
        quotas[stratum] = available[stratum]
        remaining -= available[stratum]
    if left:
        base, extra = divmod(remaining, len(left))
        for rank, stratum in enumerate(sorted(left)):
            quotas[stratum] = base + (rank < extra)
    return dict(sorted(quotas.items())), shortfalls


def proportional_quotas(available: dict[Stratum, int], n: int) -> dict[Stratum, int]:
    """Each stratum's population share of n, rounded by largest remainder so that the total is exactly n
    (ties go to the first strata in sorted order)."""
    _check_size(available, n)
    total = sum(available.values())
    exact = {stratum: n * count / total for stratum, count in available.items()}
    quotas = {stratum: int(share) for stratum, share in exact.items()}
    by_remainder = sorted(exact, key=lambda s: (-(exact[s] - quotas[s]), s))
    for stratum in by_remainder[: n - sum(quotas.values())]:
        quotas[stratum] += 1
    return dict(sorted(quotas.items()))


def _check_size(available: dict[Stratum, int], n: int) -> None:
    if n <= 0:
        raise ValueError(f"--n must be a positive number of personas, not {n}")
    total = sum(available.values())
    if total == 0:
        raise ValueError("no persona matches the filters: there is nothing to sample")
    if total < n:
        raise ValueError(f"--n {n} asks for more personas than the {total} that match the filters")


def draw_order(seed: int) -> str:
    """The SQL expression that orders personas for a seeded draw: a hash of the id and the seed, the same
    in any process and on any machine for the same data."""
    return f"md5(persona_id || ':{int(seed)}')"
