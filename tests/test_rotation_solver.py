"""The rotation solver: known optima, every rule, explanations, invalid input, the command."""

import copy
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traineenett.rotation.baselines import greedy, milp
from traineenett.rotation.solver import InstanceError, check, solve, validate

PLAN_KEYS = {
    "status",
    "objective",
    "bound",
    "min_trainee_utility",
    "seconds",
    "assignment",
    "conflicts",
    "moves",
    "district_share",
}


def host(host_id, sector="private", capacity=(1,), **extra):
    return {"id": host_id, "sector": sector, "capacity": list(capacity), **extra}


def trainee(trainee_id, utility=None, **extra):
    return {"id": trainee_id, "utility": utility or {}, **extra}


def instance(periods, hosts, trainees, **rules):
    return {"periods": list(periods), "hosts": hosts, "trainees": trainees, "rules": rules}


# --------------------------------------------------------------------------- an independent checker


def broken_rules(data, assignment):
    """The rules of issue 4 written out again, independently of solver.check."""
    periods = data["periods"]
    hosts = {row["id"]: row for row in data["hosts"]}
    rules = data.get("rules", {})
    problems = []
    sectors_present = {row["sector"] for row in data["hosts"]}
    required = min(rules.get("min_sectors", 1), len(periods), len(sectors_present))
    load = {}
    for row in data["trainees"]:
        placed = assignment.get(row["id"], {})
        if sorted(placed) != sorted(periods):
            problems.append(("periods", row["id"]))
            continue
        chosen = [placed[period] for period in periods]
        for period, host_id in placed.items():
            load[(host_id, period)] = load.get((host_id, period), 0) + 1
            if host_id in row.get("forbidden", []):
                problems.append(("forbidden", row["id"]))
        for period, host_id in row.get("pinned", {}).items():
            if placed[period] != host_id:
                problems.append(("pinned", row["id"]))
        if rules.get("distinct_hosts") and len(set(chosen)) < len(chosen):
            problems.append(("distinct", row["id"]))
        if len({hosts[host_id]["sector"] for host_id in chosen}) < required:
            problems.append(("sectors", row["id"]))
    for (host_id, period), count in load.items():
        if count > hosts[host_id]["capacity"][periods.index(period)]:
            problems.append(("capacity", host_id))
    share = rules.get("min_district_share")
    if share:
        slots = len(data["trainees"]) * len(periods)
        at_district = sum(
            1
            for placed in assignment.values()
            for host_id in placed.values()
            if hosts[host_id].get("district")
        )
        if at_district < share * slots - 1e-9:
            problems.append(("district", None))
    return problems


def brute_force(data):
    """Every assignment of a tiny instance; the best (min, total) or total, or None."""
    periods = data["periods"]
    trainee_ids = [row["id"] for row in data["trainees"]]
    host_ids = [row["id"] for row in data["hosts"]]
    utility = {row["id"]: row.get("utility", {}) for row in data["trainees"]}
    best = None
    slots = [(t, p) for t in trainee_ids for p in periods]
    for choice in itertools.product(host_ids, repeat=len(slots)):
        assignment = {t: {} for t in trainee_ids}
        for (t, p), h in zip(slots, choice, strict=True):
            assignment[t][p] = h
        if broken_rules(data, assignment):
            continue
        sums = [sum(utility[t].get(h, 0) for h in assignment[t].values()) for t in trainee_ids]
        key = (
            (min(sums), sum(sums)) if data["rules"].get("objective") == "maximin" else (sum(sums),)
        )
        if best is None or key > best:
            best = key
    return best


# --------------------------------------------------------------------------- known optima

UNFAIR = instance(
    ["P1"],
    [host("h1"), host("h2")],
    [trainee("t1", {"h1": 10, "h2": 1}), trainee("t2", {"h1": 2})],
)


def test_total_objective_takes_the_largest_sum():
    plan = solve(UNFAIR)
    assert set(plan) == PLAN_KEYS
    assert plan["status"] == "optimal"
    assert plan["assignment"] == {"t1": {"P1": "h1"}, "t2": {"P1": "h2"}}
    assert (plan["objective"], plan["bound"], plan["min_trainee_utility"]) == (10, 10, 0)
    assert plan["conflicts"] == [] and plan["moves"] == 0 and plan["district_share"] is None


