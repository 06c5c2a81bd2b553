"""Whole schedules per trainee (patterns): the fair objective as a set-partitioning master.

The solver's aggregated model gives each trainee, in every period, either an *explicit*
host (one it has a utility for, is pinned to, or had in the published plan) or a
*filler* of a host class (sector, district). A pattern is one choice per period. Every
rule that concerns one trainee — distinct hosts, the sector span, pins, forbidden hosts
and, for the fair objective, the utility floor — is checked while the patterns are
listed, so only places couple the trainees: each explicit host's places per period, each
class's places per period, and the district share.

Choosing one pattern per trainee under those rows is the aggregated model itself, but
its LP relaxation (a Dantzig–Wolfe master with every column listed) is much stronger
than the compact model's: a fractional trainee can only mix whole schedules that each
reach the floor. That is what proves the fair plans optimal:

1. **Floor.** From the highest floor any trainee could reach alone downwards, the master
   LP over *minimal* patterns (no explicit host could give way to a filler of its class
   and stay at the floor) decides whether the floor is possible; an infeasible LP proves
   the floor out of reach. At the first floor the LP allows, CP-SAT looks for a choice.
2. **Total under the floor.** The master LP with every pattern at the floor gives a
   bound B and reduced costs. A plan scoring T uses only patterns whose reduced cost is
   at most B − T (reduced-cost fixing), so CP-SAT searches those few patterns for a plan
   scoring T, from T = floor(B) down: the first T found is optimal, and each T without a
   plan is proven impossible on the way.

Pure Python (SciPy's HiGHS for the LPs, CP-SAT for the choices), no Django.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
from ortools.sat.python import cp_model
from scipy.optimize import linprog
from scipy.sparse import csc_matrix, vstack

if TYPE_CHECKING:
    from traineenett.rotation.solver import Instance

# Listing stops beyond this many patterns: the compact model is used instead.
MAX_PATTERNS = 250_000
LP_TOLERANCE = 1e-6

EXPLICIT, FILLER = 0, 1


def integer_bound(value: float) -> int:
    """floor(LP optimum), allowing for the LP's rounding: no integer plan scores more."""
    return math.floor(value + LP_TOLERANCE * max(1.0, abs(value)))


@dataclass(frozen=True)
class Option:
    """One way to fill one period for one trainee."""

    kind: int  # EXPLICIT (index = host) or FILLER (index = class)
    index: int
    host_class: int
    utility: int
    kept: bool  # the published plan had the trainee here
    pinned: bool
    sector: str
    district: bool


@dataclass
class Pattern:
    trainee: int
    options: tuple[Option, ...]
    utility: int
    kept: int

    def value(self, move_penalty: int) -> int:
        """The pattern's share of the objective: utility plus the penalty for staying."""
        return self.utility + move_penalty * self.kept


@dataclass
class Choice:
    """A plan of the aggregated model: one pattern per trainee, with its proof."""

    patterns: list[Pattern]
    floor: int
    total: int
    bound: int
    proven: bool


@dataclass
class _Lp:
    status: str  # "optimal", "infeasible" or "unknown"
    value: float = 0.0
    x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reduced_costs: np.ndarray = field(default_factory=lambda: np.zeros(0))


