"""The interview scheduler (recruitment days): rules, reasons, validation and the command.

No database: ``recruitment/scheduler.py`` is pure Python and the command only reads and
writes files. The rules are checked by an independent checker written here, and the claimed
maximum by brute force on small instances.
"""

from __future__ import annotations

import copy
import io
import json
import random
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traineenett.recruitment.scheduler import InstanceError, solve, validate

DAY1, DAY2 = "2027-03-10", "2027-03-11"
ISSUE_EXAMPLE: dict[str, Any] = {
    "slots": [
        {"id": "d1-0900", "day": DAY1, "start": "09:00"},
        {"id": "d1-0920", "day": DAY1, "start": "09:20"},
    ],
    "requests": [{"id": "r1", "host": "h1", "candidate": "c1"}],
    "unavailable": {"h1": ["d1-0900"]},
    "rooms": 6,
    "rules": {"candidate_break_slots": 1, "max_per_candidate_per_day": 4},
}


# --- building instances ------------------------------------------------------------------


def day_slots(day: str, count: int, prefix: str) -> list[dict[str, str]]:
    """``count`` 20-minute slots from 09:00 with ids like d1-0900."""
    slots = []
    for number in range(count):
        minutes = 9 * 60 + 20 * number
        start = f"{minutes // 60:02d}:{minutes % 60:02d}"
        slots.append({"id": f"{prefix}-{start.replace(':', '')}", "day": day, "start": start})
    return slots


def instance(
    slots: list[dict[str, str]],
    pairs: list[tuple[str, str]],
    unavailable: dict[str, list[str]] | None = None,
    rooms: int | None = None,
    break_slots: int = 0,
    max_per_day: int | None = None,
) -> dict[str, Any]:
    """An instance with requests r1, r2, … for the (host, candidate) pairs, in order."""
    built: dict[str, Any] = {
        "slots": slots,
        "requests": [
            {"id": f"r{number}", "host": host, "candidate": candidate}
            for number, (host, candidate) in enumerate(pairs, start=1)
        ],
        "unavailable": unavailable or {},
        "rules": {"candidate_break_slots": break_slots, "max_per_candidate_per_day": max_per_day},
    }
    if rooms is not None:
        built["rooms"] = rooms
    return built


def reasons(result: dict[str, Any]) -> dict[str, str]:
    return {item["request"]: item["reason"] for item in result["unplaced"]}


# --- an independent checker and a brute-force optimum ------------------------------------


def violations(problem: dict[str, Any], schedule: dict[str, str]) -> list[str]:
    """Every rule of the contract that ``schedule`` breaks, in words."""
    found = []
    position: dict[str, int] = {}
    day_of: dict[str, str] = {}
    for number, slot in enumerate(problem["slots"]):
        previous = problem["slots"][number - 1] if number else None
        same_day = previous is not None and previous["day"] == slot["day"]
        position[slot["id"]] = position[previous["id"]] + 1 if same_day and previous else 0
        day_of[slot["id"]] = slot["day"]
    requests = {request["id"]: request for request in problem["requests"]}
    unavailable = problem.get("unavailable") or {}
    rules = problem.get("rules") or {}
    break_slots = rules.get("candidate_break_slots") or 0
    max_per_day = rules.get("max_per_candidate_per_day")
    for request_id, slot_id in schedule.items():
        if request_id not in requests or slot_id not in position:
            found.append(f"{request_id} -> {slot_id}: unknown request or slot")
            continue
        request = requests[request_id]
        for person in (request["host"], request["candidate"]):
            if slot_id in unavailable.get(person, []):
                found.append(f"{request_id}: {person} is unavailable in {slot_id}")
    placed = [(requests[r], s) for r, s in schedule.items() if r in requests and s in position]
    for (first, first_slot), (second, second_slot) in combinations(placed, 2):
        if first["host"] == second["host"] and first_slot == second_slot:
            found.append(f"{first['id']}, {second['id']}: host twice in {first_slot}")
        if (
            first["candidate"] == second["candidate"]
            and day_of[first_slot] == day_of[second_slot]
            and abs(position[first_slot] - position[second_slot]) <= break_slots
        ):
            found.append(f"{first['id']}, {second['id']}: candidate without the break")
    rooms = problem.get("rooms")
    for slot_id, count in Counter(slot for _, slot in placed).items():
        if rooms is not None and count > rooms:
            found.append(f"{slot_id}: {count} interviews for {rooms} rooms")
    per_day = Counter((request["candidate"], day_of[slot]) for request, slot in placed)
    for (candidate, day), count in per_day.items():
        if max_per_day is not None and count > max_per_day:
            found.append(f"{candidate} has {count} interviews on {day}")
    return found