def test_maximin_raises_the_worst_off_trainee_first():
    data = copy.deepcopy(UNFAIR)
    data["rules"]["objective"] = "maximin"
    plan = solve(data)
    assert plan["status"] == "optimal"
    assert plan["assignment"] == {"t1": {"P1": "h2"}, "t2": {"P1": "h1"}}
    assert (plan["objective"], plan["min_trainee_utility"]) == (3, 1)


def test_maximin_then_maximises_the_total_under_the_floor():
    # Both plans give t2 utility 5; the second phase picks the larger total for t1.
    data = instance(
        ["P1"],
        [host("h1"), host("h2"), host("h3")],
        [trainee("t1", {"h1": 9, "h3": 2}), trainee("t2", {"h2": 5})],
        objective="maximin",
    )
    plan = solve(data)
    assert plan["assignment"] == {"t1": {"P1": "h1"}, "t2": {"P1": "h2"}}
    assert (plan["objective"], plan["min_trainee_utility"]) == (14, 5)


def test_rules_of_a_three_period_rotation_are_all_kept():
    hosts = [
        host("h1", "private", (2, 1, 2)),
        host("h2", "public", (1, 2, 1), district=True),
        host("h3", "private", (1, 1, 1)),
    ]
    trainees = [
        trainee("t1", {"h1": 7, "h2": 3}, pinned={"P1": "h1"}),
        trainee("t2", {"h1": 5, "h3": 4}, forbidden=["h2"]),
        trainee("t3", {"h2": 9}),
    ]
    data = instance(["P1", "P2", "P3"], hosts, trainees, distinct_hosts=True, min_sectors=2)
    data["trainees"][1]["forbidden"] = []
    plan = solve(data)
    assert plan["status"] == "optimal"
    assert check(data, plan["assignment"]) == []
    assert broken_rules(data, plan["assignment"]) == []
    assert plan["assignment"]["t1"]["P1"] == "h1"
    # Each trainee meets each host once: utilities 7+3, 5+4, 9.
    assert plan["objective"] == 28 == brute_force(data)[0]
    assert plan["district_share"] == pytest.approx(3 / 9)


def test_forbidden_hosts_are_never_used_even_when_wished():
    data = instance(
        ["P1"],
        [host("h1"), host("h2")],
        [trainee("t1", {"h1": 10}, forbidden=["h1"])],
    )
    plan = solve(data)
    assert plan["assignment"] == {"t1": {"P1": "h2"}}


# --------------------------------------------------------------------------- properties

SECTORS = ("private", "public", "municipal")


@st.composite
def tiny_instances(draw):
    periods = [f"P{index + 1}" for index in range(draw(st.integers(1, 2)))]
    host_count = draw(st.integers(1, 3))
    hosts = [
        host(
            f"h{index + 1}",
            draw(st.sampled_from(SECTORS)),
            [draw(st.integers(0, 2)) for _ in periods],
            district=draw(st.booleans()),
        )
        for index in range(host_count)
    ]
    host_ids = [row["id"] for row in hosts]
    trainees = []
    for index in range(draw(st.integers(1, 3))):
        utility = {host_id: draw(st.integers(-2, 9)) for host_id in host_ids if draw(st.booleans())}
        row = trainee(f"t{index + 1}", utility)
        if draw(st.integers(0, 3)) == 0:
            row["pinned"] = {draw(st.sampled_from(periods)): draw(st.sampled_from(host_ids))}
        if draw(st.integers(0, 3)) == 0:
            row["forbidden"] = [draw(st.sampled_from(host_ids))]
        trainees.append(row)
    rules = {
        "distinct_hosts": draw(st.booleans()),
        "min_sectors": draw(st.integers(0, 3)),
        "objective": draw(st.sampled_from(("total", "maximin"))),
    }
    if draw(st.integers(0, 3)) == 0:
        rules["min_district_share"] = draw(st.sampled_from((0.25, 0.5, 1.0)))
    return {"periods": periods, "hosts": hosts, "trainees": trainees, "rules": rules}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_every_plan_keeps_every_rule_and_is_optimal(data):
    plan = solve(data, time_limit=20)
    best = brute_force(data)
    if best is None:
        assert plan["status"] == "infeasible"
        assert plan["assignment"] == {}
        assert plan["conflicts"] and all(
            isinstance(text, str) and text for text in plan["conflicts"]
        )
        return
    assert plan["status"] == "optimal", plan["conflicts"]
    assert check(data, plan["assignment"]) == []
    assert broken_rules(data, plan["assignment"]) == []
    if data["rules"]["objective"] == "maximin":
        assert (plan["min_trainee_utility"], plan["objective"]) == best
    else:
        assert plan["objective"] == best[0] == plan["bound"]


