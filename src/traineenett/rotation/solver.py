"""Optimal rotation plans for a cohort: validate an instance, solve it, check a plan.

Pure Python on OR-Tools CP-SAT, no Django. The instance and plan formats are a public
contract, documented in docs/rotation-solver.md:

* ``validate(instance)`` raises :class:`InstanceError` whose ``messages`` name the field.
* ``solve(instance, time_limit)`` returns a plan; an infeasible instance gets conflicts in
  words a coordinator understands (pre-checks first, then a core of named rule groups
  from CP-SAT's assumptions).
* ``check(instance, assignment)`` lists every rule a (hand-edited, possibly partial)
  assignment breaks.
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

from traineenett.rotation import patterns, sentences

__all__ = ["Instance", "InstanceError", "check", "parse", "solve", "validate"]

OBJECTIVES = ("total", "maximin")
KNOWN_RULES = ("distinct_hosts", "min_sectors", "objective", "min_district_share", "move_penalty")
MAX_WORKERS = 8


class InstanceError(ValueError):
    """An instance that does not follow the format; ``messages`` name the fields."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Host:
    id: str
    sector: str
    capacity: tuple[int, ...]
    district: bool = False
    ratings: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Trainee:
    id: str
    utility: Mapping[str, int]
    pinned: Mapping[str, str]
    forbidden: frozenset[str]
    previous: Mapping[str, str]


@dataclass(frozen=True)
class Instance:
    """A validated instance with defaults filled in."""

    periods: tuple[str, ...]
    hosts: tuple[Host, ...]
    trainees: tuple[Trainee, ...]
    distinct_hosts: bool = False
    min_sectors: int = 1
    objective: str = "total"
    min_district_share: float | None = None
    move_penalty: int = 0
    has_districts: bool = False

    @property
    def host_by_id(self) -> dict[str, Host]:
        return {host.id: host for host in self.hosts}

    @property
    def sectors(self) -> list[str]:
        return sorted({host.sector for host in self.hosts})

    @property
    def required_sectors(self) -> int:
        """min(min_sectors, number of periods, number of sectors present)."""
        return min(self.min_sectors, len(self.periods), len(self.sectors))

    def district_required(self) -> int:
        """The number of trainee-periods that must be at district hosts."""
        if not self.min_district_share:
            return 0
        slots = len(self.trainees) * len(self.periods)
        return math.ceil(self.min_district_share * slots - 1e-9)

    def allowed(self, trainee: Trainee, host: Host, period_index: int) -> bool:
        """May the trainee be with the host in that period (before capacity is counted)?"""
        period = self.periods[period_index]
        if host.id in trainee.forbidden or host.capacity[period_index] <= 0:
            return False
        pinned = trainee.pinned.get(period)
        if pinned is not None:
            return pinned == host.id
        return not (self.distinct_hosts and host.id in trainee.pinned.values())


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_format(instance: Any) -> list[str]:
    errors: list[str] = []
    if not isinstance(instance, dict):
        return ["instance: must be a JSON object"]

    periods = instance.get("periods")
    if not isinstance(periods, list) or not periods:
        errors.append("periods: must be a non-empty list of period names")
        periods = []
    seen_periods: set[str] = set()
    for index, period in enumerate(periods):
        if not isinstance(period, str) or not period:
            errors.append(f"periods[{index}]: must be a non-empty string")
        elif period in seen_periods:
            errors.append(f'periods[{index}]: duplicate "{period}"')
        else:
            seen_periods.add(period)

    hosts = instance.get("hosts")
    if not isinstance(hosts, list):
        errors.append("hosts: must be a list")
        hosts = []
    host_ids: set[str] = set()
    for index, host in enumerate(hosts):
        where = f"hosts[{index}]"
        if not isinstance(host, dict):
            errors.append(f"{where}: must be an object")
            continue
        host_id = host.get("id")
        if not isinstance(host_id, str) or not host_id:
            errors.append(f"{where}.id: must be a non-empty string")
        elif host_id in host_ids:
            errors.append(f'{where}.id: duplicate "{host_id}"')
        else:
            host_ids.add(host_id)
        if not isinstance(host.get("sector"), str) or not host.get("sector"):
            errors.append(f"{where}.sector: must be a non-empty string")
        capacity = host.get("capacity")
        if not isinstance(capacity, list):
            errors.append(f"{where}.capacity: must be a list with one integer per period")
        else:
            if len(capacity) != len(periods):
                count = len(periods)
                errors.append(
                    f"{where}.capacity: {len(capacity)} value{'s' if len(capacity) != 1 else ''} "
                    f"for {count} period{'s' if count != 1 else ''}"
                )
            for position, places in enumerate(capacity):
                if not _is_int(places):
                    errors.append(f"{where}.capacity[{position}]: not an integer")
                elif places < 0:
                    errors.append(f"{where}.capacity[{position}]: negative")
        if "district" in host and not isinstance(host["district"], bool):
            errors.append(f"{where}.district: must be true or false")

    trainees = instance.get("trainees")
    if not isinstance(trainees, list):
        errors.append("trainees: must be a list")
        trainees = []
    trainee_ids: set[str] = set()
    for index, trainee in enumerate(trainees):
        where = f"trainees[{index}]"
        if not isinstance(trainee, dict):
            errors.append(f"{where}: must be an object")
            continue
        trainee_id = trainee.get("id")
        if not isinstance(trainee_id, str) or not trainee_id:
            errors.append(f"{where}.id: must be a non-empty string")
        elif trainee_id in trainee_ids:
            errors.append(f'{where}.id: duplicate "{trainee_id}"')
        else:
            trainee_ids.add(trainee_id)
        utility = trainee.get("utility", {})
        if not isinstance(utility, dict):
            errors.append(f"{where}.utility: must be an object of host id to integer")
        else:
            for host_id, value in utility.items():
                if host_id not in host_ids:
                    errors.append(f'{where}.utility.{host_id}: unknown host "{host_id}"')
                elif not _is_int(value):
                    errors.append(f"{where}.utility.{host_id}: not an integer")
        for key in ("pinned", "previous"):
            mapping = trainee.get(key, {})
            if not isinstance(mapping, dict):
                errors.append(f"{where}.{key}: must be an object of period to host id")
                continue
            for period, host_id in mapping.items():
                if period not in seen_periods:
                    errors.append(f'{where}.{key}.{period}: unknown period "{period}"')
                elif not isinstance(host_id, str) or host_id not in host_ids:
                    errors.append(f'{where}.{key}.{period}: unknown host "{host_id}"')
        forbidden = trainee.get("forbidden", [])
        if not isinstance(forbidden, list):
            errors.append(f"{where}.forbidden: must be a list of host ids")
        else:
            for position, host_id in enumerate(forbidden):
                if not isinstance(host_id, str) or host_id not in host_ids:
                    errors.append(f'{where}.forbidden[{position}]: unknown host "{host_id}"')

    # Ratings name trainees, so they are checked once every trainee id is known.
    for index, host in enumerate(hosts):
        if not isinstance(host, dict) or "ratings" not in host:
            continue
        ratings = host["ratings"]
        if not isinstance(ratings, dict):
            errors.append(f"hosts[{index}].ratings: must be an object of trainee id to integer")
            continue
        for trainee_id, value in ratings.items():
            if trainee_id not in trainee_ids:
                errors.append(
                    f'hosts[{index}].ratings.{trainee_id}: unknown trainee "{trainee_id}"'
                )
            elif not _is_int(value):
                errors.append(f"hosts[{index}].ratings.{trainee_id}: not an integer")

    rules = instance.get("rules", {})
    if not isinstance(rules, dict):
        errors.append("rules: must be an object")
        rules = {}
    for key in rules:
        if key not in KNOWN_RULES:
            errors.append(f"rules.{key}: unknown rule (known: {', '.join(KNOWN_RULES)})")
    if "distinct_hosts" in rules and not isinstance(rules["distinct_hosts"], bool):
        errors.append("rules.distinct_hosts: must be true or false")
    if "min_sectors" in rules and not (_is_int(rules["min_sectors"]) and rules["min_sectors"] >= 0):
        errors.append("rules.min_sectors: must be a non-negative integer")
    if "objective" in rules and rules["objective"] not in OBJECTIVES:
        errors.append('rules.objective: must be "total" or "maximin"')
    if "min_district_share" in rules:
        share = rules["min_district_share"]
        if (
            isinstance(share, bool)
            or not isinstance(share, int | float)
            or not 0 <= share <= 1
            or math.isnan(share)
        ):
            errors.append("rules.min_district_share: must be a number between 0 and 1")
    if "move_penalty" in rules and not (
        _is_int(rules["move_penalty"]) and rules["move_penalty"] >= 0
    ):
        errors.append("rules.move_penalty: must be a non-negative integer")
    return errors