class Patterns:
    """The patterns of every trainee, listed on demand for a floor."""

    def __init__(
        self,
        parsed: Instance,
        explicit: Sequence[set[int]],
        class_of: Sequence[int],
    ) -> None:
        self.parsed = parsed
        self.class_of = class_of
        hosts, periods = parsed.hosts, parsed.periods
        self.class_places: dict[tuple[int, int], int] = defaultdict(int)
        for h, host in enumerate(hosts):
            for p in range(len(periods)):
                self.class_places[(class_of[h], p)] += host.capacity[p]
        self.options: list[list[list[Option]]] = []
        self.filler_hosts: list[dict[int, int]] = []
        for t, trainee in enumerate(parsed.trainees):
            per_period = []
            filler_hosts: dict[int, set[int]] = defaultdict(set)
            for p, period in enumerate(periods):
                slot: list[Option] = []
                open_classes = set()
                for h, host in enumerate(hosts):
                    if not parsed.allowed(trainee, host, p):
                        continue
                    if h in explicit[t]:
                        slot.append(
                            Option(
                                EXPLICIT,
                                h,
                                class_of[h],
                                trainee.utility.get(host.id, 0),
                                trainee.previous.get(period) == host.id,
                                trainee.pinned.get(period) == host.id,
                                host.sector,
                                host.district,
                            )
                        )
                    else:
                        open_classes.add(class_of[h])
                        filler_hosts[class_of[h]].add(h)
                for c in sorted(open_classes):
                    sample = next(iter(filler_hosts[c]))
                    slot.append(
                        Option(
                            FILLER,
                            c,
                            c,
                            0,
                            False,
                            False,
                            hosts[sample].sector,
                            hosts[sample].district,
                        )
                    )
                slot.sort(key=lambda option: -option.utility)
                per_period.append(slot)
            self.options.append(per_period)
            self.filler_hosts.append({c: len(found) for c, found in filler_hosts.items()})

    def best(self, t: int) -> int | None:
        """The highest utility the trainee can reach alone (None: no pattern at all)."""
        options = self.options[t]
        ceiling = sum(max((o.utility for o in slot), default=0) for slot in options)
        lowest = sum(min((o.utility for o in slot), default=0) for slot in options)
        for level in range(ceiling, lowest - 1, -1):
            found = self.listed(t, level=level, minimal=False)
            if found:
                return max(pattern.utility for pattern in found)
        return None

    def listed(self, t: int, *, level: int | None, minimal: bool) -> list[Pattern]:
        """The trainee's patterns at or above ``level`` (all of them with None).

        ``minimal`` leaves out patterns where an explicit host could give way to a filler
        of its class and the pattern stay at the level: such a pattern uses the same
        places and one more, so a plan with it has a plan with the lesser one too.
        """
        parsed = self.parsed
        options = self.options[t]
        filler_hosts = self.filler_hosts[t]
        reach = [0] * (len(options) + 1)
        for p in range(len(options) - 1, -1, -1):
            reach[p] = reach[p + 1] + max((option.utility for option in options[p]), default=0)
        required = parsed.required_sectors
        found: list[Pattern] = []
        chosen: list[Option] = []

        def visit(p: int, utility: int) -> None:
            if level is not None and utility + reach[p] < level:
                return
            if p == len(options):
                if len({option.sector for option in chosen}) < required:
                    return
                if minimal and level is not None and self._reducible(chosen, utility, level, t):
                    return
                kept = sum(option.kept for option in chosen)
                found.append(Pattern(t, tuple(chosen), utility, kept))
                return
            for option in options[p]:
                if parsed.distinct_hosts and not self._distinct(chosen, option, filler_hosts):
                    continue
                chosen.append(option)
                visit(p + 1, utility + option.utility)
                chosen.pop()

        visit(0, 0)
        return found

    @staticmethod
    def _distinct(chosen: list[Option], option: Option, filler_hosts: dict[int, int]) -> bool:
        if option.kind == EXPLICIT:
            return all(o.kind != EXPLICIT or o.index != option.index for o in chosen)
        same = sum(1 for o in chosen if o.kind == FILLER and o.index == option.index)
        return same < filler_hosts.get(option.index, 0)

    def _reducible(self, chosen: list[Option], utility: int, level: int, t: int) -> bool:
        """Could an explicit host give way to a filler of its class and stay at the level?"""
        options = self.options[t]
        for p, option in enumerate(chosen):
            if option.kind != EXPLICIT or option.pinned or utility - option.utility < level:
                continue
            filler = next(
                (o for o in options[p] if o.kind == FILLER and o.index == option.host_class),
                None,
            )
            if filler is None:
                continue
            rest = chosen[:p] + chosen[p + 1 :]
            if not self.parsed.distinct_hosts or self._distinct(rest, filler, self.filler_hosts[t]):
                return True
        return False