@settings(max_examples=60, deadline=None)
@given(tiny_instances(), st.data())
def test_check_agrees_with_the_independent_checker(data, draw):
    host_ids = [row["id"] for row in data["hosts"]]
    assignment = {
        row["id"]: {period: draw.draw(st.sampled_from(host_ids)) for period in data["periods"]}
        for row in data["trainees"]
    }
    assert (check(data, assignment) == []) == (broken_rules(data, assignment) == [])


@settings(max_examples=40, deadline=None)
@given(tiny_instances())
def test_milp_baseline_reaches_the_same_optimum(data):
    plan, baseline = solve(data, time_limit=20), milp(data, time_limit=20)
    if plan["status"] == "infeasible":
        assert baseline["status"] == "infeasible"
        return
    assert baseline["status"] == "optimal"
    assert broken_rules(data, baseline["assignment"]) == []
    assert (baseline["objective"], baseline["min_trainee_utility"]) == (
        plan["objective"],
        plan["min_trainee_utility"],
    )


def test_greedy_baseline_takes_the_best_host_left_in_order():
    plan = greedy(UNFAIR)
    assert plan["status"] == "feasible"
    assert plan["assignment"] == {"t1": {"P1": "h1"}, "t2": {"P1": "h2"}}
    assert plan["bound"] is None


def test_greedy_baseline_reports_what_it_could_not_place():
    # t1 takes h1 first; t2 is then left without an allowed host.
    data = instance(
        ["P1"],
        [host("h1"), host("h2")],
        [trainee("t1", {"h1": 5}), trainee("t2", forbidden=["h2"])],
    )
    plan = greedy(data)
    assert plan["status"] == "failed"
    assert plan["conflicts"] == ["t2 has no host in P1"]
    assert solve(data)["assignment"] == {"t1": {"P1": "h2"}, "t2": {"P1": "h1"}}


# --------------------------------------------------------------------------- check wording

THREE = ["P1", "P2", "P3"]


def check_data(**rules):
    return instance(
        THREE,
        [
            host("h1", "private", (1, 1, 1)),
            host("h2", "private", (1, 1, 1)),
            host("h3", "public", (2, 2, 2), district=True),
        ],
        [
            trainee("t1", pinned={"P1": "h1"}, forbidden=["h2"]),
            trainee("t2"),
        ],
        **rules,
    )


def test_check_names_places_pins_forbidden_hosts_and_repeats():
    data = check_data(distinct_hosts=True)
    assignment = {
        "t1": {"P1": "h2", "P2": "h2", "P3": "h1"},
        "t2": {"P1": "h2", "P2": "h3", "P3": "h3"},
    }
    assert check(data, assignment) == [
        "t1 is placed with h2 in P1, which is forbidden for t1",
        "t1 is pinned to h1 in P1 but placed with h2",
        "t1 is placed with h2 in P2, which is forbidden for t1",
        "t1 meets h2 twice (P1 and P2)",
        "t2 meets h3 twice (P2 and P3)",
        "h2 has 2 trainees in P1 but 1 place",
    ]


def test_check_names_sector_span_missing_placements_and_unknown_ids():
    data = check_data(min_sectors=2)
    assignment = {
        "t1": {"P1": "h1", "P2": "h1", "P3": "h1"},
        "t2": {"P1": "h3", "P3": "h9"},
        "t9": {"P1": "h1"},
    }
    assert check(data, assignment) == [
        "t9 is not a trainee in this instance",
        "t1's hosts span 1 sector (2 required)",
        "t2 is placed with h9 in P3, which is not a host",
        "t2 has no host in P2",
    ]