def brute_force_maximum(problem: dict[str, Any]) -> int:
    """The most requests any valid schedule places, by exhaustive search."""
    slot_ids = [slot["id"] for slot in problem["slots"]]
    requests = problem["requests"]
    best = 0

    def extend(number: int, schedule: dict[str, str]) -> None:
        nonlocal best
        best = max(best, len(schedule))
        if number == len(requests) or len(schedule) + len(requests) - number <= best:
            return
        request_id = requests[number]["id"]
        for slot_id in slot_ids:
            schedule[request_id] = slot_id
            if not violations(problem, schedule):
                extend(number + 1, schedule)
            del schedule[request_id]
        extend(number + 1, schedule)

    extend(0, {})
    return best


def assert_valid_result(problem: dict[str, Any], result: dict[str, Any]) -> None:
    assert set(result) == {"status", "placed", "schedule", "unplaced", "seconds"}
    assert result["status"] in ("optimal", "feasible")
    assert result["placed"] == len(result["schedule"])
    assert violations(problem, result["schedule"]) == []
    unplaced = [item["request"] for item in result["unplaced"]]
    request_ids = [request["id"] for request in problem["requests"]]
    assert sorted([*result["schedule"], *unplaced]) == sorted(request_ids)
    assert all(item["reason"].strip() for item in result["unplaced"])
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    json.dumps(result)  # the command prints it


# --- the contract's example and each rule ------------------------------------------------


def test_the_issue_example_places_the_request_where_the_host_is_free() -> None:
    result = solve(copy.deepcopy(ISSUE_EXAMPLE))
    assert result["status"] == "optimal"
    assert result["placed"] == 1
    assert result["schedule"] == {"r1": "d1-0920"}
    assert result["unplaced"] == []


def test_a_host_is_in_one_interview_per_slot() -> None:
    problem = instance(day_slots(DAY1, 2, "d1"), [("h1", "c1"), ("h1", "c2"), ("h1", "c3")])
    result = solve(problem)
    assert_valid_result(problem, result)
    assert (result["status"], result["placed"]) == ("optimal", 2)
    [reason] = reasons(result).values()
    assert reason == "h1 has another interview in every slot where both are free"


def test_a_candidate_is_in_one_interview_per_slot() -> None:
    problem = instance(day_slots(DAY1, 2, "d1"), [("h1", "c1"), ("h2", "c1"), ("h3", "c1")])
    result = solve(problem)
    assert_valid_result(problem, result)
    assert (result["status"], result["placed"]) == ("optimal", 2)
    [reason] = reasons(result).values()
    assert reason == "c1 has another interview in every slot where both are free"


def test_nobody_is_placed_where_they_are_unavailable() -> None:
    slots = day_slots(DAY1, 3, "d1")
    problem = instance(
        slots,
        [("h1", "c1"), ("h2", "c2"), ("h3", "c3"), ("h4", "c4")],
        unavailable={
            "h1": ["d1-0900", "d1-0920"],
            "c2": ["d1-0920", "d1-0940"],
            "h3": ["d1-0900"],
            "c3": ["d1-0920", "d1-0940"],  # with h3: no common free slot
            "h4": ["d1-0900", "d1-0920", "d1-0940"],
        },
    )
    result = solve(problem)
    assert_valid_result(problem, result)
    assert result["schedule"] == {"r1": "d1-0940", "r2": "d1-0900"}
    assert reasons(result) == {
        "r3": "h3 and c3 have no common free slot",
        "r4": "h4 is unavailable in every slot",
    }