class Master:
    """One column per pattern; rows for places (per explicit host and per class) and the
    district share."""

    def __init__(self, patterns: Patterns, columns: list[Pattern]) -> None:
        self.columns = columns
        parsed = patterns.parsed
        hosts = parsed.hosts
        rows: dict[tuple[int, int, int], int] = {}
        capacity: list[int] = []
        entries_row: list[int] = []
        entries_column: list[int] = []
        district_count = np.zeros(len(columns))
        for j, pattern in enumerate(columns):
            for p, option in enumerate(pattern.options):
                keys = [(FILLER, option.host_class, p)]
                if option.kind == EXPLICIT:
                    keys.append((EXPLICIT, option.index, p))
                for key in keys:
                    row = rows.get(key)
                    if row is None:
                        row = rows[key] = len(rows)
                        kind, index, period = key
                        places = (
                            hosts[index].capacity[period]
                            if kind == EXPLICIT
                            else patterns.class_places[(index, period)]
                        )
                        capacity.append(places)
                    entries_row.append(row)
                    entries_column.append(j)
                district_count[j] += option.district
        self.capacity = np.array(capacity, dtype=float)
        self.places = csc_matrix(
            (np.ones(len(entries_row)), (entries_row, entries_column)),
            shape=(len(rows), len(columns)),
        )
        self.district_count = district_count
        self.district_required = parsed.district_required()
        trainees = len(parsed.trainees)
        self.assign = csc_matrix(
            (np.ones(len(columns)), ([c.trainee for c in columns], range(len(columns)))),
            shape=(trainees, len(columns)),
        )
        self.covers_everyone = len({c.trainee for c in columns}) == trainees

    def values(self, move_penalty: int) -> np.ndarray:
        return np.array([c.value(move_penalty) for c in self.columns], dtype=float)

    def lp(self, objective: np.ndarray | None, time_limit: float) -> _Lp:
        """The master LP (maximising ``objective``, or only feasibility with None)."""
        if not self.covers_everyone:
            return _Lp("infeasible")
        upper = self.places
        bounds = self.capacity
        if self.district_required:
            upper = _stack(upper, -self.district_count)
            bounds = np.append(bounds, -self.district_required)
        cost = np.zeros(len(self.columns)) if objective is None else -objective
        started = time.perf_counter()
        # The interior point method is much faster on the large masters; a small
        # infeasible one can end in numerical trouble, which the dual simplex settles.
        for method in ("highs-ipm", "highs-ds"):
            left = time_limit - (time.perf_counter() - started)
            result = linprog(
                cost,
                A_ub=upper,
                b_ub=bounds,
                A_eq=self.assign,
                b_eq=np.ones(self.assign.shape[0]),
                bounds=(0, None),
                method=method,
                options={"time_limit": max(0.1, left)},
            )
            if result.status in (0, 2):
                break
        if result.status == 2:
            return _Lp("infeasible")
        if result.status != 0:
            return _Lp("unknown")
        return _Lp("optimal", -result.fun, np.asarray(result.x), np.asarray(result.lower.marginals))

    def choose(
        self,
        subset: Sequence[int],
        *,
        objective: np.ndarray | None,
        at_least: int | None,
        deadline: float,
        workers: int,
        hint: Sequence[int] = (),
    ) -> tuple[str, list[int]]:
        """CP-SAT picks one column per trainee among ``subset``: ("found" | "none" |
        "unknown", chosen column numbers). With ``objective`` it maximises it, with
        ``at_least`` it asks for that value or more."""
        model = cp_model.CpModel()
        picks = {j: model.new_bool_var(f"c{j}") for j in subset}
        by_trainee: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for j, var in picks.items():
            by_trainee[self.columns[j].trainee].append(var)
        if len(by_trainee) < self.assign.shape[0]:
            return "none", []
        for variables in by_trainee.values():
            model.add_exactly_one(variables)
        places = self.places.tocsr()
        for row in range(places.shape[0]):
            within = places.indices[places.indptr[row] : places.indptr[row + 1]]
            used = [picks[j] for j in within.tolist() if j in picks]
            if len(used) > self.capacity[row]:
                model.add(sum(used) <= int(self.capacity[row]))
        if self.district_required:
            model.add(
                cp_model.LinearExpr.weighted_sum(
                    list(picks.values()), [int(self.district_count[j]) for j in picks]
                )
                >= self.district_required
            )
        if objective is not None:
            expression = cp_model.LinearExpr.weighted_sum(
                list(picks.values()), [int(objective[j]) for j in picks]
            )
            if at_least is not None:
                model.add(expression >= at_least)
            model.maximize(expression)
        for j in hint:
            if j in picks:
                model.add_hint(picks[j], True)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = max(0.01, deadline - time.perf_counter())
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            return "none", []
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "unknown", []
        return "found", [j for j, var in picks.items() if solver.boolean_value(var)]