def test_check_names_the_district_share():
    data = check_data(min_district_share=0.5)
    assignment = {
        "t1": {"P1": "h1", "P2": "h3", "P3": "h1"},
        "t2": {"P1": "h2", "P2": "h2", "P3": "h3"},
    }
    assert check(data, assignment) == [
        "2 of 6 trainee-periods are at district hosts (33.3333 %), but at least 50 % (3) are required"
    ]


# --------------------------------------------------------------------------- explanations


def infeasible(data):
    plan = solve(data, time_limit=20)
    assert plan["status"] == "infeasible"
    assert plan["assignment"] == {}
    return plan["conflicts"]


def test_explains_too_few_places_in_a_period():
    data = instance(
        ["P1", "P2"],
        [host("h1", capacity=(2, 1))],
        [trainee("t1"), trainee("t2")],
    )
    assert infeasible(data) == ["period P2: 2 trainees but 1 places"]


def test_explains_a_pin_to_a_forbidden_host():
    data = instance(
        ["P1"], [host("h1"), host("h2")], [trainee("t1", pinned={"P1": "h1"}, forbidden=["h1"])]
    )
    assert infeasible(data) == ["t1 is pinned to h1 in P1, but h1 is forbidden for t1"]


def test_explains_pins_beyond_a_hosts_places():
    data = instance(
        ["P1"],
        [host("h1", capacity=(1,)), host("h2", capacity=(0,)), host("h3", capacity=(3,))],
        [
            trainee("t1", pinned={"P1": "h1"}),
            trainee("t2", pinned={"P1": "h1"}),
            trainee("t3", pinned={"P1": "h2"}),
        ],
    )
    assert infeasible(data) == [
        "h1 has 1 place in P1 but 2 trainees are pinned there (t1 and t2)",
        "h2 has no places in P1 but t3 is pinned there",
    ]


def test_explains_pins_that_repeat_a_host():
    data = instance(
        THREE,
        [
            host("h3", capacity=(1, 1, 1)),
            host("h4", capacity=(1, 1, 1)),
            host("h5", capacity=(1, 1, 1)),
        ],
        [trainee("t07", pinned={"P1": "h3", "P2": "h3"})],
        distinct_hosts=True,
    )
    assert infeasible(data) == ["t07 is pinned to h3 in P1 and P2 but hosts must differ"]


def test_explains_a_trainee_without_any_allowed_host_in_a_period():
    data = instance(
        ["P1", "P2"],
        [host("h1", capacity=(1, 0)), host("h2", capacity=(1, 2))],
        [trainee("t1", forbidden=["h2"]), trainee("t2")],
    )
    assert infeasible(data) == ["t1 has no allowed host with a place in P2"]


def test_explains_too_few_different_hosts_for_the_periods():
    data = instance(
        THREE,
        [
            host("h1", capacity=(1, 1, 1)),
            host("h2", capacity=(1, 1, 1)),
            host("h3", capacity=(1, 1, 1)),
        ],
        [trainee("t1", forbidden=["h3"])],
        distinct_hosts=True,
    )
    assert infeasible(data) == [
        "t1 needs a different host in each of P1, P2 and P3, but only h1 and h2 are open to t1 there"
    ]


def test_explains_a_sector_span_that_places_and_pins_rule_out():
    data = instance(
        THREE,
        [
            host("h3", "private", (1, 1, 1)),
            host("h4", "private", (0, 0, 1)),
            host("h5", "public", (1, 1, 0)),
        ],
        [trainee("t12", pinned={"P1": "h3", "P2": "h3"}), trainee("t13")],
        min_sectors=2,
    )
    assert infeasible(data) == [
        "t12 can only be placed with private hosts in P1 (pinned to h3), private hosts in P2 "
        "(pinned to h3) and private hosts in P3, so t12's hosts cannot span 2 sectors"
    ]


