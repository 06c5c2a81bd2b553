"""Recruitment days: place hosts' interview requests in time slots.

A pure module (no Django) on OR-Tools CP-SAT. The input and output are the JSON contract of
``traineenett schedule-interviews`` (see docs/interview-scheduler.md)::

    {"slots": [{"id": "d1-0900", "day": "2027-03-10", "start": "09:00"}, ...],
     "requests": [{"id": "r1", "host": "h1", "candidate": "c1"}, ...],
     "unavailable": {"h1": ["d1-0900"]},
     "rooms": 6,
     "rules": {"candidate_break_slots": 1, "max_per_candidate_per_day": 4}}

gives ``{"status": "optimal" | "feasible", "placed": N, "schedule": {"r1": "d1-0920"},
"unplaced": [{"request": "r9", "reason": "..."}], "seconds": F}``.

Rules: a request is placed in at most one slot; no host and no candidate is in two interviews
in one slot; nobody is placed in a slot listed as unavailable for them; at most ``rooms``
interviews share a slot; two interviews of one candidate on the same day have at least
``candidate_break_slots`` free slots between them (slots of one day next to each other in the
list are consecutive); at most ``max_per_candidate_per_day`` interviews per candidate and day.
The number of placed requests is maximised.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

# One search worker and a fixed seed make CP-SAT's search deterministic: the same input gives
# the same schedule whenever the search ends by itself (always when the result is "optimal").
# Only a run cut short by the wall-clock time limit may differ from one machine to another.
RANDOM_SEED = 20270310
NUM_WORKERS = 1

INSTANCE_KEYS = ("slots", "requests", "unavailable", "rooms", "rules")
RULE_KEYS = ("candidate_break_slots", "max_per_candidate_per_day")
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
START_PATTERN = re.compile(r"\d{2}:\d{2}", re.ASCII)


class InstanceError(ValueError):
    """The instance breaks the contract; ``messages`` lists every problem, each naming its field."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: list[str] = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Slot:
    id: str
    day: str
    start: str
    position: int  # index of the slot within its day: the break rule counts these


@dataclass(frozen=True)
class Request:
    id: str
    host: str
    candidate: str


@dataclass(frozen=True)
class Problem:
    """A validated instance."""

    slots: tuple[Slot, ...]
    requests: tuple[Request, ...]
    unavailable: dict[str, frozenset[int]]  # person id -> indexes of slots
    rooms: int | None
    break_slots: int
    max_per_day: int | None

    def free_slots(self, request: Request) -> list[int]:
        """Indexes of the slots where neither the host nor the candidate is unavailable."""
        blocked = self.unavailable.get(request.host, frozenset()) | self.unavailable.get(
            request.candidate, frozenset()
        )
        return [index for index in range(len(self.slots)) if index not in blocked]


def validate(instance: dict[str, Any]) -> None:
    """Raise :class:`InstanceError` listing every way ``instance`` breaks the contract."""
    _parse(instance)


def solve(instance: dict[str, Any], time_limit: float = 10.0) -> dict[str, Any]:
    """Validate ``instance`` and place as many interview requests as the rules allow.

    ``status`` is "optimal" when CP-SAT proved that no schedule places more requests, else
    "feasible" (the time limit, in seconds, ended the search). Every unplaced request gets a
    reason in words. The result is a dict ready for ``json.dumps``.
    """
    started = time.perf_counter()
    if not time_limit > 0:
        raise ValueError(f"time_limit must be more than 0 seconds, not {time_limit!r}")
    problem = _parse(instance)
    free = {request.id: problem.free_slots(request) for request in problem.requests}
    never = _never_placeable(problem, free)
    placeable = [request for request in problem.requests if request.id not in never]
    remaining = max(time_limit - (time.perf_counter() - started), 0.001)
    assignment, proven = _optimise(problem, placeable, free, remaining)
    schedule = {
        request.id: problem.slots[assignment[request.id]].id
        for request in problem.requests
        if request.id in assignment
    }
    occupancy = Occupancy(problem)
    for request in placeable:
        if request.id in assignment:
            occupancy.add(request, assignment[request.id])
    unplaced = [
        {
            "request": request.id,
            "reason": never.get(request.id)
            or _reason_in_solution(problem, request, free[request.id], occupancy),
        }
        for request in problem.requests
        if request.id not in assignment
    ]
    return {
        "status": "optimal" if proven else "feasible",
        "placed": len(schedule),
        "schedule": schedule,
        "unplaced": unplaced,
        "seconds": round(time.perf_counter() - started, 3),
    }