def test_unavailable_in_every_slot_names_the_candidate() -> None:
    slots = day_slots(DAY1, 2, "d1")
    problem = instance(slots, [("h1", "c1")], unavailable={"c1": ["d1-0900", "d1-0920"]})
    assert reasons(solve(problem)) == {"r1": "c1 is unavailable in every slot"}


def test_rooms_limit_the_interviews_per_slot() -> None:
    pairs = [("h1", "c1"), ("h2", "c2"), ("h3", "c3")]
    one_slot = instance(day_slots(DAY1, 1, "d1"), pairs, rooms=2)
    result = solve(one_slot)
    assert_valid_result(one_slot, result)
    assert (result["status"], result["placed"]) == ("optimal", 2)
    assert list(reasons(result).values()) == ["the only slot where both are free is full (2 rooms)"]

    two_slots = instance(day_slots(DAY1, 2, "d1"), [*pairs, ("h4", "c4")], rooms=1)
    result = solve(two_slots)
    assert_valid_result(two_slots, result)
    assert result["placed"] == 2
    assert set(reasons(result).values()) == {"all slots where both are free are full (1 room)"}


def test_without_rooms_there_is_no_limit_and_with_zero_rooms_nothing_is_placed() -> None:
    pairs = [(f"h{number}", f"c{number}") for number in range(8)]
    result = solve(instance(day_slots(DAY1, 1, "d1"), pairs))
    assert result["placed"] == 8
    unlimited = {**instance(day_slots(DAY1, 1, "d1"), pairs), "rooms": None}
    assert solve(unlimited)["placed"] == 8
    result = solve(instance(day_slots(DAY1, 1, "d1"), pairs, rooms=0))
    assert result["placed"] == 0
    assert result["status"] == "optimal"
    assert set(reasons(result).values()) == {"there are no rooms (rooms is 0)"}


def test_a_candidate_gets_the_break_between_interviews_on_one_day() -> None:
    slots = day_slots(DAY1, 3, "d1")
    pairs = [("h1", "c1"), ("h2", "c1")]
    result = solve(instance(slots, pairs, break_slots=1))
    assert result["placed"] == 2
    assert sorted(result["schedule"].values()) == ["d1-0900", "d1-0940"]

    result = solve(instance(slots, pairs, break_slots=2))
    assert (result["status"], result["placed"]) == ("optimal", 1)
    assert list(reasons(result).values()) == [
        "c1 has another interview, or the break next to one, in every slot where both are free"
    ]


def test_the_break_does_not_reach_into_the_next_day() -> None:
    slots = [*day_slots(DAY1, 1, "d1"), *day_slots(DAY2, 1, "d2")]
    result = solve(instance(slots, [("h1", "c1"), ("h2", "c1")], break_slots=5))
    assert result["placed"] == 2


def test_a_break_longer_than_the_day_allows_one_interview_a_day() -> None:
    slots = [*day_slots(DAY1, 3, "d1"), *day_slots(DAY2, 3, "d2")]
    problem = instance(slots, [(f"h{number}", "c1") for number in range(4)], break_slots=9)
    result = solve(problem)
    assert_valid_result(problem, result)
    assert result["placed"] == 2
    assert sorted(slot[:2] for slot in result["schedule"].values()) == ["d1", "d2"]


def test_slots_next_to_each_other_in_the_list_are_consecutive() -> None:
    """A lunch gap in the times does not count as a break: adjacency in the list does."""
    slots = [
        {"id": "morning", "day": DAY1, "start": "11:40"},
        {"id": "afternoon", "day": DAY1, "start": "13:00"},
    ]
    result = solve(instance(slots, [("h1", "c1"), ("h2", "c1")], break_slots=1))
    assert result["placed"] == 1


