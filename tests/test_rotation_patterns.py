"""The fair objective through whole schedules (rotation/patterns.py) against the compact model."""

import time

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from traineenett.rotation import patterns
from traineenett.rotation.solver import (
    _AggregatedModel,
    _Model,
    check,
    parse,
    precheck,
    solve,
    utility_per_trainee,
)

SECTORS = ("private", "public", "municipal")


def compact_optimum(parsed):
    """(floor, total) of the full model by CP-SAT alone: the floor, then the total under it."""

    def fresh():
        built = _Model(parsed)
        built.build()
        sums = [sum(value * var for var, value in terms) for terms in built.utility_terms]
        return built.model, sums

    model, sums = fresh()
    floor = model.new_int_var(-100, 100, "floor")
    for expression in sums:
        model.add(floor <= expression)
    model.maximize(floor)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL
    best_floor = round(solver.objective_value)
    model, sums = fresh()
    for expression in sums:
        model.add(expression >= best_floor)
    model.maximize(sum(sums))
    assert solver.solve(model) == cp_model.OPTIMAL
    return best_floor, round(solver.objective_value)


@st.composite
def sparse_instances(draw):
    """More hosts than any trainee cares about, so the pattern master is worthwhile."""
    periods = ["P1", "P2", "P3"][: draw(st.integers(2, 3))]
    hosts = [
        {
            "id": f"h{index + 1}",
            "sector": draw(st.sampled_from(SECTORS)),
            "capacity": [draw(st.integers(0, 2)) for _ in periods],
            "district": draw(st.booleans()),
        }
        for index in range(draw(st.integers(5, 8)))
    ]
    host_ids = [row["id"] for row in hosts]
    trainees = []
    for index in range(draw(st.integers(2, 6))):
        wished = draw(st.lists(st.sampled_from(host_ids), min_size=1, max_size=3, unique=True))
        row = {"id": f"t{index + 1}", "utility": {h: draw(st.integers(1, 9)) for h in wished}}
        if draw(st.integers(0, 4)) == 0:
            row["pinned"] = {draw(st.sampled_from(periods)): draw(st.sampled_from(host_ids))}
        if draw(st.integers(0, 4)) == 0:
            row["forbidden"] = [draw(st.sampled_from(host_ids))]
        trainees.append(row)
    rules = {
        "distinct_hosts": draw(st.booleans()),
        "min_sectors": draw(st.integers(1, 2)),
        "objective": "maximin",
    }
    if draw(st.integers(0, 3)) == 0:
        rules["min_district_share"] = draw(st.sampled_from((0.25, 0.5)))
    return {"periods": periods, "hosts": hosts, "trainees": trainees, "rules": rules}


def fairest(parsed):
    aggregated = _AggregatedModel(parsed)
    deadline = time.perf_counter() + 60
    choice = patterns.fairest(
        parsed, aggregated.explicit, aggregated.class_of, deadline=deadline, workers=2
    )
    return aggregated, choice


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_instances())
def test_the_pattern_master_finds_the_compact_models_fair_optimum(data):
    parsed = parse(data)
    assume(not precheck(parsed))
    expected = compact_optimum(parsed)
    aggregated, choice = fairest(parsed)
    if expected is None:
        # No plan at all: the master finds none either, or none whose places can be named.
        assert (
            choice is None or aggregated.complete_choice(choice, time.perf_counter() + 30) is None
        )
        return
    assert choice is not None and choice.proven
    assert choice.total == choice.bound
    # The master pools the hosts a trainee does not care about, so it is a relaxation:
    # never below the optimum, and equal to it whenever the pooled places can be named.
    assert (choice.floor, choice.total) >= expected
    assignment = aggregated.complete_choice(choice, time.perf_counter() + 30)
    if assignment is None:
        return
    assert check(data, assignment) == []
    utilities = utility_per_trainee(parsed, assignment)
    assert (
        (min(utilities.values()), sum(utilities.values()))
        == expected
        == (
            choice.floor,
            choice.total,
        )
    )


def wide_instance(trainees=12, hosts=10):
    """Each trainee wishes three of many hosts: the fair plan comes from the pattern master."""
    host_rows = [
        {"id": f"h{h:02d}", "sector": SECTORS[h % 3], "capacity": [2, 2, 2]} for h in range(hosts)
    ]
    trainee_rows = [
        {
            "id": f"t{t:02d}",
            "utility": {f"h{(t + k) % hosts:02d}": 9 - 3 * k for k in range(3)},
        }
        for t in range(trainees)
    ]
    return {
        "periods": ["P1", "P2", "P3"],
        "hosts": host_rows,
        "trainees": trainee_rows,
        "rules": {"distinct_hosts": True, "min_sectors": 2, "objective": "maximin"},
    }


def test_solve_proves_the_fair_plan_through_the_pattern_master(monkeypatch):
    data = wide_instance()
    called = []
    original = patterns.fairest

    def spy(*args, **kwargs):
        called.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(patterns, "fairest", spy)
    plan = solve(data, time_limit=30)
    assert called and plan["status"] == "optimal"
    assert check(data, plan["assignment"]) == []
    assert (plan["min_trainee_utility"], plan["objective"]) == compact_optimum(parse(data))
    assert plan["bound"] == plan["objective"]


def test_minimal_patterns_leave_out_hosts_a_filler_could_replace():
    parsed = parse(wide_instance(trainees=1, hosts=6))
    aggregated = _AggregatedModel(parsed)
    listing = patterns.Patterns(parsed, aggregated.explicit, aggregated.class_of)
    every = listing.listed(0, level=15, minimal=False)
    minimal = listing.listed(0, level=15, minimal=True)
    # 9 + 6 reaches 15 with a filler in the third period; 9 + 6 + 3 is not minimal.
    assert any(p.utility == 18 for p in every)
    assert minimal and all(p.utility < 18 for p in minimal)
    assert {p.utility for p in minimal} == {15}
    assert listing.best(0) == 18


def test_a_floor_no_plan_reaches_is_proven_by_the_lp():
    # Two trainees both need the only host they value in every period: one of them gets 0.
    data = {
        "periods": ["P1"],
        "hosts": [
            {"id": "h1", "sector": "private", "capacity": [1]},
            {"id": "h2", "sector": "private", "capacity": [1]},
            {"id": "h3", "sector": "private", "capacity": [1]},
        ],
        "trainees": [
            {"id": "t1", "utility": {"h1": 5}},
            {"id": "t2", "utility": {"h1": 4}},
        ],
        "rules": {"objective": "maximin"},
    }
    parsed = parse(data)
    _aggregated, choice = fairest(parsed)
    assert choice is not None and choice.proven
    assert (choice.floor, choice.total) == (0, 5) == compact_optimum(parsed)