def test_explains_an_unreachable_district_share():
    data = instance(
        ["P1", "P2"],
        [host("h1", capacity=(2, 2)), host("h2", capacity=(1, 1), district=True)],
        [trainee("t1"), trainee("t2")],
        min_district_share=0.75,
    )
    assert infeasible(data) == [
        "at least 75 % of the 4 trainee-periods (3) must be at district hosts, but at most 2 can be"
    ]


def test_explains_a_clash_only_search_finds_with_named_rule_groups():
    # Every pre-check passes: each period has places, each trainee alone could be placed,
    # but t1 and t2 both need h1 in P2 (the only public host there) for a second sector.
    data = instance(
        ["P1", "P2"],
        [
            host("h1", "public", (0, 1)),
            host("h2", "private", (2, 2)),
            host("h3", "public", (1, 0)),
        ],
        [
            trainee("t1", pinned={"P1": "h2"}),
            trainee("t2", pinned={"P1": "h2"}),
        ],
        min_sectors=2,
    )
    assert infeasible(data) == [
        "these rules cannot all hold: h1 has 1 place in P2; h3 has no places in P2; "
        "t1 is pinned to h2 in P1; "
        "t2 is pinned to h2 in P1; t1's hosts must span 2 sectors; t2's hosts must span 2 sectors"
    ]


# --------------------------------------------------------------------------- invalid instances


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["trainees"][0]["pinned"].update(P1="h9"),
            'trainees[0].pinned.P1: unknown host "h9"',
        ),
        (
            lambda d: d["hosts"][0].update(capacity=[1, 1]),
            "hosts[0].capacity: 2 values for 3 periods",
        ),
        (lambda d: d["hosts"][1]["capacity"].__setitem__(2, -1), "hosts[1].capacity[2]: negative"),
        (
            lambda d: d["hosts"][1]["capacity"].__setitem__(0, "2"),
            "hosts[1].capacity[0]: not an integer",
        ),
        (
            lambda d: d["trainees"][0]["pinned"].update(P7="h1"),
            'trainees[0].pinned.P7: unknown period "P7"',
        ),
        (
            lambda d: d["trainees"][0]["utility"].update(h8=3),
            'trainees[0].utility.h8: unknown host "h8"',
        ),
        (
            lambda d: d["trainees"][0]["utility"].update(h1=2.5),
            "trainees[0].utility.h1: not an integer",
        ),
        (
            lambda d: d["trainees"][0].update(forbidden=["h1", "hx"]),
            'trainees[0].forbidden[1]: unknown host "hx"',
        ),
        (lambda d: d["trainees"].append({"id": "t1"}), 'trainees[1].id: duplicate "t1"'),
        (lambda d: d["hosts"][0].pop("sector"), "hosts[0].sector: must be a non-empty string"),
        (lambda d: d.update(periods=[]), "periods: must be a non-empty list of period names"),
        (
            lambda d: d["rules"].update(objective="fair"),
            'rules.objective: must be "total" or "maximin"',
        ),
        (
            lambda d: d["rules"].update(min_sectors=-1),
            "rules.min_sectors: must be a non-negative integer",
        ),
        (
            lambda d: d["rules"].update(min_district_share=1.5),
            "rules.min_district_share: must be a number between 0 and 1",
        ),
        (
            lambda d: d["rules"].update(min_sector=2),
            "rules.min_sector: unknown rule (known: distinct_hosts, min_sectors, objective, min_district_share, move_penalty)",
        ),
        (
            lambda d: d["hosts"][0].update(ratings={"t5": 1}),
            'hosts[0].ratings.t5: unknown trainee "t5"',
        ),
        (
            lambda d: d["trainees"][0].update(previous={"P1": "h7"}),
            'trainees[0].previous.P1: unknown host "h7"',
        ),
    ],
)
def test_invalid_instances_name_the_field(change, message):
    data = instance(
        THREE,
        [host("h1", capacity=(1, 1, 1)), host("h2", capacity=(1, 1, 1))],
        [trainee("t1", {"h1": 3}, pinned={})],
    )
    change(data)
    with pytest.raises(InstanceError) as raised:
        validate(data)
    assert message in raised.value.messages
    with pytest.raises(InstanceError):
        solve(data)