def test_a_candidate_has_at_most_the_daily_maximum() -> None:
    pairs = [("h1", "c1"), ("h2", "c1"), ("h3", "c1")]
    problem = instance(day_slots(DAY1, 5, "d1"), pairs, max_per_day=2)
    result = solve(problem)
    assert_valid_result(problem, result)
    assert (result["status"], result["placed"]) == ("optimal", 2)
    assert list(reasons(result).values()) == ["c1 already has 2 interviews on 2027-03-10"]

    slots = [*day_slots(DAY1, 3, "d1"), *day_slots(DAY2, 3, "d2")]
    pairs = [(f"h{number}", "c7") for number in range(5)]
    problem = instance(slots, pairs, max_per_day=2)
    result = solve(problem)
    assert_valid_result(problem, result)
    assert result["placed"] == 4
    assert list(reasons(result).values()) == ["c7 already has 2 interviews on both days"]


def test_a_daily_maximum_of_zero_places_nothing() -> None:
    result = solve(instance(day_slots(DAY1, 2, "d1"), [("h1", "c1")], max_per_day=0))
    assert result["placed"] == 0
    assert reasons(result) == {"r1": "no interviews are allowed (max_per_candidate_per_day is 0)"}


def test_a_request_blocked_by_several_rules_would_displace_others() -> None:
    """r7 (h1, c1) fits in d1-0920 or d2-1020 only, and each costs two other interviews."""
    slots = [*day_slots(DAY1, 3, "d1"), *day_slots(DAY2, 7, "d2")]
    every = [slot["id"] for slot in slots]

    def free_only(*free: str) -> list[str]:
        return [slot_id for slot_id in every if slot_id not in free]

    pairs = [
        ("h2", "c1"),  # r1 in d1-0900 and
        ("h3", "c1"),  # r2 in d1-0940: c1 needs a break in d1-0920
        ("h4", "c1"),  # r3 in d2-0900,
        ("h5", "c1"),  # r4 in d2-0940 and
        ("h6", "c1"),  # r5 in d2-1100: c1 has 3 of 3 on day 2
        ("h1", "c5"),  # r6 in d2-1020: h1 is busy there
        ("h1", "c1"),  # r7
    ]
    problem = instance(
        slots,
        pairs,
        unavailable={
            "h2": free_only("d1-0900"),
            "h3": free_only("d1-0940"),
            "h4": free_only("d2-0900"),
            "h5": free_only("d2-0940"),
            "h6": free_only("d2-1100"),
            "c5": free_only("d2-1020"),
            "h1": free_only("d1-0920", "d2-1020"),
        },
        break_slots=1,
        max_per_day=3,
    )
    result = solve(problem)
    assert_valid_result(problem, result)
    assert (result["status"], result["placed"]) == ("optimal", 6)
    assert reasons(result) == {
        "r7": "not placed: placing it would displace another interview (of the 2 slots where "
        "both are free: h1 is busy in 1, c1 is busy or needs a break in 1, "
        "c1 has reached the daily limit in 1)"
    }


def test_identical_requests_are_placed_first_come_first_placed() -> None:
    problem = instance(day_slots(DAY1, 1, "d1"), [("h1", "c1"), ("h1", "c1"), ("h1", "c1")])
    result = solve(problem)
    assert result["schedule"] == {"r1": "d1-0900"}
    assert [item["request"] for item in result["unplaced"]] == ["r2", "r3"]


# --- edge cases ----------------------------------------------------------------------------


def test_no_requests_is_an_empty_optimal_schedule() -> None:
    result = solve({"slots": day_slots(DAY1, 3, "d1"), "requests": []})
    assert result["status"] == "optimal"
    assert (result["placed"], result["schedule"], result["unplaced"]) == (0, {}, [])


def test_no_slots_leaves_every_request_unplaced() -> None:
    result = solve({"slots": [], "requests": [{"id": "r1", "host": "h1", "candidate": "c1"}]})
    assert result["status"] == "optimal"
    assert result["placed"] == 0
    assert result["unplaced"] == [{"request": "r1", "reason": "there are no slots"}]


def test_one_day_one_slot_and_the_optional_fields_absent() -> None:
    result = solve(
        {
            "slots": [{"id": "only", "day": DAY1, "start": "10:00"}],
            "requests": [{"id": "a", "host": "h", "candidate": "c"}],
        }
    )
    assert result["schedule"] == {"a": "only"}