# --- validation -------------------------------------------------------------------------


def _parse(instance: Any) -> Problem:
    if not isinstance(instance, dict):
        raise InstanceError(["instance: expected a JSON object"])
    errors: list[str] = [
        f"{key}: unknown field (expected one of {', '.join(INSTANCE_KEYS)})"
        for key in instance
        if key not in INSTANCE_KEYS
    ]
    slots, slot_ids = _parse_slots(instance.get("slots"), errors)
    requests, people = _parse_requests(instance.get("requests"), errors)
    # Ids named by a broken slot or request still count as known: one mistake, one message.
    slot_index = {slot.id: index for index, slot in enumerate(slots)}
    unavailable = _parse_unavailable(
        instance.get("unavailable"), slot_ids, slot_index, people, errors
    )
    rooms = _count(instance.get("rooms"), "rooms", errors)
    break_slots, max_per_day = _parse_rules(instance.get("rules"), errors)
    if errors:
        raise InstanceError(errors)
    return Problem(
        slots=tuple(slots),
        requests=tuple(requests),
        unavailable=unavailable,
        rooms=rooms,
        break_slots=break_slots or 0,
        max_per_day=max_per_day,
    )


def _text(value: Any, field: str, errors: list[str]) -> str | None:
    if value is None:
        errors.append(f"{field}: missing")
        return None
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{field}: expected a non-empty text, not {_shown(value)}")
        return None
    return value


def _shown(value: Any) -> str:
    """A value as it was written in the JSON file."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # not from JSON (a Python caller): show it as Python would
        return repr(value)


def _objects(value: Any, field: str, errors: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The list's items as (field name, object) pairs; problems are added to ``errors``."""
    if value is None:
        errors.append(f"{field}: missing")
        return []
    if not isinstance(value, list):
        errors.append(f"{field}: expected a list")
        return []
    items = []
    for number, item in enumerate(value):
        if isinstance(item, dict):
            items.append((f"{field}[{number}]", item))
        else:
            errors.append(f"{field}[{number}]: expected an object")
    return items


def _parse_slots(value: Any, errors: list[str]) -> tuple[list[Slot], set[str]]:
    """The valid slots, and every slot id named (valid or not)."""
    slots: list[Slot] = []
    first_use: dict[str, str] = {}
    previous: tuple[str, str, str] | None = None  # (day, start, field) of the slot before
    position = 0
    for field, item in _objects(value, "slots", errors):
        slot_id = _text(item.get("id"), f"{field}.id", errors)
        day = _day(item.get("day"), f"{field}.day", errors)
        start = _start(item.get("start"), f"{field}.start", errors)
        if slot_id is not None:
            if slot_id in first_use:
                errors.append(f'{field}.id: "{slot_id}" is used twice (also {first_use[slot_id]})')
            first_use.setdefault(slot_id, field)
        if day is None or start is None:
            previous = None
            continue
        if previous is not None and (day, start) <= previous[:2]:
            errors.append(
                f"{field}: {day} {start} does not come after {previous[2]} "
                f"({previous[0]} {previous[1]}); list the slots in time order"
            )
        position = position + 1 if previous is not None and previous[0] == day else 0
        previous = (day, start, field)
        if slot_id is not None:
            slots.append(Slot(id=slot_id, day=day, start=start, position=position))
    return slots, set(first_use)