def validate(instance: dict) -> None:
    """Raise :class:`InstanceError` naming every field that breaks the instance format."""
    errors = _check_format(instance)
    if errors:
        raise InstanceError(errors)


def parse(instance: dict) -> Instance:
    """Validate and convert an instance dict into an :class:`Instance`."""
    validate(instance)
    rules = instance.get("rules", {})
    hosts = tuple(
        Host(
            id=host["id"],
            sector=host["sector"],
            capacity=tuple(host["capacity"]),
            district=bool(host.get("district", False)),
            ratings=dict(host.get("ratings", {})),
        )
        for host in instance["hosts"]
    )
    trainees = tuple(
        Trainee(
            id=trainee["id"],
            utility=dict(trainee.get("utility", {})),
            pinned=dict(trainee.get("pinned", {})),
            forbidden=frozenset(trainee.get("forbidden", [])),
            previous=dict(trainee.get("previous", {})),
        )
        for trainee in instance["trainees"]
    )
    share = rules.get("min_district_share")
    return Instance(
        periods=tuple(instance["periods"]),
        hosts=hosts,
        trainees=trainees,
        distinct_hosts=bool(rules.get("distinct_hosts", False)),
        min_sectors=int(rules.get("min_sectors", 1)),
        objective=rules.get("objective", "total"),
        min_district_share=float(share) if share is not None else None,
        move_penalty=int(rules.get("move_penalty", 0)),
        has_districts=any("district" in host for host in instance["hosts"]),
    )


# --------------------------------------------------------------------------- wording


# Every sentence a coordinator reads is a template of ``sentences`` (the pages translate
# them from the text); only the format errors of ``validate`` are written here.
_say = sentences.render


def _percent(share: float) -> str:
    return f"{share * 100:g} %"


# --------------------------------------------------------------------------- check


def check(instance: dict, assignment: dict[str, dict[str, str]]) -> list[str]:
    """Every rule the assignment breaks, in a coordinator's words.

    The assignment may be partial (a trainee or a period missing) or hand-edited; each
    missing placement is reported as such, and the sector and district rules are only
    judged once the trainees concerned are fully placed.
    """
    parsed = parse(instance)
    hosts = parsed.host_by_id
    period_index = {period: index for index, period in enumerate(parsed.periods)}
    trainee_ids = {trainee.id for trainee in parsed.trainees}
    problems: list[str] = []

    for trainee_id in assignment:
        if trainee_id not in trainee_ids:
            problems.append(_say("check.not_a_trainee", trainee=trainee_id))
    counts: dict[tuple[str, str], list[str]] = defaultdict(list)
    district_slots = 0
    complete = True
    for trainee in parsed.trainees:
        placements = assignment.get(trainee.id) or {}
        for period, host_id in placements.items():
            if period not in period_index:
                problems.append(_say("check.not_a_period", trainee=trainee.id, period=period))
            elif host_id not in hosts:
                problems.append(
                    _say("check.not_a_host", trainee=trainee.id, host=host_id, period=period)
                )
        known = {
            period: host_id
            for period, host_id in placements.items()
            if period in period_index and host_id in hosts
        }
        for period in parsed.periods:
            found = known.get(period)
            if found is None:
                complete = False
                if period not in placements:
                    problems.append(_say("check.no_host", trainee=trainee.id, period=period))
                continue
            counts[(found, period)].append(trainee.id)
            if hosts[found].district:
                district_slots += 1
            if found in trainee.forbidden:
                problems.append(
                    _say("check.forbidden", trainee=trainee.id, host=found, period=period)
                )
            pinned = trainee.pinned.get(period)
            if pinned is not None and pinned != found:
                problems.append(
                    _say(
                        "check.pin_broken",
                        trainee=trainee.id,
                        pinned=pinned,
                        period=period,
                        host=found,
                    )
                )
        if parsed.distinct_hosts:
            visits: dict[str, list[str]] = defaultdict(list)
            for period in parsed.periods:
                if period in known:
                    visits[known[period]].append(period)
            for host_id, periods in visits.items():
                if len(periods) > 1:
                    if len(periods) == 2:
                        text = _say(
                            "check.meets_twice", trainee=trainee.id, host=host_id, periods=periods
                        )
                    else:
                        text = _say(
                            "check.meets_times",
                            trainee=trainee.id,
                            host=host_id,
                            times=len(periods),
                            periods=periods,
                        )
                    problems.append(text)
        required = parsed.required_sectors
        if required > 1 and len(known) == len(parsed.periods):
            spanned = len({hosts[host_id].sector for host_id in known.values()})
            if spanned < required:
                problems.append(
                    _say("check.sectors", trainee=trainee.id, spanned=spanned, required=required)
                )
    for period_position, period in enumerate(parsed.periods):
        for host in parsed.hosts:
            placed = counts.get((host.id, period), [])
            places = host.capacity[period_position]
            if len(placed) > places:
                if places == 0:
                    text = _say(
                        "check.over_capacity_none",
                        host=host.id,
                        trainees=len(placed),
                        period=period,
                    )
                else:
                    text = _say(
                        "check.over_capacity",
                        host=host.id,
                        trainees=len(placed),
                        period=period,
                        places=places,
                    )
                problems.append(text)
    required_slots = parsed.district_required()
    if required_slots and complete:
        slots = len(parsed.trainees) * len(parsed.periods)
        if district_slots < required_slots:
            problems.append(
                _say(
                    "check.district",
                    district=district_slots,
                    slots=slots,
                    share=_percent(district_slots / slots),
                    required_share=_percent(parsed.min_district_share or 0),
                    required=required_slots,
                )
            )
    return problems


# --------------------------------------------------------------------------- pre-checks


def _hall_violation(options: Mapping[str, set[str]]) -> list[str] | None:
    """The smallest set of periods whose open hosts are fewer than the periods, if any."""
    periods = list(options)
    for size in range(1, len(periods) + 1):
        for subset in itertools.combinations(periods, size):
            reachable = set().union(*(options[period] for period in subset))
            if len(reachable) < size:
                return list(subset)
    return None


def _max_distinct(options: Mapping[str, set[str]]) -> int:
    """How many different values one choice per period can reach (bipartite matching)."""
    match: dict[str, str] = {}

    def augment(period: str, seen: set[str]) -> bool:
        for value in sorted(options[period]):
            if value in seen:
                continue
            seen.add(value)
            if value not in match or augment(match[value], seen):
                match[value] = period
                return True
        return False

    return sum(augment(period, set()) for period in options)