def test_extra_fields_on_slots_and_requests_are_ignored() -> None:
    problem = copy.deepcopy(ISSUE_EXAMPLE)
    problem["slots"][0]["end"] = "09:20"
    problem["requests"][0]["position"] = "Engineer"
    assert solve(problem)["schedule"] == {"r1": "d1-0920"}


def test_the_same_input_gives_the_same_schedule() -> None:
    problem = random_instance(random.Random(7), requests=80, hosts=12, candidates=30, days=2)
    first, second = solve(copy.deepcopy(problem)), solve(copy.deepcopy(problem))
    assert_valid_result(problem, first)
    assert first["status"] == "optimal"
    del first["seconds"], second["seconds"]
    assert first == second


def test_a_short_time_limit_still_gives_a_valid_schedule() -> None:
    problem = random_instance(random.Random(11), requests=120, hosts=20, candidates=45, days=2)
    result = solve(problem, time_limit=0.001)
    assert_valid_result(problem, result)
    # Whatever is unplaced without proof gets a reason too; a proven result has none "open".
    if result["status"] == "optimal":
        assert not any("still open" in item["reason"] for item in result["unplaced"])


def test_the_time_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="time_limit"):
        solve(copy.deepcopy(ISSUE_EXAMPLE), time_limit=0)


def random_instance(
    rng: random.Random, requests: int, hosts: int, candidates: int, days: int
) -> dict[str, Any]:
    slots = [slot for day in range(days) for slot in day_slots(f"2027-03-1{day}", 10, f"d{day}")]
    pairs = [(f"h{rng.randrange(hosts)}", f"c{rng.randrange(candidates)}") for _ in range(requests)]
    people = {person for pair in pairs for person in pair}
    unavailable = {
        person: [slot["id"] for slot in slots if rng.random() < 0.3]
        for person in sorted(people)
        if rng.random() < 0.5
    }
    return instance(slots, pairs, unavailable, rooms=6, break_slots=1, max_per_day=3)


# --- property tests ------------------------------------------------------------------------


