"""The group builder (pure): properties with hypothesis, and what it optimises."""

from __future__ import annotations

import time
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from traineenett.competence.groups import (
    GroupingError,
    Person,
    build_groups,
    group_count,
    pairs_of,
)

DISCIPLINES = ["economics", "engineering", "law", "biology", "computer science", "health"]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Person], int, dict[int, int]]:
    count = draw(st.integers(min_value=1, max_value=40))
    people = [
        Person(
            id=100 + i,
            discipline=draw(st.sampled_from(DISCIPLINES)),
            host=draw(st.sampled_from([None, "h1", "h2", "h3", "h4"])),
            cohort=draw(st.sampled_from(["2025", "2026"])),
        )
        for i in range(count)
    ]
    size = draw(st.integers(min_value=1, max_value=count))
    groups_total = group_count(count, size)
    smallest = count // groups_total
    # Pins within capacity: at most `smallest` people per group.
    pins: dict[int, int] = {}
    for person in draw(st.lists(st.sampled_from(people), unique=True, max_size=count)):
        group = draw(st.integers(min_value=0, max_value=groups_total - 1))
        if sum(1 for g in pins.values() if g == group) < smallest:
            pins[person.id] = group
    return people, size, pins


@settings(max_examples=60, deadline=None)
@given(instances())
def test_everyone_in_exactly_one_group_sizes_within_one_and_pins_kept(
    instance: tuple[list[Person], int, dict[int, int]],
) -> None:
    people, size, pins = instance
    result = build_groups(people, size, pins=pins, seed=7)
    placed = [pid for group in result.groups for pid in group]
    assert sorted(placed) == sorted(p.id for p in people)
    sizes = [len(group) for group in result.groups]
    assert max(sizes) - min(sizes) <= 1
    assert max(sizes) <= size
    assert len(result.groups) == group_count(len(people), size)
    for person_id, group in pins.items():
        assert person_id in result.groups[group]


@settings(max_examples=25, deadline=None)
@given(instances(), st.integers(min_value=0, max_value=5))
def test_deterministic(instance: tuple[list[Person], int, dict[int, int]], seed: int) -> None:
    people, size, pins = instance
    first = build_groups(people, size, pins=pins, seed=seed)
    again = build_groups(list(reversed(people)), size, pins=pins, seed=seed)
    assert first.groups == again.groups


def test_disciplines_spread_when_they_can_be() -> None:
    # Four disciplines, four people each, groups of four: every group can have all four.
    people = [Person(i, DISCIPLINES[i % 4], cohort="2025") for i in range(16)]
    result = build_groups(people, 4, seed=1)
    for group in result.groups:
        assert len({people[i].discipline for i in group}) == 4


def test_hosts_and_cohorts_spread_too() -> None:
    people = [Person(i, "economics", host=f"h{i % 3}", cohort=str(2025 + i % 2)) for i in range(12)]
    result = build_groups(people, 6, seed=3)
    for group in result.groups:
        assert len({people[i].host for i in group}) == 3
        assert len({people[i].cohort for i in group}) == 2


def test_pairs_grouped_before_are_avoided() -> None:
    people = [Person(i, "economics", cohort="2025") for i in range(12)]
    first = build_groups(people, 3, seed=1)
    previous = pairs_of(first.groups)
    second = build_groups(people, 3, seed=1, previous_pairs=previous)
    assert second.repeated_pairs == 0
    assert not any(
        frozenset(pair) in previous for group in second.groups for pair in combinations(group, 2)
    )


def test_bad_input_names_the_field() -> None:
    people = [Person(i, "law") for i in range(5)]
    with pytest.raises(GroupingError) as error:
        build_groups(people, 6)
    assert error.value.field == "group_size"
    with pytest.raises(GroupingError) as error:
        build_groups(people, 0)
    assert error.value.field == "group_size"
    with pytest.raises(GroupingError) as error:
        build_groups([], 2)
    assert error.value.field == "cohorts"
    with pytest.raises(GroupingError) as error:
        build_groups(people, 2, pins={99: 0})
    assert error.value.field == "pins"
    with pytest.raises(GroupingError) as error:
        build_groups(people, 2, pins={0: 5})
    assert error.value.field == "pins"
    # 5 people in groups of at most 2: three groups of 2, 2 and 1; three pins in one group.
    with pytest.raises(GroupingError) as error:
        build_groups(people, 2, pins={0: 0, 1: 0, 2: 0})
    assert error.value.field == "pins"


def test_fast_for_a_hundred_people() -> None:
    people = [
        Person(i, DISCIPLINES[(i * 7) % 6], host=f"h{(i * 5) % 11}", cohort=str(2025 + i % 2))
        for i in range(100)
    ]
    started = time.perf_counter()
    result = build_groups(people, 5, seed=1, previous_pairs=pairs_of([range(0, 100, 7)]))
    assert time.perf_counter() - started < 5
    assert len(result.groups) == 20