def precheck(parsed: Instance) -> list[str]:
    """Conflicts that can be seen without search; each proves the instance infeasible."""
    conflicts: list[str] = []
    hosts = parsed.host_by_id
    periods = parsed.periods

    # Supply per period.
    for position, period in enumerate(periods):
        places = sum(host.capacity[position] for host in parsed.hosts)
        if places < len(parsed.trainees):
            conflicts.append(
                _say(
                    "precheck.period_places",
                    period=period,
                    trainees=len(parsed.trainees),
                    places=places,
                )
            )

    # Pins to forbidden hosts, pins beyond a host's places, pins that repeat a host.
    pinned_at: dict[tuple[str, int], list[str]] = defaultdict(list)
    for trainee in parsed.trainees:
        for period, host_id in trainee.pinned.items():
            if host_id in trainee.forbidden:
                conflicts.append(
                    _say("precheck.pin_forbidden", trainee=trainee.id, host=host_id, period=period)
                )
            pinned_at[(host_id, periods.index(period))].append(trainee.id)
        if parsed.distinct_hosts:
            by_host: dict[str, list[str]] = defaultdict(list)
            for period in periods:
                if period in trainee.pinned:
                    by_host[trainee.pinned[period]].append(period)
            for host_id, pinned_periods in by_host.items():
                if len(pinned_periods) > 1:
                    conflicts.append(
                        _say(
                            "precheck.pin_repeat",
                            trainee=trainee.id,
                            host=host_id,
                            periods=pinned_periods,
                        )
                    )
    for (host_id, position), trainee_ids in sorted(
        pinned_at.items(), key=lambda item: (item[0][1], item[0][0])
    ):
        places = hosts[host_id].capacity[position]
        if len(trainee_ids) > places:
            if places == 0:
                conflicts.append(
                    _say(
                        "precheck.pins_no_places",
                        host=host_id,
                        period=periods[position],
                        trainees=trainee_ids,
                    )
                )
            else:
                conflicts.append(
                    _say(
                        "precheck.pins_over_places",
                        host=host_id,
                        places=places,
                        period=periods[position],
                        pinned=len(trainee_ids),
                        trainees=trainee_ids,
                    )
                )
    if conflicts:
        return conflicts

    # Per trainee: an open host in every period, different hosts, enough sectors.
    required_sectors = parsed.required_sectors
    for trainee in parsed.trainees:
        options: dict[str, set[str]] = {
            period: {host.id for host in parsed.hosts if parsed.allowed(trainee, host, position)}
            for position, period in enumerate(periods)
        }
        empty = [period for period, open_hosts in options.items() if not open_hosts]
        if empty:
            conflicts.append(_say("precheck.no_allowed_host", trainee=trainee.id, periods=empty))
            continue
        if parsed.distinct_hosts:
            violation = _hall_violation(options)
            if violation is not None:
                reachable = sorted(set().union(*(options[period] for period in violation)))
                conflicts.append(
                    _say(
                        "precheck.too_few_hosts",
                        trainee=trainee.id,
                        periods=violation,
                        hosts=reachable,
                    )
                )
                continue
        if required_sectors > 1:
            sector_options = {
                period: {hosts[host_id].sector for host_id in open_hosts}
                for period, open_hosts in options.items()
            }
            if _max_distinct(sector_options) < required_sectors:
                parts: list[sentences.Parsed] = [
                    (
                        "part.sector_option_pinned",
                        {
                            "sectors": sorted(sectors),
                            "period": period,
                            "host": trainee.pinned[period],
                        },
                    )
                    if period in trainee.pinned
                    else ("part.sector_option", {"sectors": sorted(sectors), "period": period})
                    for period, sectors in sector_options.items()
                ]
                conflicts.append(
                    _say(
                        "precheck.sector_span",
                        trainee=trainee.id,
                        options=parts,
                        required=required_sectors,
                    )
                )

    # District share.
    required_slots = parsed.district_required()
    if required_slots:
        reachable_slots = 0
        for position in range(len(periods)):
            district_places = sum(host.capacity[position] for host in parsed.hosts if host.district)
            able = sum(
                1
                for trainee in parsed.trainees
                if any(
                    host.district and parsed.allowed(trainee, host, position)
                    for host in parsed.hosts
                )
            )
            reachable_slots += min(district_places, able)
        if parsed.distinct_hosts:
            # A trainee meets each district host at most once.
            per_trainee = sum(
                min(
                    len(periods),
                    sum(
                        1
                        for host in parsed.hosts
                        if host.district
                        and any(
                            parsed.allowed(trainee, host, position)
                            for position in range(len(periods))
                        )
                    ),
                )
                for trainee in parsed.trainees
            )
            reachable_slots = min(reachable_slots, per_trainee)
        if reachable_slots < required_slots:
            slots = len(parsed.trainees) * len(periods)
            conflicts.append(
                _say(
                    "precheck.district",
                    share=_percent(parsed.min_district_share or 0),
                    slots=slots,
                    required=required_slots,
                    reachable=reachable_slots,
                )
            )
    return conflicts


# --------------------------------------------------------------------------- the model


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


@dataclass
class _Model:
    """The CP-SAT model: one boolean per allowed (trainee, host, period)."""

    parsed: Instance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    # x[(t, h, p)] by indices
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    utility_terms: list[list[tuple[cp_model.IntVar, int]]] = field(default_factory=list)

    def build(self) -> None:
        parsed, model = self.parsed, self.model
        hosts = parsed.hosts
        sector_of = [host.sector for host in hosts]
        by_host_period: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        required_sectors = parsed.required_sectors
        for t, trainee in enumerate(parsed.trainees):
            terms: list[tuple[cp_model.IntVar, int]] = []
            by_host: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            by_sector: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for p in range(len(parsed.periods)):
                slot = []
                for h, host in enumerate(hosts):
                    if not parsed.allowed(trainee, host, p):
                        continue
                    var = model.new_bool_var(f"x_{t}_{h}_{p}")
                    self.x[(t, h, p)] = var
                    slot.append(var)
                    by_host_period[(h, p)].append(var)
                    by_host[h].append(var)
                    by_sector[sector_of[h]].append(var)
                    value = trainee.utility.get(host.id, 0)
                    if value:
                        terms.append((var, value))
                model.add_exactly_one(slot)
            if parsed.distinct_hosts:
                for variables in by_host.values():
                    if len(variables) > 1:
                        model.add_at_most_one(variables)
            if required_sectors > 1:
                indicators = []
                for sector, variables in by_sector.items():
                    indicator = model.new_bool_var(f"s_{t}_{sector}")
                    # The indicator may only be true when some host of the sector is used.
                    model.add_bool_or(variables).only_enforce_if(indicator)
                    indicators.append(indicator)
                model.add(sum(indicators) >= required_sectors)
            self.utility_terms.append(terms)
        for (h, p), variables in by_host_period.items():
            places = hosts[h].capacity[p]
            if len(variables) > places:
                model.add(sum(variables) <= places)
        required_slots = parsed.district_required()
        if required_slots:
            district = [var for (t, h, p), var in self.x.items() if hosts[h].district]
            model.add(sum(district) >= required_slots)

    def kept_previous(self) -> list[cp_model.IntVar]:
        """The variables that keep a trainee where the published plan had them."""
        host_index = {host.id: index for index, host in enumerate(self.parsed.hosts)}
        kept = []
        for t, trainee in enumerate(self.parsed.trainees):
            for period, host_id in trainee.previous.items():
                var = self.x.get((t, host_index[host_id], self.parsed.periods.index(period)))
                if var is not None:
                    kept.append(var)
        return kept

    def hint(self, assignment: Mapping[str, Mapping[str, str]]) -> None:
        host_index = {host.id: index for index, host in enumerate(self.parsed.hosts)}
        chosen = set()
        for t, trainee in enumerate(self.parsed.trainees):
            for p, period in enumerate(self.parsed.periods):
                host_id = assignment.get(trainee.id, {}).get(period)
                if host_id is not None:
                    chosen.add((t, host_index[host_id], p))
        for key, var in self.x.items():
            self.model.add_hint(var, key in chosen)

    def assignment(self, solver: cp_model.CpSolver) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {trainee.id: {} for trainee in self.parsed.trainees}
        for (t, h, p), var in self.x.items():
            if solver.boolean_value(var):
                result[self.parsed.trainees[t].id][self.parsed.periods[p]] = self.parsed.hosts[h].id
        return {
            trainee_id: {
                period: placements[period] for period in self.parsed.periods if period in placements
            }
            for trainee_id, placements in result.items()
        }