def _stack(matrix: csc_matrix, row: np.ndarray) -> csc_matrix:
    return vstack([matrix, csc_matrix(row.reshape(1, -1))]).tocsc()


def fairest(
    parsed: Instance,
    explicit: Sequence[set[int]],
    class_of: Sequence[int],
    deadline: float,
    workers: int,
) -> Choice | None:
    """The aggregated model's fairest plan with the best total under its floor.

    None when the patterns are too many to list or time runs out before a plan; the
    returned choice says whether it is proven optimal.
    """
    patterns = Patterns(parsed, explicit, class_of)
    best = [patterns.best(t) for t in range(len(parsed.trainees))]
    if not best or any(value is None for value in best):
        return None
    level = min(value for value in best if value is not None)
    lowest = min(
        sum(min((o.utility for o in slot), default=0) for slot in options)
        for options in patterns.options
    )
    while time.perf_counter() < deadline and level >= lowest:
        columns = _list_all(patterns, level, minimal=True)
        if columns is None:
            return None
        relaxed = Master(patterns, columns).lp(None, deadline - time.perf_counter())
        if relaxed.status == "unknown":
            return None
        if relaxed.status == "optimal":
            outcome = _best_total(patterns, level, deadline, workers)
            if outcome != "unreachable":
                return outcome
        level -= 1  # proven out of reach, by the LP or by CP-SAT
    return None


def _list_all(patterns: Patterns, level: int, *, minimal: bool) -> list[Pattern] | None:
    columns: list[Pattern] = []
    for t in range(len(patterns.parsed.trainees)):
        columns += patterns.listed(t, level=level, minimal=minimal)
        if len(columns) > MAX_PATTERNS:
            return None
    return columns


def _best_total(
    patterns: Patterns, level: int, deadline: float, workers: int
) -> Choice | Literal["unreachable"] | None:
    """The best total with every trainee at ``level`` or more, by reduced-cost fixing.

    "unreachable" when no plan reaches the level (proven), None when time runs out first.
    """
    penalty = patterns.parsed.move_penalty
    columns = _list_all(patterns, level, minimal=False)
    if columns is None:
        return None
    master = Master(patterns, columns)
    values = master.values(penalty)
    relaxed = master.lp(values, deadline - time.perf_counter())
    if relaxed.status == "infeasible":
        return "unreachable"
    if relaxed.status != "optimal":
        return None
    target = integer_bound(relaxed.value)
    everything = len(columns)
    while time.perf_counter() < deadline:
        slack = relaxed.value - target + LP_TOLERANCE * max(1.0, abs(relaxed.value))
        subset = np.flatnonzero(relaxed.reduced_costs <= slack).tolist()
        complete = len(subset) == everything
        outcome, chosen = master.choose(
            subset,
            objective=values,
            # With every pattern in play, any plan will do: the best is then maximised.
            at_least=None if complete else target,
            deadline=deadline,
            workers=workers,
            hint=np.flatnonzero(relaxed.x > 0.5).tolist(),
        )
        if outcome == "unknown":
            return None
        if outcome == "found":
            picked = [columns[j] for j in chosen]
            total = sum(p.value(penalty) for p in picked)
            return Choice(picked, level, total, bound=target, proven=total >= target)
        if complete:
            return "unreachable"
        target -= 1  # proven: no plan reaches ``target``
    return None
