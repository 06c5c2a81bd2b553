"""Baselines for the rotation planner: a greedy plan and the same model as a plain MILP.

``greedy`` is what a coordinator does by hand (period by period, trainee by trainee, the
best host left); it also gives CP-SAT its first hint. ``milp`` solves exactly the
planner's model with HiGHS through ``scipy.optimize.milp`` so the benchmark can compare.
No Django imports.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint
from scipy.optimize import milp as scipy_milp
from scipy.sparse import coo_array

from traineenett.rotation.solver import Instance, check, make_plan, parse

__all__ = ["greedy", "greedy_assignment", "milp"]


def greedy_assignment(parsed: Instance) -> dict[str, dict[str, str]]:
    """Period by period, trainee by trainee, the best host left that keeps the rules it can.

    Pins are placed first. A trainee whose remaining periods are just enough to reach the
    required number of sectors only looks at sectors it has not had yet (if any is left);
    with ``distinct_hosts`` a host already met is skipped. Capacity, pins and forbidden
    hosts are always kept; a trainee with no host left stays unplaced in that period.
    """
    hosts = parsed.hosts
    left = {host.id: list(host.capacity) for host in hosts}
    assignment: dict[str, dict[str, str]] = {trainee.id: {} for trainee in parsed.trainees}
    for position, period in enumerate(parsed.periods):
        for trainee in parsed.trainees:
            pinned = trainee.pinned.get(period)
            if (
                pinned is not None
                and pinned not in trainee.forbidden
                and left[pinned][position] > 0
            ):
                left[pinned][position] -= 1
                assignment[trainee.id][period] = pinned
    required = parsed.required_sectors
    periods_left = len(parsed.periods)
    for position, period in enumerate(parsed.periods):
        periods_left -= 1  # periods after this one
        for trainee in parsed.trainees:
            if period in trainee.pinned:
                continue
            placed = assignment[trainee.id]
            met = set(placed.values())
            candidates = [
                host
                for host in hosts
                if left[host.id][position] > 0
                and parsed.allowed(trainee, host, position)
                and not (parsed.distinct_hosts and host.id in met)
            ]
            if not candidates:
                continue
            sectors = {parsed.host_by_id[host_id].sector for host_id in met}
            missing = required - len(sectors)
            if missing > periods_left:
                fresh = [host for host in candidates if host.sector not in sectors]
                candidates = fresh or candidates
            best = max(
                candidates,
                key=lambda host: (
                    trainee.utility.get(host.id, 0),
                    left[host.id][position],
                    host.district,
                ),
            )
            left[best.id][position] -= 1
            placed[period] = best.id
    return {
        trainee_id: {period: placed[period] for period in parsed.periods if period in placed}
        for trainee_id, placed in assignment.items()
    }


def greedy(instance: dict) -> dict[str, Any]:
    """The greedy plan in the plan format.

    ``status`` is ``feasible`` when the plan keeps every rule and ``failed`` otherwise
    (greedy failing proves nothing about the instance); ``conflicts`` then lists what the
    plan breaks. ``bound`` is null: greedy proves nothing.
    """
    started = time.perf_counter()
    parsed = parse(instance)
    assignment = greedy_assignment(parsed)
    problems = check(instance, assignment)
    return make_plan(
        parsed,
        status="failed" if problems else "feasible",
        assignment=assignment,
        bound=None,
        seconds=time.perf_counter() - started,
        conflicts=problems,
    )


class _Matrix:
    """Rows of a sparse constraint matrix with their bounds."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, terms: list[tuple[int, float]], lower: float, upper: float) -> None:
        row = len(self.lower)
        for column, value in terms:
            self.rows.append(row)
            self.cols.append(column)
            self.values.append(value)
        self.lower.append(lower)
        self.upper.append(upper)

    def constraint(self, columns: int) -> LinearConstraint:
        matrix = coo_array(
            (self.values, (self.rows, self.cols)), shape=(len(self.lower), columns)
        ).tocsr()
        return LinearConstraint(matrix, np.array(self.lower), np.array(self.upper))