def _day(value: Any, field: str, errors: list[str]) -> str | None:
    text = _text(value, field, errors)
    if text is None:
        return None
    try:
        if not DAY_PATTERN.fullmatch(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        errors.append(f'{field}: "{text}" is not a date (YYYY-MM-DD)')
        return None
    return text


def _start(value: Any, field: str, errors: list[str]) -> str | None:
    text = _text(value, field, errors)
    if text is None:
        return None
    try:
        if not START_PATTERN.fullmatch(text):
            raise ValueError
        dt.time.fromisoformat(text)
    except ValueError:
        errors.append(f'{field}: "{text}" is not a time of day (HH:MM)')
        return None
    return text


def _parse_requests(value: Any, errors: list[str]) -> tuple[list[Request], set[str]]:
    """The valid requests, and every host and candidate id named (in valid requests or not)."""
    requests: list[Request] = []
    first_use: dict[str, str] = {}
    host_field: dict[str, str] = {}
    candidate_field: dict[str, str] = {}
    for field, item in _objects(value, "requests", errors):
        request_id = _text(item.get("id"), f"{field}.id", errors)
        host = _text(item.get("host"), f"{field}.host", errors)
        candidate = _text(item.get("candidate"), f"{field}.candidate", errors)
        if request_id is not None:
            if request_id in first_use:
                errors.append(
                    f'{field}.id: "{request_id}" is used twice (also {first_use[request_id]})'
                )
            first_use.setdefault(request_id, field)
        # A person is either a host or a candidate: "unavailable" could not tell them apart.
        if host is not None:
            if host in candidate_field:
                errors.append(
                    f'{field}.host: "{host}" is also a candidate ({candidate_field[host]})'
                )
            host_field.setdefault(host, f"{field}.host")
        if candidate is not None:
            if candidate in host_field:
                errors.append(
                    f'{field}.candidate: "{candidate}" is also a host ({host_field[candidate]})'
                )
            candidate_field.setdefault(candidate, f"{field}.candidate")
        if request_id is not None and host is not None and candidate is not None:
            requests.append(Request(id=request_id, host=host, candidate=candidate))
    return requests, set(host_field) | set(candidate_field)


def _parse_unavailable(
    value: Any,
    slot_ids: set[str],
    slot_index: dict[str, int],
    people: set[str],
    errors: list[str],
) -> dict[str, frozenset[int]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append("unavailable: expected an object of host or candidate ids")
        return {}
    unavailable: dict[str, frozenset[int]] = {}
    for person, listed in value.items():
        field = f"unavailable.{person}"
        if person not in people:
            errors.append(f"{field}: unknown host or candidate (in no request)")
        if not isinstance(listed, list):
            errors.append(f"{field}: expected a list of slot ids")
            continue
        indexes = set()
        for slot_id in listed:
            if not isinstance(slot_id, str):
                errors.append(f"{field}: expected slot ids, not {_shown(slot_id)}")
            elif slot_id not in slot_ids:
                errors.append(f'{field}: unknown slot "{slot_id}"')
            elif slot_id in slot_index:
                indexes.add(slot_index[slot_id])
        unavailable[person] = frozenset(indexes)
    return unavailable


def _count(value: Any, field: str, errors: list[str]) -> int | None:
    """A whole number of 0 or more; ``None`` when absent (no limit)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append(f"{field}: expected a whole number of 0 or more, not {_shown(value)}")
        return None
    return value


def _parse_rules(value: Any, errors: list[str]) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        errors.append("rules: expected an object")
        return None, None
    errors.extend(
        f"rules.{key}: unknown rule (expected one of {', '.join(RULE_KEYS)})"
        for key in value
        if key not in RULE_KEYS
    )
    return (
        _count(value.get("candidate_break_slots"), "rules.candidate_break_slots", errors),
        _count(value.get("max_per_candidate_per_day"), "rules.max_per_candidate_per_day", errors),
    )


# --- the model ---------------------------------------------------------------------------


def _never_placeable(problem: Problem, free: dict[str, list[int]]) -> dict[str, str]:
    """Reasons for the requests no schedule can place, whatever happens to the others."""
    never: dict[str, str] = {}
    all_slots = range(len(problem.slots))
    for request in problem.requests:
        host, candidate = request.host, request.candidate
        if not problem.slots:
            never[request.id] = "there are no slots"
        elif problem.rooms == 0:
            never[request.id] = "there are no rooms (rooms is 0)"
        elif problem.max_per_day == 0:
            never[request.id] = "no interviews are allowed (max_per_candidate_per_day is 0)"
        elif not free[request.id]:
            host_off = problem.unavailable.get(host, frozenset())
            candidate_off = problem.unavailable.get(candidate, frozenset())
            if all(index in host_off for index in all_slots):
                never[request.id] = f"{host} is unavailable in every slot"
            elif all(index in candidate_off for index in all_slots):
                never[request.id] = f"{candidate} is unavailable in every slot"
            else:
                never[request.id] = f"{host} and {candidate} have no common free slot"
    return never


def _optimise(
    problem: Problem,
    requests: Sequence[Request],
    free: dict[str, list[int]],
    time_limit: float,
) -> tuple[dict[str, int], bool]:
    """The best assignment (request id -> slot index) found, and whether it is proven best."""
    if not requests:
        return {}, True
    model = cp_model.CpModel()
    place: dict[tuple[str, int], cp_model.IntVar] = {
        (request.id, index): model.new_bool_var(f"{request.id}@{index}")
        for request in requests
        for index in free[request.id]
    }
    by_request: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    by_host_slot: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_candidate_slot: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_candidate_day: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    request_of = {request.id: request for request in requests}
    for (request_id, index), variable in place.items():
        request = request_of[request_id]
        by_request[request_id].append(variable)
        by_host_slot[request.host, index].append(variable)
        by_candidate_slot[request.candidate, index].append(variable)
        by_candidate_day[request.candidate, problem.slots[index].day].append(variable)
        by_slot[index].append(variable)

    # "placed" per request makes the objective's bound obvious to CP-SAT: one per request.
    placed = {request.id: model.new_bool_var(f"{request.id} placed") for request in requests}
    for request_id, literals in by_request.items():
        model.add_exactly_one([~placed[request_id], *literals])
    for group in by_host_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    # The break: in any window of break + 1 consecutive slots of one day, one interview at most
    # (for a break of 0 that is "one interview per slot").
    windows = _day_windows(problem, problem.break_slots + 1)
    for candidate in sorted({request.candidate for request in requests}):
        for window in windows:
            literals = [
                variable for index in window for variable in by_candidate_slot[candidate, index]
            ]
            if len(literals) > 1:
                model.add_at_most_one(literals)
    if problem.rooms is not None:
        for literals in by_slot.values():
            if len(literals) > problem.rooms:
                model.add(sum(literals) <= problem.rooms)
    if problem.max_per_day is not None:
        for literals in by_candidate_day.values():
            if len(literals) > problem.max_per_day:
                model.add(sum(literals) <= problem.max_per_day)
    # Two requests for the same host and candidate are interchangeable: place the first first.
    first_of_pair: dict[tuple[str, str], str] = {}
    for request in requests:
        pair = (request.host, request.candidate)
        if pair in first_of_pair:
            model.add_implication(placed[request.id], placed[first_of_pair[pair]])
        else:
            first_of_pair[pair] = request.id

    hint = _greedy(problem, requests, free)
    for (request_id, index), variable in place.items():
        model.add_hint(variable, hint.get(request_id) == index)
    for request_id, variable in placed.items():
        model.add_hint(variable, request_id in hint)
    model.maximize(sum(placed.values()))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = NUM_WORKERS
    solver.parameters.random_seed = RANDOM_SEED
    # The model is already reduced (unavailable slots have no variable); CP-SAT's presolve
    # found nothing more and took most of the time (bench/interviews.py: 0.8 s -> 0.1 s).
    solver.parameters.cp_model_presolve = False
    # The greedy hint seeds the first solution; searching around it ("hint search") was slower
    # than CP-SAT's own search on tight instances (3x in CPU time on bench/interviews.py).
    solver.parameters.hint_conflict_limit = 0
    status = solver.solve(model)
    if status == cp_model.UNKNOWN:  # stopped before any solution: the greedy one is valid
        return hint, False
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT answered {solver.status_name(status)} for a valid instance")
    assignment = {
        request_id: index
        for (request_id, index), variable in place.items()
        if solver.boolean_value(variable)
    }
    if len(assignment) < len(hint):  # not expected: CP-SAT starts from the complete hint
        return hint, False
    return assignment, status == cp_model.OPTIMAL


def _day_windows(problem: Problem, width: int) -> list[list[int]]:
    """Every run of ``width`` consecutive slot indexes within one day (a shorter day: all)."""
    days: dict[str, list[int]] = defaultdict(list)
    for index, slot in enumerate(problem.slots):
        days[slot.day].append(index)
    windows = []
    for indexes in days.values():
        for first in range(max(1, len(indexes) - width + 1)):
            windows.append(indexes[first : first + width])
    return windows


class Occupancy:
    """What a (partial) schedule occupies, to ask quickly what keeps a request out of a slot."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.per_slot: dict[int, int] = defaultdict(int)
        self.hosts: set[tuple[str, int]] = set()
        self.candidate_positions: dict[tuple[str, str], list[int]] = defaultdict(list)

    def add(self, request: Request, index: int) -> None:
        slot = self.problem.slots[index]
        self.per_slot[index] += 1
        self.hosts.add((request.host, index))
        self.candidate_positions[request.candidate, slot.day].append(slot.position)

    def preference(self, request: Request, index: int) -> tuple[int, int, int]:
        """Lower is better: the candidate's interviews that day, the slot's, the slot index."""
        day = self.problem.slots[index].day
        return (len(self.candidate_positions[request.candidate, day]), self.per_slot[index], index)

    def blockers(self, request: Request, index: int) -> set[str]:
        """The rules that keep ``request`` (not itself added) out of slot ``index``."""
        problem, slot = self.problem, self.problem.slots[index]
        blockers = set()
        if (request.host, index) in self.hosts:
            blockers.add("host")
        positions = self.candidate_positions[request.candidate, slot.day]
        if any(abs(position - slot.position) <= problem.break_slots for position in positions):
            blockers.add("candidate")
        if problem.rooms is not None and self.per_slot[index] >= problem.rooms:
            blockers.add("rooms")
        if problem.max_per_day is not None and len(positions) >= problem.max_per_day:
            blockers.add("day")
        return blockers


def _greedy(
    problem: Problem, requests: Sequence[Request], free: dict[str, list[int]]
) -> dict[str, int]:
    """A quick valid assignment, the hint for CP-SAT.

    The most constrained requests go first, each in the open slot on the day where its
    candidate has the fewest interviews so far, then in the emptiest, then the earliest: this
    keeps room for later requests and reached the optimum on every benchmark variant tried.
    """
    assignment: dict[str, int] = {}
    occupancy = Occupancy(problem)
    for request in sorted(requests, key=lambda request: len(free[request.id])):
        open_slots = [index for index in free[request.id] if not occupancy.blockers(request, index)]
        if open_slots:
            best = min(open_slots, key=lambda index: occupancy.preference(request, index))
            assignment[request.id] = best
            occupancy.add(request, best)
    return assignment


# --- reasons -----------------------------------------------------------------------------


def _reason_in_solution(
    problem: Problem, request: Request, free: list[int], occupancy: Occupancy
) -> str:
    """Why ``request`` is not placed, read from what fills its free slots in the schedule."""
    host, candidate = request.host, request.candidate
    blocked = [occupancy.blockers(request, index) for index in free]
    if not all(blocked):
        # Only possible when the time limit stopped the search: placing it would be better.
        return "a slot where both are free is still open; the time limit stopped the search"
    everywhere = set.intersection(*blocked)
    if "day" in everywhere:
        days = sorted({problem.slots[index].day for index in free})
        all_days = {slot.day for slot in problem.slots}
        if len(days) == len(all_days) > 1:
            which = "both days" if len(days) == 2 else "every day"
        else:
            which = " and ".join(days)
        return f"{candidate} already has {problem.max_per_day} interviews on {which}"
    if "host" in everywhere:
        return f"{host} has another interview in every slot where both are free"
    if "candidate" in everywhere:
        if problem.break_slots:
            return (
                f"{candidate} has another interview, or the break next to one, "
                "in every slot where both are free"
            )
        return f"{candidate} has another interview in every slot where both are free"
    if "rooms" in everywhere:
        rooms = "1 room" if problem.rooms == 1 else f"{problem.rooms} rooms"
        if len(free) == 1:
            return f"the only slot where both are free is full ({rooms})"
        return f"all slots where both are free are full ({rooms})"
    counts = {kind: sum(kind in blockers for blockers in blocked) for kind in BLOCKER_KINDS}
    details = [
        text.format(host=host, candidate=candidate, n=counts[kind])
        for kind, text in BLOCKER_KINDS.items()
        if counts[kind]
    ]
    return (
        "not placed: placing it would displace another interview "
        f"(of the {len(free)} slots where both are free: {', '.join(details)})"
    )


BLOCKER_KINDS = {
    "host": "{host} is busy in {n}",
    "candidate": "{candidate} is busy or needs a break in {n}",
    "day": "{candidate} has reached the daily limit in {n}",
    "rooms": "{n} full",
}
