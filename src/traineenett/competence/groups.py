"""The group builder: split people into cross-disciplinary groups (pure, no Django).

Groups have sizes within one of each other: ``n`` people and a chosen size ``s`` give
``ceil(n / s)`` groups, so no group is larger than ``s``. A group's score counts the
different disciplines, current host organisations and cohorts in it (weighted) and
subtracts a penalty for every pair of people who were grouped together before; the
builder maximises the sum. Pinned people stay in their group.

Method: a greedy start (each person joins the group where they add most) and then a
local search over swaps of two unpinned people in different groups, in a seeded random
order, until a full pass finds no improving swap (or the pass limit is reached). Swaps
keep every group's size, so the sizes stay within one. The same input and seed always
give the same groups.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations


class GroupingError(ValueError):
    """The input cannot be grouped (size, pins); ``field`` names the offending input."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Person:
    id: int
    discipline: str
    host: str | None = None  # the current host organisation, if any
    cohort: str = ""


@dataclass(frozen=True)
class Weights:
    discipline: int = 3
    host: int = 2
    cohort: int = 1
    repeat: int = 4  # penalty per pair grouped together before


@dataclass
class Grouping:
    groups: list[list[int]]  # person ids per group, each sorted
    score: int
    repeated_pairs: int = 0
    passes: int = 0
    swaps: int = 0
    details: dict[str, int] = field(default_factory=dict)


def group_count(people: int, size: int) -> int:
    return max(1, math.ceil(people / size))


def _pair(a: int, b: int) -> frozenset[int]:
    return frozenset((a, b))


def build_groups(
    people: Sequence[Person],
    size: int,
    *,
    previous_pairs: Iterable[frozenset[int]] = (),
    pins: Mapping[int, int] | None = None,
    weights: Weights = Weights(),
    seed: int = 0,
    max_passes: int = 30,
) -> Grouping:
    """Split ``people`` into groups of at most ``size`` (sizes within one of each other).

    ``pins`` maps a person's id to a group index (0-based) they must be in.
    Raises GroupingError for a size below 1 or above the number of people, and for pins
    that name an unknown person or group or that overfill a group.
    """
    pins = dict(pins or {})
    count = len(people)
    if size < 1:
        raise GroupingError("The group size must be at least 1.", "group_size")
    if count == 0:
        raise GroupingError("There is nobody to group.", "cohorts")
    if size > count:
        raise GroupingError(
            f"The group size ({size}) is larger than the number of people ({count}).",
            "group_size",
        )
    ids = [p.id for p in people]
    if len(set(ids)) != count:
        raise GroupingError("A person appears twice.", "cohorts")
    by_id = {p.id: p for p in people}
    groups_total = group_count(count, size)
    for person_id, group in pins.items():
        if person_id not in by_id:
            raise GroupingError(f"Pinned person {person_id} is not among the people.", "pins")
        if not 0 <= group < groups_total:
            raise GroupingError(f"Pinned group {group + 1} does not exist.", "pins")

    # Capacities: the `extra` larger groups go to the groups with the most pins.
    base, extra = divmod(count, groups_total)
    pinned_per_group = [0] * groups_total
    for group in pins.values():
        pinned_per_group[group] += 1
    order = sorted(range(groups_total), key=lambda g: (-pinned_per_group[g], g))
    capacity = [base] * groups_total
    for g in order[:extra]:
        capacity[g] = base + 1
    for g in range(groups_total):
        if pinned_per_group[g] > capacity[g]:
            raise GroupingError(
                f"Group {g + 1} has {pinned_per_group[g]} pinned people but room for "
                f"{capacity[g]}.",
                "pins",
            )

    previous = {pair for pair in previous_pairs if len(pair) == 2}

    def group_score(members: list[int]) -> int:
        persons = [by_id[m] for m in members]
        repeats = sum(1 for a, b in combinations(members, 2) if _pair(a, b) in previous)
        return (
            weights.discipline * len({p.discipline for p in persons})
            + weights.host * len({p.host for p in persons if p.host})
            + weights.cohort * len({p.cohort for p in persons})
            - weights.repeat * repeats
        )

    rng = random.Random(seed)  # noqa: S311 — a reproducible search order, not a secret
    groups: list[list[int]] = [[] for _ in range(groups_total)]
    for person_id, group in sorted(pins.items()):
        groups[group].append(person_id)
    free = [pid for pid in sorted(ids) if pid not in pins]
    rng.shuffle(free)
    for person_id in free:
        best, best_gain = -1, -math.inf
        for g in range(groups_total):
            if len(groups[g]) >= capacity[g]:
                continue
            gain = group_score([*groups[g], person_id]) - group_score(groups[g])
            if gain > best_gain:
                best, best_gain = g, gain
        groups[best].append(person_id)

    where = {pid: g for g, members in enumerate(groups) for pid in members}
    scores = [group_score(members) for members in groups]
    passes = swaps = 0
    movable = sorted(free)
    pairs = [(a, b) for a, b in combinations(movable, 2)]
    for passes in range(1, max_passes + 1):  # noqa: B007 — reported below
        rng.shuffle(pairs)
        improved = False
        for a, b in pairs:
            ga, gb = where[a], where[b]
            if ga == gb:
                continue
            new_a = [b if m == a else m for m in groups[ga]]
            new_b = [a if m == b else m for m in groups[gb]]
            score_a, score_b = group_score(new_a), group_score(new_b)
            if score_a + score_b > scores[ga] + scores[gb]:
                groups[ga], groups[gb] = new_a, new_b
                scores[ga], scores[gb] = score_a, score_b
                where[a], where[b] = gb, ga
                swaps += 1
                improved = True
        if not improved:
            break
    result = [sorted(members) for members in groups]
    repeated = sum(
        1 for members in result for a, b in combinations(members, 2) if _pair(a, b) in previous
    )
    return Grouping(result, sum(scores), repeated, passes, swaps)


def pairs_of(groups: Iterable[Iterable[int]]) -> set[frozenset[int]]:
    """Every pair of people who share a group (for ``previous_pairs`` next time)."""
    return {_pair(a, b) for members in groups for a, b in combinations(sorted(members), 2)}