def milp(instance: dict, time_limit: float = 60.0) -> dict[str, Any]:
    """The planner's model as a plain MILP, solved by HiGHS (``scipy.optimize.milp``).

    Same variables (one binary per allowed trainee, host and period, one per trainee and
    sector), same constraints and the same two-phase maximin. The relative gap tolerance
    is set so that a "proven optimal" integer objective is exact. Returns the plan format
    plus ``gap`` (relative, from HiGHS's dual bound).
    """
    started = time.perf_counter()
    parsed = parse(instance)
    hosts, periods = parsed.hosts, parsed.periods
    index: dict[tuple[int, int, int], int] = {}
    utility: list[float] = []
    for t, trainee in enumerate(parsed.trainees):
        for p in range(len(periods)):
            for h, host in enumerate(hosts):
                if parsed.allowed(trainee, host, p):
                    index[(t, h, p)] = len(utility)
                    utility.append(float(trainee.utility.get(host.id, 0)))
    columns = len(utility)
    open_slots = {(t, p) for (t, _h, p) in index}
    if len(open_slots) < len(parsed.trainees) * len(periods):
        plan = make_plan(
            parsed,
            status="infeasible",
            assignment={},
            bound=None,
            seconds=time.perf_counter() - started,
            conflicts=["a trainee has no allowed host with a place in some period"],
        )
        plan["gap"] = None
        return plan
    matrix = _Matrix()
    by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_host_period: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_trainee_host: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_trainee_sector: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (t, h, p), column in index.items():
        by_slot[(t, p)].append(column)
        by_host_period[(h, p)].append(column)
        by_trainee_host[(t, h)].append(column)
        by_trainee_sector[(t, hosts[h].sector)].append(column)
    for t in range(len(parsed.trainees)):
        for p in range(len(periods)):
            matrix.add([(column, 1.0) for column in by_slot.get((t, p), [])], 1.0, 1.0)
    for (h, p), variables in by_host_period.items():
        if len(variables) > hosts[h].capacity[p]:
            matrix.add([(column, 1.0) for column in variables], 0.0, hosts[h].capacity[p])
    if parsed.distinct_hosts:
        for variables in by_trainee_host.values():
            if len(variables) > 1:
                matrix.add([(column, 1.0) for column in variables], 0.0, 1.0)
    required = parsed.required_sectors
    if required > 1:
        indicators_of: dict[int, list[int]] = defaultdict(list)
        for (t, _sector), variables in by_trainee_sector.items():
            indicator = columns
            columns += 1
            utility.append(0.0)
            indicators_of[t].append(indicator)
            matrix.add([(indicator, 1.0)] + [(column, -1.0) for column in variables], -np.inf, 0.0)
        for t in range(len(parsed.trainees)):
            matrix.add([(column, 1.0) for column in indicators_of[t]], required, np.inf)
    required_slots = parsed.district_required()
    if required_slots:
        matrix.add(
            [(column, 1.0) for (t, h, p), column in index.items() if hosts[h].district],
            required_slots,
            np.inf,
        )
    keep = np.zeros(columns)
    if parsed.move_penalty:
        host_position = {host.id: h for h, host in enumerate(hosts)}
        for t, trainee in enumerate(parsed.trainees):
            for period, host_id in trainee.previous.items():
                kept_column = index.get((t, host_position[host_id], periods.index(period)))
                if kept_column is not None:
                    keep[kept_column] = parsed.move_penalty
    value = np.array(utility)
    upper_estimate = sum(
        max([0, *trainee.utility.values()]) * len(periods) for trainee in parsed.trainees
    ) + parsed.move_penalty * sum(len(trainee.previous) for trainee in parsed.trainees)

    def run(
        objective: np.ndarray, extra: list[LinearConstraint], scale: float, free_last: bool = False
    ) -> Any:
        remaining = max(0.01, time_limit - (time.perf_counter() - started))
        columns_now = objective.shape[0]
        lower, upper = np.zeros(columns_now), np.ones(columns_now)
        if free_last:  # the maximin floor is an unbounded integer
            lower[-1], upper[-1] = -np.inf, np.inf
        return scipy_milp(
            -objective,
            integrality=np.ones(columns_now),
            bounds=Bounds(lower, upper),
            constraints=extra,
            options={
                "time_limit": remaining,
                "disp": False,
                # An integer objective is proven optimal once the gap is below one unit.
                "mip_rel_gap": 0.99 / max(1.0, scale),
            },
        )

    proven = True
    if parsed.objective == "maximin":
        # Phase 1 adds one continuous floor variable z <= utility of every trainee.
        floor = columns
        rows = _Matrix()
        rows.rows, rows.cols, rows.values = (
            list(matrix.rows),
            list(matrix.cols),
            list(matrix.values),
        )
        rows.lower, rows.upper = list(matrix.lower), list(matrix.upper)
        for t in range(len(parsed.trainees)):
            terms = [(floor, 1.0)] + [
                (column, -value[column])
                for (tt, _h, _p), column in index.items()
                if tt == t and value[column]
            ]
            rows.add(terms, -np.inf, 0.0)
        objective = np.zeros(columns + 1)
        objective[floor] = 1.0
        result = run(
            objective,
            [rows.constraint(columns + 1)],
            upper_estimate / max(1, len(parsed.trainees)),
            free_last=True,
        )
        if result.x is None:
            return _milp_plan(parsed, result, None, started, proven=False)
        proven = result.status == 0
        best_floor = round(-result.fun)
        for t in range(len(parsed.trainees)):
            terms = [
                (column, value[column])
                for (tt, _h, _p), column in index.items()
                if tt == t and value[column]
            ]
            matrix.add(terms, best_floor, np.inf)
    result = run(value + keep, [matrix.constraint(columns)], upper_estimate)
    return _milp_plan(parsed, result, (index, keep), started, proven=proven)


def _milp_plan(
    parsed: Instance,
    result: Any,
    model: tuple[dict[tuple[int, int, int], int], np.ndarray] | None,
    started: float,
    *,
    proven: bool,
) -> dict[str, Any]:
    seconds = time.perf_counter() - started
    if result.x is None or model is None:
        plan = make_plan(
            parsed,
            status="infeasible" if result.status == 2 else "unknown",
            assignment={},
            bound=None,
            seconds=seconds,
            conflicts=[str(result.message)],
        )
        plan["gap"] = None
        return plan
    index, keep = model
    assignment: dict[str, dict[str, str]] = {trainee.id: {} for trainee in parsed.trainees}
    for (t, h, p), column in index.items():
        if result.x[column] > 0.5:
            assignment[parsed.trainees[t].id][parsed.periods[p]] = parsed.hosts[h].id
    kept = float(sum(keep[column] for column in range(len(keep)) if result.x[column] > 0.5))
    dual = getattr(result, "mip_dual_bound", None)
    bound = None if dual is None or not np.isfinite(dual) else -float(dual) - kept
    plan = make_plan(
        parsed,
        status="optimal" if proven and result.status == 0 else "feasible",
        assignment=assignment,
        bound=round(bound, 3) if bound is not None else None,
        seconds=seconds,
    )
    plan["gap"] = getattr(result, "mip_gap", None)
    return plan