def flow_assignment(parsed: Instance, rounds: int = 3) -> dict[str, dict[str, str]]:
    """A strong starting plan: each period is a min-cost flow given the other periods.

    The first pass fills the periods in order; later passes re-optimise one period at a
    time with the others fixed (coordinate descent), so distinct hosts and the sector
    span are kept exactly where the other periods allow it. It only seeds the search:
    CP-SAT proves (or improves) the result.
    """
    from ortools.graph.python import min_cost_flow

    hosts, periods = parsed.hosts, parsed.periods
    trainees = parsed.trainees
    count_t, count_h = len(trainees), len(hosts)
    required = parsed.required_sectors
    host_position = {host.id: h for h, host in enumerate(hosts)}
    chosen: list[list[int | None]] = [[None] * len(periods) for _ in trainees]
    penalty = parsed.move_penalty
    previous = [
        {
            periods.index(period): host_position[host_id]
            for period, host_id in trainee.previous.items()
        }
        for trainee in trainees
    ]
    unplaced_cost = 10**6
    violation_cost = 10**4
    for _round in range(rounds):
        for p in range(len(periods)):
            tails: list[int] = []
            heads: list[int] = []
            costs: list[int] = []
            for t, trainee in enumerate(trainees):
                others = [
                    chosen[t][q] for q in range(len(periods)) if q != p and chosen[t][q] is not None
                ]
                open_later = sum(1 for q in range(len(periods)) if q != p and chosen[t][q] is None)
                sectors = {hosts[h].sector for h in others if h is not None}
                for h, host in enumerate(hosts):
                    if not parsed.allowed(trainee, host, p):
                        continue
                    cost = -trainee.utility.get(host.id, 0)
                    if penalty and previous[t].get(p) == h:
                        cost -= penalty
                    if parsed.distinct_hosts and h in others:
                        cost += violation_cost
                    if required > 1 and len(sectors | {host.sector}) + open_later < required:
                        cost += violation_cost
                    tails.append(1 + t)
                    heads.append(1 + count_t + h)
                    costs.append(cost)
            flow = min_cost_flow.SimpleMinCostFlow()
            source, unplaced, sink = 0, 1 + count_t + count_h, 2 + count_t + count_h
            for t in range(count_t):
                flow.add_arc_with_capacity_and_unit_cost(source, 1 + t, 1, 0)
                flow.add_arc_with_capacity_and_unit_cost(1 + t, unplaced, 1, unplaced_cost)
            arcs = [
                flow.add_arc_with_capacity_and_unit_cost(tail, head, 1, cost)
                for tail, head, cost in zip(tails, heads, costs, strict=True)
            ]
            for h, host in enumerate(hosts):
                if host.capacity[p] > 0:
                    flow.add_arc_with_capacity_and_unit_cost(
                        1 + count_t + h, sink, host.capacity[p], 0
                    )
            flow.add_arc_with_capacity_and_unit_cost(unplaced, sink, count_t, 0)
            flow.set_node_supply(source, count_t)
            flow.set_node_supply(sink, -count_t)
            if flow.solve() != flow.OPTIMAL:
                continue
            for t in range(count_t):
                chosen[t][p] = None
            for arc, tail, head in zip(arcs, tails, heads, strict=True):
                if flow.flow(arc) > 0:
                    chosen[tail - 1][p] = head - 1 - count_t
    return {
        trainee.id: {periods[p]: hosts[h].id for p, h in enumerate(chosen[t]) if h is not None}
        for t, trainee in enumerate(trainees)
    }