def test_an_instance_that_is_not_an_object_is_invalid():
    with pytest.raises(InstanceError) as raised:
        validate([])  # type: ignore[arg-type]
    assert raised.value.messages == ["instance: must be a JSON object"]


# --------------------------------------------------------------------------- re-planning, districts


def test_replanning_keeps_the_published_plan_when_moves_cost_more_than_they_gain():
    data = instance(
        ["P1"],
        [host("h1"), host("h2")],
        [
            trainee("t1", {"h1": 4}, previous={"P1": "h2"}),
            trainee("t2", {"h1": 3}, previous={"P1": "h1"}),
        ],
    )
    assert solve(data)["moves"] == 2  # gains 1 by swapping
    data["rules"]["move_penalty"] = 1
    kept = solve(data)
    assert kept["moves"] == 0
    assert kept["assignment"] == {"t1": {"P1": "h2"}, "t2": {"P1": "h1"}}
    assert (kept["objective"], kept["bound"], kept["status"]) == (3, 3, "optimal")


def test_district_share_is_reported_and_enforced():
    data = instance(
        ["P1", "P2"],
        [host("h1", capacity=(2, 2)), host("h2", capacity=(1, 1), district=True)],
        [trainee("t1", {"h1": 5}), trainee("t2", {"h1": 5})],
    )
    assert solve(data)["district_share"] == 0.0
    data["rules"]["min_district_share"] = 0.5
    plan = solve(data)
    assert plan["district_share"] == 0.5
    assert plan["objective"] == 10
    assert check(data, plan["assignment"]) == []


# --------------------------------------------------------------------------- the command


@pytest.fixture
def files(tmp_path):
    def write(name, data):
        path = tmp_path / name
        path.write_text(json.dumps(data) if not isinstance(data, str) else data)
        return path

    return write


def test_command_prints_the_plan_and_exits_zero(files):
    out = io.StringIO()
    call_command("plan_rotation", str(files("ok.json", UNFAIR)), "--time-limit", "10", stdout=out)
    plan = json.loads(out.getvalue())
    assert plan["status"] == "optimal" and plan["objective"] == 10


def test_command_writes_the_plan_to_a_file(files, tmp_path):
    out = io.StringIO()
    target = tmp_path / "plan.json"
    call_command(
        "plan_rotation", str(files("ok.json", UNFAIR)), "--output", str(target), stdout=out
    )
    assert out.getvalue() == ""
    assert json.loads(target.read_text())["assignment"]["t1"] == {"P1": "h1"}


def test_command_rejects_an_invalid_instance_with_exit_status_2(files):
    bad = instance(["P1"], [host("h1", capacity=(1, 2))], [])
    with pytest.raises(CommandError) as raised:
        call_command("plan_rotation", str(files("bad.json", bad)))
    assert raised.value.returncode == 2
    assert "hosts[0].capacity: 2 values for 1 period" in str(raised.value)


def test_command_rejects_broken_json_with_exit_status_2(files):
    with pytest.raises(CommandError) as raised:
        call_command("plan_rotation", str(files("broken.json", '{"periods": [')))
    assert raised.value.returncode == 2
    assert "not valid JSON (line 1" in str(raised.value)


def test_command_prints_the_explained_plan_of_an_infeasible_instance_and_exits_2(files):
    data = instance(["P1"], [host("h1")], [trainee("t1"), trainee("t2")])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as raised:
        call_command("plan_rotation", str(files("no.json", data)), stdout=out, stderr=err)
    assert raised.value.code == 2
    assert json.loads(out.getvalue())["conflicts"] == ["period P1: 2 trainees but 1 places"]
    assert "period P1: 2 trainees but 1 places" in err.getvalue()