@st.composite
def small_instances(draw: st.DrawFn) -> dict[str, Any]:
    slots = []
    for day, prefix in ((DAY1, "d1"), (DAY2, "d2"))[: draw(st.integers(1, 2))]:
        slots += day_slots(day, draw(st.integers(0, 3)), prefix)
    hosts = ["h1", "h2", "h3"]
    candidates = ["c1", "c2", "c3"]
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(hosts), st.sampled_from(candidates)), max_size=5)
    )
    people = sorted({person for pair in pairs for person in pair})
    slot_ids = [slot["id"] for slot in slots]
    unavailable = {
        person: draw(st.lists(st.sampled_from(slot_ids), unique=True)) if slot_ids else []
        for person in draw(
            st.lists(st.sampled_from(people), unique=True) if people else st.just([])
        )
    }
    return instance(
        slots,
        pairs,
        unavailable,
        rooms=draw(st.none() | st.integers(0, 3)),
        break_slots=draw(st.integers(0, 2)),
        max_per_day=draw(st.none() | st.integers(0, 3)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_every_schedule_keeps_every_rule_and_is_maximal(problem: dict[str, Any]) -> None:
    result = solve(copy.deepcopy(problem), time_limit=5)
    assert_valid_result(problem, result)
    assert result["status"] == "optimal"
    assert result["placed"] == brute_force_maximum(problem)
    # A proven schedule leaves nothing that could be added as it stands.
    for item in result["unplaced"]:
        for slot in problem["slots"]:
            extended = {**result["schedule"], item["request"]: slot["id"]}
            assert violations(problem, extended), (item, slot["id"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000))
def test_larger_random_instances_keep_every_rule(seed: int) -> None:
    problem = random_instance(random.Random(seed), requests=60, hosts=10, candidates=25, days=2)
    result = solve(copy.deepcopy(problem))
    assert_valid_result(problem, result)
    assert result["status"] == "optimal"
    for item in result["unplaced"]:
        for slot in problem["slots"]:
            extended = {**result["schedule"], item["request"]: slot["id"]}
            assert violations(problem, extended), (item, slot["id"])


# --- invalid instances -----------------------------------------------------------------------


def broken(change: Any) -> dict[str, Any]:
    problem = copy.deepcopy(ISSUE_EXAMPLE)
    change(problem)
    return problem


INVALID = [
    (lambda p: p.pop("slots"), "slots: missing"),
    (lambda p: p.update(slots="d1"), "slots: expected a list"),
    (lambda p: p["slots"].append("d1-1000"), "slots[2]: expected an object"),
    (
        lambda p: p["slots"][1].update(id="d1-0900"),
        'slots[1].id: "d1-0900" is used twice (also slots[0])',
    ),
    (lambda p: p["slots"][0].pop("id"), "slots[0].id: missing"),
    (lambda p: p["slots"][0].update(id=""), 'slots[0].id: expected a non-empty text, not ""'),
    (
        lambda p: p["slots"][0].update(day="2027-02-30"),
        'slots[0].day: "2027-02-30" is not a date (YYYY-MM-DD)',
    ),
    (
        lambda p: p["slots"][0].update(day="10.03.2027"),
        'slots[0].day: "10.03.2027" is not a date (YYYY-MM-DD)',
    ),
    (
        lambda p: p["slots"][1].update(start="25:00"),
        'slots[1].start: "25:00" is not a time of day (HH:MM)',
    ),
    (
        lambda p: p["slots"][1].update(start="9:20"),
        'slots[1].start: "9:20" is not a time of day (HH:MM)',
    ),
    (
        lambda p: p["slots"][1].update(start="08:40"),
        "slots[1]: 2027-03-10 08:40 does not come after slots[0] (2027-03-10 09:00); "
        "list the slots in time order",
    ),
    (lambda p: p.pop("requests"), "requests: missing"),
    (lambda p: p["requests"][0].pop("host"), "requests[0].host: missing"),
    (lambda p: p["requests"][0].update(candidate=7), "requests[0].candidate: expected"),
    (
        lambda p: p["requests"].append({"id": "r1", "host": "h2", "candidate": "c2"}),
        'requests[1].id: "r1" is used twice (also requests[0])',
    ),
    (
        lambda p: p["requests"].append({"id": "r2", "host": "c1", "candidate": "c3"}),
        'requests[1].host: "c1" is also a candidate (requests[0].candidate)',
    ),
    (
        lambda p: p["unavailable"].update(h9=["d1-0900"]),
        "unavailable.h9: unknown host or candidate (in no request)",
    ),
    (
        lambda p: p["unavailable"].update(h1=["d3-0900"]),
        'unavailable.h1: unknown slot "d3-0900"',
    ),
    (lambda p: p["unavailable"].update(h1="d1-0900"), "unavailable.h1: expected a list"),
    (lambda p: p.update(unavailable=["h1"]), "unavailable: expected an object"),
    (lambda p: p.update(rooms=-1), "rooms: expected a whole number of 0 or more, not -1"),
    (lambda p: p.update(rooms="6"), 'rooms: expected a whole number of 0 or more, not "6"'),
    (lambda p: p.update(rooms=2.5), "rooms: expected a whole number"),
    (lambda p: p.update(rooms=True), "rooms: expected a whole number of 0 or more, not true"),
    (lambda p: p.update(room=6), "room: unknown field"),
    (lambda p: p.update(rules=[]), "rules: expected an object"),
    (lambda p: p["rules"].update(candidate_brake_slots=1), "rules.candidate_brake_slots: unknown"),
    (
        lambda p: p["rules"].update(candidate_break_slots=-1),
        "rules.candidate_break_slots: expected a whole number of 0 or more, not -1",
    ),
    (
        lambda p: p["rules"].update(max_per_candidate_per_day="4"),
        "rules.max_per_candidate_per_day: expected a whole number",
    ),
]


@pytest.mark.parametrize(("change", "message"), INVALID)
def test_an_invalid_instance_names_the_field(change: Any, message: str) -> None:
    problem = broken(change)
    with pytest.raises(InstanceError) as raised:
        validate(problem)
    assert any(line.startswith(message) for line in raised.value.messages), raised.value.messages
    with pytest.raises(InstanceError):
        solve(problem)


def test_every_problem_is_reported_at_once() -> None:
    problem = broken(
        lambda p: (
            p.update(rooms=-2),
            p["slots"][0].update(day="2027-13-01"),
            p["requests"][0].pop("candidate"),
        )
    )
    with pytest.raises(InstanceError) as raised:
        validate(problem)
    assert raised.value.messages == [
        'slots[0].day: "2027-13-01" is not a date (YYYY-MM-DD)',
        "requests[0].candidate: missing",
        "rooms: expected a whole number of 0 or more, not -2",
    ]
    assert isinstance(raised.value, ValueError)


def test_a_broken_slot_is_still_a_known_slot() -> None:
    """One mistake gives one message: "unavailable" may name a slot whose day is wrong."""
    problem = broken(lambda p: p["slots"][0].update(day="2027-03-32"))
    with pytest.raises(InstanceError) as raised:
        validate(problem)
    assert raised.value.messages == ['slots[0].day: "2027-03-32" is not a date (YYYY-MM-DD)']


def test_an_instance_must_be_an_object() -> None:
    with pytest.raises(InstanceError) as raised:
        validate([ISSUE_EXAMPLE])  # type: ignore[arg-type]
    assert raised.value.messages == ["instance: expected a JSON object"]


def test_a_valid_instance_validates() -> None:
    validate(copy.deepcopy(ISSUE_EXAMPLE))  # raises on any problem


# --- the command ---------------------------------------------------------------------------


def write_instance(tmp_path: Path, problem: Any) -> Path:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(problem), encoding="utf-8")
    return path


def test_the_command_prints_the_schedule(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("schedule_interviews", str(write_instance(tmp_path, ISSUE_EXAMPLE)), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["schedule"] == {"r1": "d1-0920"}
    assert (printed["status"], printed["placed"], printed["unplaced"]) == ("optimal", 1, [])


def test_the_command_writes_the_output_file(tmp_path: Path) -> None:
    problem = instance(day_slots(DAY1, 1, "d1"), [("h1", "c1"), ("h1", "c2")])
    output = tmp_path / "schedule.json"
    out = io.StringIO()
    call_command(
        "schedule_interviews",
        str(write_instance(tmp_path, problem)),
        "--time-limit",
        "3",
        "--output",
        str(output),
        stdout=out,
    )
    written = json.loads(output.read_text(encoding="utf-8"))
    expected = solve(problem)
    del written["seconds"], expected["seconds"]
    assert written == expected
    assert written["placed"] == 1
    assert "1 of 2 requests placed (optimal" in out.getvalue()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["instance.json", "schedule.json"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"slots": [], "requests": [{"id": "r1", "host": "h1"}]}',
            "requests[0].candidate: missing",
        ),
        ('{"slots": [', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_status_2(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = tmp_path / "instance.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    output = tmp_path / "schedule.json"
    with pytest.raises(CommandError, match=message.replace("[", r"\[")) as raised:
        call_command("schedule_interviews", str(path), "--output", str(output))
    assert raised.value.returncode == 2
    assert not output.exists()


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file") as raised:
        call_command("schedule_interviews", str(tmp_path / "missing.json"))
    assert raised.value.returncode == 2


def run_console(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "traineenett.cli", "schedule-interviews", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_console_command_exit_statuses(tmp_path: Path) -> None:
    good = write_instance(tmp_path, ISSUE_EXAMPLE)
    result = run_console(str(good), "--time-limit", "5")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schedule"] == {"r1": "d1-0920"}

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken(lambda p: p.update(rooms=-1))), encoding="utf-8")
    result = run_console(str(bad))
    assert result.returncode == 2
    assert "rooms: expected a whole number of 0 or more, not -1" in result.stderr
    assert result.stdout == ""

    not_an_object = tmp_path / "list.json"
    not_an_object.write_text("[]", encoding="utf-8")
    result = run_console(str(not_an_object))
    assert result.returncode == 2
    assert "instance: expected a JSON object" in result.stderr

    result = run_console(str(good), "--time-limit", "0")
    assert result.returncode == 2
    assert "--time-limit" in result.stderr
