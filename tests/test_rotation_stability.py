"""Blocking pairs of a rotation plan, cross-checked with the ``matching`` library."""

import random

import pytest
from matching.games import HospitalResident

from traineenett.rotation.stability import blocking_pairs


def example(**rules):
    return {
        "periods": ["P1", "P2"],
        "hosts": [
            {"id": "h1", "sector": "private", "capacity": [1, 1], "ratings": {"t1": 1, "t2": 5}},
            {"id": "h2", "sector": "public", "capacity": [1, 1], "ratings": {"t1": 2}},
            {"id": "h3", "sector": "public", "capacity": [2, 0]},
        ],
        "trainees": [
            {"id": "t1", "utility": {"h1": 9, "h2": 4}},
            {"id": "t2", "utility": {"h1": 8, "h2": 7}},
        ],
        "rules": rules,
    }


def test_a_host_that_prefers_the_trainee_to_its_worst_blocks():
    # t2 prefers h1 to h3 and h1 rates t2 (5) above its trainee t1 (1).
    assignment = {"t1": {"P1": "h1", "P2": "h2"}, "t2": {"P1": "h3", "P2": "h1"}}
    assert blocking_pairs(example(), assignment, "P1") == [("t2", "h1"), ("t2", "h2")]


def test_a_free_place_blocks_and_a_full_host_that_prefers_its_trainees_does_not():
    # P2: t1 at h2 (4) would rather be at h1 (9), but h1 is full and rates t2 higher.
    assignment = {"t1": {"P1": "h1", "P2": "h2"}, "t2": {"P1": "h3", "P2": "h1"}}
    assert blocking_pairs(example(), assignment, "P2") == []


def test_forbidden_pinned_and_already_met_hosts_do_not_block():
    assignment = {"t1": {"P1": "h1", "P2": "h2"}, "t2": {"P1": "h3", "P2": "h1"}}
    data = example()
    data["trainees"][1]["forbidden"] = ["h2"]
    assert blocking_pairs(data, assignment, "P1") == [("t2", "h1")]
    data["trainees"][1]["pinned"] = {"P1": "h3"}
    assert blocking_pairs(data, assignment, "P1") == []
    # With distinct hosts t2 may not return to h1, which it meets in P2.
    data = example(distinct_hosts=True)
    assert blocking_pairs(data, assignment, "P1") == [("t2", "h2")]


def test_an_unplaced_trainee_blocks_with_every_allowed_host_that_would_take_it():
    assignment = {"t1": {"P1": "h1"}, "t2": {}}
    assert blocking_pairs(example(), assignment, "P1") == [("t2", "h1"), ("t2", "h2"), ("t2", "h3")]


def test_an_unknown_period_is_an_error():
    with pytest.raises(ValueError, match='unknown period "P9"'):
        blocking_pairs(example(), {}, "P9")


def random_market(rng):
    """Strict preferences on both sides, every pair acceptable, enough places."""
    trainees = [f"t{index}" for index in range(rng.randint(1, 7))]
    hosts = [f"h{index}" for index in range(rng.randint(1, 5))]
    capacities = {host: rng.randint(1, 3) for host in hosts}
    while sum(capacities.values()) < len(trainees):
        capacities[rng.choice(hosts)] += 1
    utilities = {
        t: dict(zip(hosts, rng.sample(range(1, 100), len(hosts)), strict=True)) for t in trainees
    }
    ratings = {
        h: dict(zip(trainees, rng.sample(range(1, 100), len(trainees)), strict=True)) for h in hosts
    }
    data = {
        "periods": ["P1"],
        "hosts": [
            {"id": h, "sector": "private", "capacity": [capacities[h]], "ratings": ratings[h]}
            for h in hosts
        ],
        "trainees": [{"id": t, "utility": utilities[t]} for t in trainees],
    }
    game = HospitalResident.create_from_dictionaries(
        {t: sorted(hosts, key=lambda h: -utilities[t][h]) for t in trainees},
        {h: sorted(trainees, key=lambda t: -ratings[h][t]) for h in hosts},
        capacities,
    )
    return data, game


def game_assignment(game):
    return {
        resident.name: {"P1": resident.matching.name}
        for resident in game.residents
        if resident.matching
    }


@pytest.mark.parametrize("seed", range(40))
def test_a_stable_matching_from_the_matching_library_has_no_blocking_pairs(seed):
    data, game = random_market(random.Random(seed))
    game.solve(optimal=random.Random(seed).choice(["resident", "hospital"]))
    assert game.check_stability()
    assignment = game_assignment(game)
    assert len(assignment) == len(data["trainees"])
    assert blocking_pairs(data, assignment, "P1") == []


@pytest.mark.parametrize("seed", range(40))
def test_blocking_pairs_of_any_plan_are_those_the_matching_library_finds(seed):
    rng = random.Random(1000 + seed)
    data, game = random_market(rng)
    hospitals = {hospital.name: hospital for hospital in game.hospitals}
    places = {row["id"]: row["capacity"][0] for row in data["hosts"]}
    # A random plan that respects the places, set into the game by hand.
    for resident in game.residents:
        host_id = rng.choice([h for h, left in places.items() if left > 0])
        places[host_id] -= 1
        resident._match(hospitals[host_id])
        hospitals[host_id]._match(resident)
    game.check_stability()
    theirs = sorted((resident.name, hospital.name) for resident, hospital in game.blocking_pairs)
    assert blocking_pairs(data, game_assignment(game), "P1") == theirs