def test_console_command_exit_statuses(files):
    console = Path(sys.executable).parent / "traineenett"
    ok = subprocess.run(
        [console, "plan-rotation", str(files("ok.json", UNFAIR))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["status"] == "optimal"
    bad = instance(["P1"], [host("h1", capacity=(-1,))], [])
    invalid = subprocess.run(
        [console, "plan-rotation", str(files("bad.json", bad))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert invalid.returncode == 2
    assert "hosts[0].capacity[0]: negative" in invalid.stderr
    assert invalid.stdout == ""


def test_milp_baseline_maximin_floor_is_not_capped():
    data = instance(
        ["P1"],
        [host("h1"), host("h2")],
        [trainee("t1", {"h1": 10, "h2": 5}), trainee("t2", {"h1": 8})],
        objective="maximin",
    )
    plan = milp(data, time_limit=10)
    assert (plan["status"], plan["min_trainee_utility"], plan["objective"]) == ("optimal", 5, 13)
    assert (
        plan["assignment"] == solve(data)["assignment"] == {"t1": {"P1": "h2"}, "t2": {"P1": "h1"}}
    )


# --------------------------------------------------------------------------- the LP bound


def built_model(data, objective="total"):
    """The full CP-SAT model of an instance, maximising the total or the floor."""

    from traineenett.rotation.solver import _Model, parse

    built = _Model(parse(data))
    built.build()
    terms = [term for trainee_terms in built.utility_terms for term in trainee_terms]
    if objective == "total":
        built.model.maximize(sum(value * var for var, value in terms))
        return built.model, None
    floor = built.model.new_int_var(-100, 100, "floor")
    for trainee_terms in built.utility_terms:
        built.model.add(floor <= sum(value * var for var, value in trainee_terms))
    built.model.maximize(floor)
    return built.model, floor


def test_the_lp_bound_proves_a_plan_optimal_without_search():
    from traineenett.rotation.solver import _maximise, lp_relaxation

    model, _ = built_model(UNFAIR)
    relaxation = lp_relaxation(model, 10)
    assert relaxation is not None and relaxation.value == pytest.approx(10)
    _status, solver, proven, bound = _maximise(model, deadline=time_after(10))
    assert solver is not None and proven
    assert (solver.objective_value, bound) == (10, 10)


def test_a_fractional_lp_bound_is_rounded_down_and_search_proves_the_rest():
    # Two trainees both want the one place at h1: the LP shares it, so the floor's
    # relaxation is 1.5 (bound 1), but a real plan leaves one trainee at 0.
    data = instance(
        ["P1"],
        [host("h1"), host("h2")],
        [trainee("t1", {"h1": 3}), trainee("t2", {"h1": 3})],
        objective="maximin",
    )
    from traineenett.rotation.solver import _maximise, lp_relaxation

    model, floor = built_model(data, "maximin")
    relaxation = lp_relaxation(model, 10)
    assert relaxation is not None
    assert relaxation.value == pytest.approx(1.5) and relaxation.bound == 1
    _status, solver, proven, bound = _maximise(model, deadline=time_after(10))
    assert solver is not None and proven
    assert (solver.value(floor), bound) == (0, 0)
    plan = solve(data)
    assert (plan["status"], plan["min_trainee_utility"], plan["objective"]) == ("optimal", 0, 3)


def test_the_lp_relaxation_keeps_the_sector_span_and_distinct_hosts():
    # Without the sector indicators the LP would give t1 h1 and h2 (19); with two
    # sectors required the best is h1 once and the public host h3 once (11).
    data = instance(
        ["P1", "P2"],
        [host("h1", capacity=(1, 1)), host("h2", capacity=(1, 1)), host("h3", "public", (1, 1))],
        [trainee("t1", {"h1": 10, "h2": 9, "h3": 1})],
        distinct_hosts=True,
        min_sectors=2,
    )
    from traineenett.rotation.solver import lp_relaxation

    model, _ = built_model(data)
    relaxation = lp_relaxation(model, 10)
    assert relaxation is not None and relaxation.bound == 11
    assert solve(data)["objective"] == 11


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_the_lp_bound_never_cuts_off_a_plan(data):
    from traineenett.rotation.solver import InstanceError as _Invalid
    from traineenett.rotation.solver import lp_relaxation, parse, precheck

    try:
        if precheck(parse(data)):
            return
    except _Invalid:
        return
    best = brute_force({**data, "rules": {**data["rules"], "objective": "total"}})
    model, _ = built_model(data)
    relaxation = lp_relaxation(model, 10)
    if best is None:
        return
    assert relaxation is not None
    assert relaxation.bound >= best[0]


def time_after(seconds):
    import time

    return time.perf_counter() + seconds