def _solver(time_limit: float, workers: int | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers or _workers()
    solver.parameters.random_seed = 0
    if solver.parameters.num_workers == 1:
        solver.parameters.linearization_level = 2
    elif solver.parameters.num_workers <= 3:
        # The default two-worker portfolio keeps only ``default_lp``, whose relaxation
        # leaves out the at-most-one rows (places, different hosts), so it never proves
        # a bound; ``max_lp`` carries the full relaxation, the others run LNS.
        solver.parameters.subsolvers.append("max_lp")
    # Cuts and lazily added rows slowed the root LP by minutes on the large benchmark
    # instances, where the plain relaxation is already tight.
    solver.parameters.cut_level = 0
    solver.parameters.add_lp_constraints_lazily = False
    return solver


# --------------------------------------------------------------------------- plan summary


def utility_per_trainee(
    parsed: Instance, assignment: Mapping[str, Mapping[str, str]]
) -> dict[str, int]:
    """The sum of utilities of each trainee's placements."""
    return {
        trainee.id: sum(
            trainee.utility.get(host_id, 0) for host_id in assignment.get(trainee.id, {}).values()
        )
        for trainee in parsed.trainees
    }


def count_moves(parsed: Instance, assignment: Mapping[str, Mapping[str, str]]) -> int:
    """The (trainee, period) pairs whose host differs from the published plan."""
    return sum(
        1
        for trainee in parsed.trainees
        for period, host_id in trainee.previous.items()
        if assignment.get(trainee.id, {}).get(period) != host_id
    )


def district_share(parsed: Instance, assignment: Mapping[str, Mapping[str, str]]) -> float | None:
    """The share of all trainee-periods at district hosts (None without district marks)."""
    slots = len(parsed.trainees) * len(parsed.periods)
    if not parsed.has_districts or not slots:
        return None
    hosts = parsed.host_by_id
    at_district = sum(
        1
        for placements in assignment.values()
        for host_id in placements.values()
        if host_id in hosts and hosts[host_id].district
    )
    return at_district / slots


def make_plan(
    parsed: Instance,
    *,
    status: str,
    assignment: dict[str, dict[str, str]],
    bound: float | None,
    seconds: float,
    conflicts: list[str] | None = None,
) -> dict[str, Any]:
    """A plan in the public format, its summary figures computed from the assignment."""
    utilities = utility_per_trainee(parsed, assignment)
    total = sum(utilities.values()) if assignment else 0
    return {
        "status": status,
        "objective": total,
        "bound": bound,
        "min_trainee_utility": min(utilities.values()) if assignment and utilities else 0,
        "seconds": round(seconds, 3),
        "assignment": assignment,
        "conflicts": conflicts or [],
        "moves": count_moves(parsed, assignment) if assignment else 0,
        "district_share": district_share(parsed, assignment) if assignment else None,
    }


# --------------------------------------------------------------------------- solve


def solve(instance: dict, time_limit: float = 60.0) -> dict[str, Any]:
    """The best plan for the instance within the time limit.

    ``status`` is ``optimal`` when proven optimal, ``feasible`` when a plan was found but
    not proven best in time, ``infeasible`` (with ``conflicts`` in words) otherwise.
    Raises :class:`InstanceError` for an instance that breaks the format.

    First the aggregated model (hosts a trainee does not care about pooled by sector and
    district class) is solved; when its plan can be completed with real hosts, the
    completion has the same objective and the relaxation's bound proves it optimal.
    For the fair objective the aggregated model is solved as a choice of one whole
    schedule per trainee (``patterns.fairest``), whose LP proves the floor and the total.
    Otherwise the full model is solved, seeded with a min-cost-flow plan.

    Each optimisation starts from the LP relaxation of the same model (HiGHS): a plan
    that reaches floor(LP optimum) is proven optimal by that bound (see ``_maximise``).
    """
    started = time.perf_counter()
    deadline = started + time_limit
    parsed = parse(instance)

    def elapsed() -> float:
        return time.perf_counter() - started

    conflicts = precheck(parsed)
    if conflicts:
        return make_plan(
            parsed,
            status="infeasible",
            assignment={},
            bound=None,
            seconds=elapsed(),
            conflicts=conflicts,
        )
    if not parsed.trainees:
        return make_plan(parsed, status="optimal", assignment={}, bound=0, seconds=elapsed())

    fallback: tuple[dict[str, dict[str, str]], int | None] | None = None
    aggregated = _AggregatedModel(parsed)
    if aggregated.worthwhile() and parsed.objective == "maximin":
        choice = patterns.fairest(
            parsed, aggregated.explicit, aggregated.class_of, started + 0.7 * time_limit, _workers()
        )
        completed = aggregated.complete_choice(choice, deadline) if choice else None
        if choice is not None and completed is not None:
            kept = sum(pattern.kept for pattern in choice.patterns)
            return make_plan(
                parsed,
                status="optimal" if choice.proven else "feasible",
                assignment=completed,
                bound=choice.bound - parsed.move_penalty * kept,
                seconds=elapsed(),
            )
    if aggregated.worthwhile():
        aggregated.build()
        # The relaxation gets most of the time; the full model the rest.
        share = started + 0.7 * time_limit
        outcome = _two_phase(
            parsed,
            aggregated.model,
            aggregated.utility_terms,
            aggregated.kept,
            share,
            hint=lambda: aggregated.hint(flow_assignment(parsed)),
        )
        if outcome.status == cp_model.INFEASIBLE:
            return _no_plan(parsed, outcome.status, elapsed(), time_limit)
        if outcome.solver is not None:
            completed = aggregated.complete(outcome.solver, deadline) or aggregated.complete(
                outcome.solver, deadline, same_class=False
            )
            if completed is not None and outcome.proven:
                return make_plan(
                    parsed,
                    status="optimal",
                    assignment=completed,
                    bound=outcome.bound,
                    seconds=elapsed(),
                )
            if completed is not None:
                fallback = (completed, outcome.bound if parsed.objective == "total" else None)

    built = _Model(parsed)
    built.build()
    outcome = _two_phase(
        parsed,
        built.model,
        built.utility_terms,
        built.kept_previous(),
        deadline,
        hint=lambda: built.hint(fallback[0] if fallback else flow_assignment(parsed)),
    )
    if outcome.solver is None:
        if fallback is not None:
            return make_plan(
                parsed,
                status="feasible",
                assignment=fallback[0],
                bound=fallback[1],
                seconds=elapsed(),
            )
        return _no_plan(parsed, outcome.status, elapsed(), time_limit)
    bound = outcome.bound
    if fallback is not None and fallback[1] is not None and bound is not None:
        bound = min(bound, fallback[1])
    assignment = built.assignment(outcome.solver)
    if fallback is not None and not outcome.proven and _better(parsed, fallback[0], assignment):
        # The full model ran out of time below the relaxation's completed plan.
        assignment = fallback[0]
    return make_plan(
        parsed,
        status="optimal" if outcome.proven else "feasible",
        assignment=assignment,
        bound=bound,
        seconds=elapsed(),
    )


def _better(
    parsed: Instance, first: dict[str, dict[str, str]], second: dict[str, dict[str, str]]
) -> bool:
    """Is the first plan better by the instance's objective (less move penalties)?"""

    def score(assignment: dict[str, dict[str, str]]) -> tuple[int, ...]:
        utilities = utility_per_trainee(parsed, assignment)
        total = sum(utilities.values()) - parsed.move_penalty * count_moves(parsed, assignment)
        if parsed.objective == "maximin":
            return (min(utilities.values()), total)
        return (total,)

    return score(first) > score(second)


@dataclass
class _Outcome:
    status: Any
    solver: cp_model.CpSolver | None = None
    proven: bool = False
    bound: int | None = None


def _two_phase(
    parsed: Instance,
    model: cp_model.CpModel,
    utility_terms: list[list[tuple[cp_model.IntVar, int]]],
    kept: list[cp_model.IntVar],
    deadline: float,
    hint: Callable[[], None] | None = None,
) -> _Outcome:
    """Maximise the total (less move penalties); for maximin first the smallest sum.

    With maximin the first optimum is fixed as a floor before the total is maximised.
    ``bound`` is on the plan's total utility at the plan's number of moves.
    """
    penalty = parsed.move_penalty if kept else 0
    proven = True
    first: cp_model.CpSolver | None = None

    def weighted(terms: list[tuple[cp_model.IntVar, int]]) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(
            [var for var, _ in terms], [value for _, value in terms]
        )

    if parsed.objective == "maximin":
        periods = len(parsed.periods)
        floor = model.new_int_var(
            min(0, *(min(t.utility.values(), default=0) * periods for t in parsed.trainees)),
            max(0, *(max(t.utility.values(), default=0) * periods for t in parsed.trainees)),
            "min_trainee_utility",
        )
        for terms in utility_terms:
            model.add(floor <= weighted(terms))
        model.maximize(floor)
        # Half the time for the floor, so the total has time too.
        half = time.perf_counter() + (deadline - time.perf_counter()) / 2
        if hint is not None:
            hint()
            hint = None
        status, first, proven_floor = _maximise_floor(model, floor, half)
        if first is None:
            return _Outcome(status)
        proven = proven_floor
        # Second phase: the total with the fairest floor fixed, from the first solution.
        model.add(floor >= round(first.value(floor)))
        model.clear_hints()
        for index in range(len(model.proto.variables)):
            var = model.get_int_var_from_proto_index(index)
            model.add_hint(var, first.value(var))
    objective = weighted([term for terms in utility_terms for term in terms])
    if penalty:
        objective = objective + cp_model.LinearExpr.weighted_sum(kept, [penalty] * len(kept))
    model.maximize(objective)
    status, solver, proven_total, bound = _maximise(model, deadline, hint)
    if solver is None:
        if parsed.objective == "maximin" and first is not None:
            # The fairest plan of the first phase is still a plan.
            return _Outcome(cp_model.FEASIBLE, first, proven=False, bound=None)
        return _Outcome(status)
    kept_count = sum(solver.boolean_value(var) for var in kept)
    return _Outcome(
        status,
        solver,
        proven=proven and proven_total,
        bound=None if bound is None else bound - penalty * kept_count,
    )


# --------------------------------------------------------------------------- LP bound


@dataclass
class _Relaxation:
    """The optimum of a model's LP relaxation (the real objective, maximised)."""

    value: float
    values: list[float]
    reduced_costs: list[float]

    @property
    def bound(self) -> int:
        """floor(LP optimum): no integer plan of the model scores more."""
        return patterns.integer_bound(self.value)


def lp_relaxation(model: cp_model.CpModel, time_limit: float) -> _Relaxation | None:
    """Solve the LP relaxation of the model's own proto with HiGHS (dual simplex).

    Every constraint of the model becomes LP rows (exactly-one, at-most-one, linear,
    and the sector indicators' ``indicator <= sum of the sector's variables``), so the
    LP optimum bounds the model's objective from above. None when the LP is not solved
    to optimality in time or the model has a constraint this translation does not know.
    The rows are gathered as arrays and handed over as one sparse matrix.
    """
    proto = model.proto
    count = len(proto.variables)
    lower, upper = np.empty(count), np.empty(count)
    for index, variable in enumerate(proto.variables):
        domain = list(variable.domain)
        lower[index], upper[index] = domain[0], domain[-1]
    huge = 2**62
    row_low: list[float] = []
    row_high: list[float] = []
    entries_row: list[int] = []
    entries_column: list[int] = []
    entries_value: list[float] = []

    def add_row(low: float, high: float, terms: Iterable[tuple[int, float]]) -> None:
        row, constant = len(row_low), 0.0
        for reference, coefficient in terms:
            entries_row.append(row)
            if reference >= 0:
                entries_column.append(reference)
                entries_value.append(coefficient)
            else:  # a negated literal: 1 - x
                entries_column.append(-reference - 1)
                entries_value.append(-coefficient)
                constant += coefficient
        row_low.append(low - constant)
        row_high.append(high - constant)

    for constraint in proto.constraints:
        enforcement = list(constraint.enforcement_literal)
        if constraint.has_exactly_one() or constraint.has_at_most_one():
            if enforcement:
                return None
            exact = constraint.has_exactly_one()
            literals = constraint.exactly_one.literals if exact else constraint.at_most_one.literals
            add_row(1.0 if exact else -math.inf, 1.0, [(ref, 1.0) for ref in literals])
        elif constraint.has_bool_or():
            literals = [(ref, 1.0) for ref in constraint.bool_or.literals]
            if not enforcement:
                add_row(1.0, math.inf, literals)
            for literal in enforcement:
                # literal => some of the literals: sum(literals) >= literal
                add_row(0.0, math.inf, [*literals, (literal, -1.0)])
        elif constraint.has_linear():
            if enforcement:
                return None
            domain = list(constraint.linear.domain)
            add_row(
                float(domain[0]) if domain[0] > -huge else -math.inf,
                float(domain[-1]) if domain[-1] < huge else math.inf,
                zip(constraint.linear.vars, map(float, constraint.linear.coeffs), strict=True),
            )
        else:
            return None
    goal = proto.objective
    cost = np.zeros(count)
    constant = 0.0
    for reference, coefficient in zip(goal.vars, goal.coeffs, strict=True):
        if reference >= 0:
            cost[reference] += coefficient
        else:
            cost[-reference - 1] -= coefficient
            constant += coefficient
    rows = csr_matrix((entries_value, (entries_row, entries_column)), shape=(len(row_low), count))
    low, high = np.array(row_low), np.array(row_high)
    equal = low == high
    below = ~equal & np.isfinite(high)
    above = ~equal & np.isfinite(low)
    result = linprog(
        cost,  # the proto minimises; a maximised model carries a negative scaling factor
        A_ub=vstack([rows[below], -rows[above]]),
        b_ub=np.concatenate([high[below], -low[above]]),
        A_eq=rows[equal],
        b_eq=high[equal],
        bounds=np.column_stack([lower, upper]),
        method="highs-ds",
        options={"time_limit": max(0.1, time_limit)},
    )
    if result.status != 0:
        return None
    scale = goal.scaling_factor or 1.0
    reduced = np.asarray(result.lower.marginals) + np.asarray(result.upper.marginals)
    return _Relaxation(
        value=scale * (result.fun + constant + goal.offset),
        values=result.x.tolist(),
        reduced_costs=(scale * reduced).tolist(),
    )


def _objective_expression(model: cp_model.CpModel) -> cp_model.LinearExpr:
    """The model's objective as it is reported (maximised), over the model's variables."""
    goal = model.proto.objective
    scale = round(goal.scaling_factor or 1.0)
    variables, coefficients = [], []
    for reference, coefficient in zip(goal.vars, goal.coeffs, strict=True):
        variables.append(model.get_int_var_from_proto_index(reference))
        coefficients.append(scale * coefficient)
    return cp_model.LinearExpr.weighted_sum(variables, coefficients) + scale * round(goal.offset)


class _StopAtBound(cp_model.CpSolverSolutionCallback):
    """Stop the search once a plan reaches a proven upper bound."""

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.bound - 1e-9:
            self.stop_search()


def _maximise_floor(
    model: cp_model.CpModel, floor: cp_model.IntVar, deadline: float
) -> tuple[Any, cp_model.CpSolver | None, bool]:
    """Maximise the smallest per-trainee sum: (status, solver or None, proven).

    The LP bound of the floor is weak (fractional placements share the popular hosts),
    but it is a valid start: from F = floor(LP bound) down, CP-SAT is asked whether a
    plan with every trainee at F or more exists. The first level with a plan is proven
    optimal, since the level above was proven infeasible (or is the LP bound). Plain
    feasibility questions with CP-SAT's default portfolio prove these levels much faster
    than the optimisation does.
    """
    relaxation = None
    if deadline - time.perf_counter() > 0.5:
        relaxation = lp_relaxation(model, 0.2 * (deadline - time.perf_counter()))
    if relaxation is None:
        status, solver, proven, _ = _maximise(model, deadline)
        return status, solver, proven
    level = relaxation.bound
    while deadline - time.perf_counter() > 0.1:
        trial = model.clone()
        trial.clear_objective()
        trial.add(trial.get_int_var_from_proto_index(floor.index) >= level)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = _workers()
        solver.parameters.random_seed = 0
        # A level may take long to settle; keep most of the time for the fallback.
        solver.parameters.max_time_in_seconds = max(0.01, 0.35 * (deadline - time.perf_counter()))
        status = solver.solve(trial)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return cp_model.OPTIMAL, solver, True
        if status != cp_model.INFEASIBLE:
            break
        level -= 1
    # Out of time: every level above ``level`` is proven out of reach.
    model.add(floor <= level)
    status, solver, proven, _ = _maximise(model, deadline)
    return status, solver, proven


def _maximise(
    model: cp_model.CpModel, deadline: float, hint: Callable[[], None] | None = None
) -> tuple[Any, cp_model.CpSolver | None, bool, int | None]:
    """Maximise the model's objective: (status, solver or None, proven, bound).

    First the LP relaxation (HiGHS) gives a proven bound B = floor(LP optimum). A copy of
    the model then looks for a plan scoring B, restricted around the LP optimum: every
    variable at 1 in the LP stays 1, and every variable whose reduced cost shows it
    cannot be used by a plan scoring B stays 0. Such a plan is optimal — its objective
    reaches a valid bound — whatever the restriction. Otherwise CP-SAT searches the
    whole model with ``objective <= B`` added (a valid cut) and stops once it reaches B.
    """
    relaxation = None
    if deadline - time.perf_counter() > 0.5:
        relaxation = lp_relaxation(model, 0.3 * (deadline - time.perf_counter()))
    if relaxation is not None:
        bound = relaxation.bound
        trial = model.clone()
        slack = relaxation.value - bound + 1e-4
        trial.clear_hints()
        for index, (value, cost) in enumerate(
            zip(relaxation.values, relaxation.reduced_costs, strict=True)
        ):
            if list(model.proto.variables[index].domain) != [0, 1]:
                continue
            var = trial.get_int_var_from_proto_index(index)
            trial.add_hint(var, value > 0.5)
            if value > 1 - 1e-6 or (value > 0.5 and cost > slack):
                trial.add(var == 1)
            elif value < 0.5 and -cost > slack:
                trial.add(var == 0)
        trial.add(_objective_expression(trial) >= bound)
        remaining = deadline - time.perf_counter()
        solver = _solver(min(remaining, max(5.0, 0.25 * remaining)))
        status = solver.solve(trial)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return cp_model.OPTIMAL, solver, True, bound
        model.add(_objective_expression(model) <= bound)
    if hint is not None:
        hint()  # only needed when the LP path did not settle it
    solver = _solver(deadline - time.perf_counter())
    if relaxation is None:
        status = solver.solve(model)
    else:
        status = solver.solve(model, _StopAtBound(relaxation.bound))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None, False, None
    proven = status == cp_model.OPTIMAL
    bound_found = solver.best_objective_bound
    best = round(bound_found) if math.isfinite(bound_found) else None
    if relaxation is not None:
        best = relaxation.bound if best is None else min(best, relaxation.bound)
        if solver.objective_value >= relaxation.bound - 1e-9:
            proven = True
    return status, solver, proven, best


class _AggregatedModel:
    """A relaxation that pools the hosts a trainee is indifferent to.

    For each trainee the *explicit* hosts are those with a non-zero utility, its pinned
    hosts and (with a move penalty) its previous hosts; every other allowed host has
    utility 0 for it and is only represented by a filler variable per period and host
    class (sector, district). Places are counted per explicit host and per class. A
    plan of this model whose fillers can be given real hosts (``complete``) is a plan
    of the full model with the same objective, so the relaxation's optimum proves it.
    """

    def __init__(self, parsed: Instance) -> None:
        self.parsed = parsed
        self.model = cp_model.CpModel()
        hosts = parsed.hosts
        host_position = {host.id: h for h, host in enumerate(hosts)}
        # The district mark only splits a class when the district share is a rule.
        key = [(host.sector, host.district and bool(parsed.min_district_share)) for host in hosts]
        self.classes = sorted(set(key))
        self.class_of = [self.classes.index(host_key) for host_key in key]
        self.explicit: list[set[int]] = []
        for trainee in parsed.trainees:
            chosen = {host_position[h] for h, value in trainee.utility.items() if value}
            chosen |= {host_position[h] for h in trainee.pinned.values()}
            if parsed.move_penalty:
                chosen |= {host_position[h] for h in trainee.previous.values()}
            self.explicit.append(chosen)
        self.w: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.f: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.utility_terms: list[list[tuple[cp_model.IntVar, int]]] = []
        self.kept: list[cp_model.IntVar] = []

    def worthwhile(self) -> bool:
        """Pooling only pays when trainees care about few of the hosts."""
        hosts = len(self.parsed.hosts)
        return sum(len(chosen) for chosen in self.explicit) <= 0.5 * hosts * len(self.explicit)

    def build(self) -> None:
        parsed, model = self.parsed, self.model
        hosts, periods = parsed.hosts, parsed.periods
        required_sectors = parsed.required_sectors
        explicit_load: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        class_load: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        district_vars: list[cp_model.IntVar] = []
        for t, trainee in enumerate(parsed.trainees):
            terms: list[tuple[cp_model.IntVar, int]] = []
            by_host: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            by_sector: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            filler_by_class: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            filler_hosts: dict[int, set[int]] = defaultdict(set)
            for p in range(len(periods)):
                slot = []
                classes_open: set[int] = set()
                for h, host in enumerate(hosts):
                    if not parsed.allowed(trainee, host, p):
                        continue
                    if h in self.explicit[t]:
                        var = model.new_bool_var(f"w_{t}_{h}_{p}")
                        self.w[(t, h, p)] = var
                        slot.append(var)
                        explicit_load[(h, p)].append(var)
                        class_load[(self.class_of[h], p)].append(var)
                        by_host[h].append(var)
                        by_sector[host.sector].append(var)
                        if host.district:
                            district_vars.append(var)
                        value = trainee.utility.get(host.id, 0)
                        if value:
                            terms.append((var, value))
                        if parsed.move_penalty and trainee.previous.get(periods[p]) == host.id:
                            self.kept.append(var)
                    else:
                        classes_open.add(self.class_of[h])
                        filler_hosts[self.class_of[h]].add(h)
                for c in sorted(classes_open):
                    var = model.new_bool_var(f"f_{t}_{c}_{p}")
                    self.f[(t, c, p)] = var
                    slot.append(var)
                    class_load[(c, p)].append(var)
                    filler_by_class[c].append(var)
                    sector, district = self.classes[c]
                    by_sector[sector].append(var)
                    if district:
                        district_vars.append(var)
                model.add_exactly_one(slot)
            if parsed.distinct_hosts:
                for variables in by_host.values():
                    if len(variables) > 1:
                        model.add_at_most_one(variables)
                for c, variables in filler_by_class.items():
                    if len(variables) > len(filler_hosts[c]):
                        model.add(sum(variables) <= len(filler_hosts[c]))
            if required_sectors > 1:
                indicators = []
                for sector, variables in by_sector.items():
                    indicator = model.new_bool_var(f"s_{t}_{sector}")
                    model.add_bool_or(variables).only_enforce_if(indicator)
                    indicators.append(indicator)
                model.add(sum(indicators) >= required_sectors)
            self.utility_terms.append(terms)
        for (h, p), variables in explicit_load.items():
            if len(variables) > hosts[h].capacity[p]:
                model.add(sum(variables) <= hosts[h].capacity[p])
        for (c, p), variables in class_load.items():
            places = sum(host.capacity[p] for h, host in enumerate(hosts) if self.class_of[h] == c)
            if len(variables) > places:
                model.add(sum(variables) <= places)
        required_slots = parsed.district_required()
        if required_slots:
            model.add(sum(district_vars) >= required_slots)

    def hint(self, assignment: Mapping[str, Mapping[str, str]]) -> None:
        """Seed the search with a plan of the full model."""
        host_position = {host.id: h for h, host in enumerate(self.parsed.hosts)}
        chosen = set()
        for t, trainee in enumerate(self.parsed.trainees):
            for p, period in enumerate(self.parsed.periods):
                host_id = assignment.get(trainee.id, {}).get(period)
                if host_id is None:
                    continue
                h = host_position[host_id]
                chosen.add(
                    ("w", t, h, p) if h in self.explicit[t] else ("f", t, self.class_of[h], p)
                )
        for (t, h, p), var in self.w.items():
            self.model.add_hint(var, ("w", t, h, p) in chosen)
        for (t, c, p), var in self.f.items():
            self.model.add_hint(var, ("f", t, c, p) in chosen)

    def complete(
        self, solver: cp_model.CpSolver, deadline: float, *, same_class: bool = True
    ) -> dict[str, dict[str, str]] | None:
        """Give every filler of the solved model a real host (see ``complete_slots``)."""
        explicit = [key for key, var in self.w.items() if solver.boolean_value(var)]
        fillers = [key for key, var in self.f.items() if solver.boolean_value(var)]
        return self.complete_slots(explicit, fillers, deadline, same_class=same_class)

    def complete_choice(
        self, choice: patterns.Choice, deadline: float
    ) -> dict[str, dict[str, str]] | None:
        """Give every filler of a pattern choice a real host (see ``complete_slots``)."""
        explicit: list[tuple[int, int, int]] = []
        fillers: list[tuple[int, int, int]] = []
        for pattern in choice.patterns:
            for p, option in enumerate(pattern.options):
                key = (pattern.trainee, option.index, p)
                (explicit if option.kind == patterns.EXPLICIT else fillers).append(key)
        return self.complete_slots(explicit, fillers, deadline) or self.complete_slots(
            explicit, fillers, deadline, same_class=False
        )

    def complete_slots(
        self,
        explicit: list[tuple[int, int, int]],
        fillers: list[tuple[int, int, int]],
        deadline: float,
        *,
        same_class: bool = True,
    ) -> dict[str, dict[str, str]] | None:
        """Give every filler (trainee, class, period) a real host, or None when that is
        impossible; ``explicit`` holds the (trainee, host, period) placements.

        With ``same_class`` each filler gets a host of its class. Otherwise any host of
        utility 0 for the trainee will do, with the sector span and the district share
        checked again: the objective is the same either way.
        """
        parsed = self.parsed
        hosts, periods = parsed.hosts, parsed.periods
        left = {
            (h, p): host.capacity[p] for h, host in enumerate(hosts) for p in range(len(periods))
        }
        assignment: dict[str, dict[str, str]] = {trainee.id: {} for trainee in parsed.trainees}
        met: dict[int, set[int]] = defaultdict(set)
        for t, h, p in explicit:
            assignment[parsed.trainees[t].id][periods[p]] = hosts[h].id
            left[(h, p)] -= 1
            met[t].add(h)
        slots = fillers
        if slots:
            model = cp_model.CpModel()
            z: dict[tuple[int, int, int], cp_model.IntVar] = {}
            load: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
            visits: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
            fillers_of: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
            for t, c, p in slots:
                trainee = parsed.trainees[t]
                options = []
                for h, host in enumerate(hosts):
                    if (
                        (same_class and self.class_of[h] != c)
                        or h in self.explicit[t]
                        or trainee.utility.get(host.id, 0)
                        or left[(h, p)] <= 0
                        or not parsed.allowed(trainee, host, p)
                        or (parsed.distinct_hosts and h in met[t])
                    ):
                        continue
                    z[(t, h, p)] = var = model.new_bool_var("")
                    options.append(var)
                    load[(h, p)].append(var)
                    visits[(t, h)].append(var)
                    fillers_of[t].append((h, var))
                if not options:
                    return None
                model.add_exactly_one(options)
            if not same_class:
                self._keep_sectors_and_districts(model, assignment, fillers_of)
            for (h, p), variables in load.items():
                if len(variables) > left[(h, p)]:
                    model.add(sum(variables) <= left[(h, p)])
            if parsed.distinct_hosts:
                for variables in visits.values():
                    if len(variables) > 1:
                        model.add_at_most_one(variables)
            solver = _solver(min(30.0, deadline - time.perf_counter()))
            if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return None
            for (t, h, p), var in z.items():
                if solver.boolean_value(var):
                    assignment[parsed.trainees[t].id][periods[p]] = hosts[h].id
        return {
            trainee_id: {period: placed[period] for period in periods if period in placed}
            for trainee_id, placed in assignment.items()
        }

    def _keep_sectors_and_districts(
        self,
        model: cp_model.CpModel,
        assignment: Mapping[str, Mapping[str, str]],
        fillers_of: Mapping[int, list[tuple[int, cp_model.IntVar]]],
    ) -> None:
        parsed = self.parsed
        hosts = parsed.host_by_id
        required = parsed.required_sectors
        district_fixed = sum(
            1
            for placed in assignment.values()
            for host_id in placed.values()
            if hosts[host_id].district
        )
        district_vars = []
        for t, options in fillers_of.items():
            trainee = parsed.trainees[t]
            have = {hosts[host_id].sector for host_id in assignment[trainee.id].values()}
            district_vars += [var for h, var in options if parsed.hosts[h].district]
            if required <= 1 or len(have) >= required:
                continue
            by_sector: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for h, var in options:
                if parsed.hosts[h].sector not in have:
                    by_sector[parsed.hosts[h].sector].append(var)
            indicators = []
            for variables in by_sector.values():
                indicator = model.new_bool_var("")
                model.add_bool_or(variables).only_enforce_if(indicator)
                indicators.append(indicator)
            model.add(sum(indicators) >= required - len(have))
        required_slots = parsed.district_required()
        if required_slots > district_fixed:
            model.add(sum(district_vars) >= required_slots - district_fixed)


def _no_plan(parsed: Instance, status: Any, seconds: float, time_limit: float) -> dict[str, Any]:
    if status == cp_model.INFEASIBLE:
        conflicts = explain(parsed, time_limit=max(5.0, time_limit - seconds))
    else:
        conflicts = [_say("solve.time_limit", seconds=f"{time_limit:g}")]
    return make_plan(
        parsed, status="infeasible", assignment={}, bound=None, seconds=seconds, conflicts=conflicts
    )


# --------------------------------------------------------------------------- explanations


def _describe_group(parsed: Instance, group: tuple[Any, ...]) -> sentences.Parsed:
    """A rule group as a part of the explanation sentence: its key and parameters."""
    kind = group[0]
    if kind == "capacity":
        host, position = group[1], group[2]
        places = parsed.host_by_id[host].capacity[position]
        period = parsed.periods[position]
        if places == 0:
            return "group.capacity_none", {"host": host, "period": period}
        return "group.capacity", {"host": host, "places": places, "period": period}
    if kind == "distinct":
        return "group.distinct", {"trainee": group[1]}
    if kind == "sectors":
        return "group.sectors", {"trainee": group[1], "required": parsed.required_sectors}
    if kind == "pins":
        trainee = next(trainee for trainee in parsed.trainees if trainee.id == group[1])
        pins = [
            ("part.pin", {"host": trainee.pinned[period], "period": period})
            for period in parsed.periods
            if period in trainee.pinned
        ]
        return "group.pins", {"trainee": trainee.id, "pins": pins}
    if kind == "forbidden":
        trainee = next(trainee for trainee in parsed.trainees if trainee.id == group[1])
        return "group.forbidden", {"hosts": sorted(trainee.forbidden), "trainee": trainee.id}
    if kind == "district":
        return "group.district", {
            "share": _percent(parsed.min_district_share or 0),
            "required": parsed.district_required(),
        }
    raise ValueError(kind)


def explain(parsed: Instance, time_limit: float = 30.0) -> list[str]:
    """Why the instance is infeasible: a small set of named rule groups that clash.

    Every rule group (the places of a host in a period, a trainee's different hosts,
    sector span, pins and forbidden hosts, the district share) gets an assumption
    literal; CP-SAT returns a sufficient set, which is then shrunk by deletion.
    """
    deadline = time.perf_counter() + time_limit
    model = cp_model.CpModel()
    hosts, periods = parsed.hosts, parsed.periods
    groups: dict[int, tuple[Any, ...]] = {}
    literals: list[cp_model.IntVar] = []

    def group(*key: Any) -> cp_model.IntVar:
        literal = model.new_bool_var("/".join(map(str, key)))
        groups[literal.index] = key
        literals.append(literal)
        return literal

    by_host_period: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    district_vars: list[cp_model.IntVar] = []
    required_sectors = parsed.required_sectors
    for trainee in parsed.trainees:
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        for p in range(len(periods)):
            for h in range(len(hosts)):
                x[(h, p)] = var = model.new_bool_var("")
                by_host_period[(h, p)].append(var)
                if hosts[h].district:
                    district_vars.append(var)
            model.add_exactly_one([x[(h, p)] for h in range(len(hosts))])
        host_position = {host.id: h for h, host in enumerate(hosts)}
        if trainee.pinned:
            literal = group("pins", trainee.id)
            for period, host_id in trainee.pinned.items():
                model.add(x[(host_position[host_id], periods.index(period))] == 1).only_enforce_if(
                    literal
                )
        if trainee.forbidden:
            literal = group("forbidden", trainee.id)
            for host_id in trainee.forbidden:
                for p in range(len(periods)):
                    model.add(x[(host_position[host_id], p)] == 0).only_enforce_if(literal)
        if parsed.distinct_hosts and len(periods) > 1:
            literal = group("distinct", trainee.id)
            for h in range(len(hosts)):
                model.add(sum(x[(h, p)] for p in range(len(periods))) <= 1).only_enforce_if(literal)
        if required_sectors > 1:
            literal = group("sectors", trainee.id)
            indicators = []
            for sector in parsed.sectors:
                indicator = model.new_bool_var("")
                model.add(
                    sum(
                        x[(h, p)]
                        for h, host in enumerate(hosts)
                        if host.sector == sector
                        for p in range(len(periods))
                    )
                    >= indicator
                )
                indicators.append(indicator)
            model.add(sum(indicators) >= required_sectors).only_enforce_if(literal)
    for (h, p), variables in by_host_period.items():
        if len(variables) > hosts[h].capacity[p]:
            literal = group("capacity", hosts[h].id, p)
            model.add(sum(variables) <= hosts[h].capacity[p]).only_enforce_if(literal)
    required_slots = parsed.district_required()
    if required_slots:
        literal = group("district")
        model.add(sum(district_vars) >= required_slots).only_enforce_if(literal)

    def infeasible_with(subset: list[cp_model.IntVar]) -> tuple[bool, list[int]]:
        model.clear_assumptions()
        model.add_assumptions(subset)
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return False, []
        # Assumption cores are only reported by a single worker.
        solver = _solver(min(remaining, 10.0), workers=1)
        status = solver.solve(model)
        if status != cp_model.INFEASIBLE:
            return False, []
        return True, [
            index for index in solver.sufficient_assumptions_for_infeasibility() if index in groups
        ]

    infeasible, core_indices = infeasible_with(literals)
    if not infeasible:
        return [_say("explain.no_core")]
    by_index = {literal.index: literal for literal in literals}
    core = [by_index[index] for index in core_indices] or list(literals)
    confirmed, _ = infeasible_with(core)
    if not confirmed:
        core = list(literals)
    # Deletion: drop each group whose absence still leaves the rest infeasible.
    position = 0
    while position < len(core) and time.perf_counter() < deadline:
        trial = core[:position] + core[position + 1 :]
        still, smaller = infeasible_with(trial)
        if still:
            keep = set(smaller) if smaller else {literal.index for literal in trial}
            core = [literal for literal in trial if literal.index in keep] or trial
        else:
            position += 1
    descriptions = [
        _describe_group(parsed, groups[literal.index]) for literal in _ordered(core, groups)
    ]
    return [_say("explain.core", rules=descriptions)]


def _ordered(
    core: Iterable[cp_model.IntVar], groups: Mapping[int, tuple[Any, ...]]
) -> list[cp_model.IntVar]:
    order = {"district": 0, "capacity": 1, "pins": 2, "forbidden": 3, "distinct": 4, "sectors": 5}
    return sorted(
        core,
        key=lambda literal: (
            order[groups[literal.index][0]],
            [str(part) for part in groups[literal.index]],
        ),
    )
