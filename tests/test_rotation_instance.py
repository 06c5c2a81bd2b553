"""From a cohort to a solver instance: the utility formula, pins, conflicts, travel."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, PlacementFactory
from tests.factories_rotation import offer, public_host, trainee_in
from traineenett.core.models import Municipality
from traineenett.members.models import Sector
from traineenett.rotation import selectors
from traineenett.rotation.building import (
    KEEP_ALL,
    KEEP_NONE,
    KEEP_STARTED,
    BuildOptions,
    cohort_instance,
)
from traineenett.rotation.instance import (
    Weights,
    haversine_km,
    round_half_away,
    utility,
    wish_score,
)
from traineenett.rotation.models import ForbiddenPair, Rating, Wish

pytestmark = pytest.mark.django_db
BEFORE_START = date(2025, 1, 1)  # the world's cohort starts 15.08.2025
IN_PERIOD_2 = date(2026, 5, 1)  # P1 and P2 have begun


# ------------------------------------------------------------------------- formula


def test_wish_scores_fall_by_three_per_rank() -> None:
    assert [wish_score(rank) for rank in (1, 2, 3, None, 4)] == [10, 7, 4, 0, 0]


def test_the_documented_example() -> None:
    # First choice, rated 4, discipline fits, 60 km away: 3·10 + 2·4 + 5·1 − 1·6 = 37.
    weights = Weights(wish=3, rating=2, fit=5, travel=1)
    assert utility(weights, wish_rank=1, rating=4, fits=True, distance_km=60) == 37


def test_each_term_has_its_own_weight() -> None:
    base = {"wish_rank": 2, "rating": 3, "fits": True, "distance_km": 25.0}
    assert utility(Weights(wish=1, rating=0, fit=0, travel=0), **base) == 7
    assert utility(Weights(wish=0, rating=1, fit=0, travel=0), **base) == 3
    assert utility(Weights(wish=0, rating=0, fit=4, travel=0), **base) == 4
    assert utility(Weights(wish=0, rating=0, fit=0, travel=2), **base) == -5


def test_utilities_round_half_away_from_zero() -> None:
    assert [round_half_away(v) for v in (2.5, 3.5, -2.5, 2.49, -0.4)] == [3, 4, -3, 2, 0]
    assert (
        utility(Weights(0, 0, 0, 1), wish_rank=None, rating=None, fits=False, distance_km=25) == -3
    )


def test_haversine_distance() -> None:
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(61.0, 11.0, 61.0, 11.0) == 0
    # Hamar → Lillehammer centroids, about 44 km as the crow flies.
    assert haversine_km(61.00149, 11.16480, 61.13334, 10.42659) == pytest.approx(41.7, abs=1.5)


# --------------------------------------------------------------------- the cohort


def _build(w: World, *, today: date = BEFORE_START, **options: object) -> tuple:
    built = cohort_instance(
        w.cohort, selectors.settings_for(w.program), BuildOptions(**options), today=today
    )
    trainees = {t["id"]: t for t in built.instance["trainees"]}
    hosts = {h["id"]: h for h in built.instance["hosts"]}
    return built, trainees, hosts


def test_instance_follows_the_contract_and_the_formula(world: World) -> None:
    w = world
    public = public_host(w)
    offer(w.cohort, w.organisation_a, [1, 2, 0], "economics, law")
    offer(w.cohort, w.organisation_b, [1, 1, 1])
    offer(w.cohort, public, [0, 1, 2], "engineering")
    w.trainee.home_municipality = Municipality.objects.get(pk="3405")
    w.trainee.discipline = "Economics"
    w.trainee.save()
    Wish.objects.create(trainee=w.trainee, organisation=w.organisation_a, rank=1)
    Wish.objects.create(trainee=w.trainee, organisation=public, rank=2)
    Rating.objects.create(trainee=w.trainee, organisation=w.organisation_a, score=4)

    built, trainees, hosts = _build(w, keep=KEEP_NONE)

    assert built.instance["periods"] == ["P1", "P2", "P3"]
    host_a, host_b, host_public = (f"h{o.pk}" for o in (w.organisation_a, w.organisation_b, public))
    assert hosts[host_a]["capacity"] == [1, 2, 0]
    assert hosts[host_a]["sector"] == "private" and hosts[host_public]["sector"] == "public"
    assert hosts[host_a]["municipality"] == "3403"
    assert hosts[host_a]["ratings"] == {f"t{w.trainee.pk}": 4}
    trainee = trainees[f"t{w.trainee.pk}"]
    assert trainee["municipality"] == "3405" and trainee["discipline"] == "Economics"
    km = haversine_km(61.13334, 10.42659, 61.00149, 11.16480)
    # A: wish 1 (10), rating 4, fit (economics, case-insensitive), travel Lillehammer → Hamar.
    assert trainee["utility"][host_a] == round_half_away(3 * 10 + 2 * 4 + 5 - km / 10)
    # Public host: wish 2, not rated, no fit.
    assert trainee["utility"][host_public] == round_half_away(3 * 7 - km / 10)
    # B: nothing but travel; every host is listed so none counts as a silent 0.
    assert trainee["utility"][host_b] == round_half_away(-km / 10)
    assert set(trainee["utility"]) == {host_a, host_b, host_public}
    assert built.instance["rules"] == {
        "distinct_hosts": True,
        "min_sectors": 2,
        "objective": "total",
    }
    assert built.wish_count == 2 and built.rating_count == 1


def test_weights_come_from_the_programme(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    Wish.objects.create(trainee=w.trainee, organisation=w.organisation_a, rank=1)
    settings = selectors.settings_for(w.program)
    settings.wish_weight, settings.travel_weight = 9, 0
    settings.save()
    _built, trainees, _hosts = _build(w, keep=KEEP_NONE)
    assert trainees[f"t{w.trainee.pk}"]["utility"][f"h{w.organisation_a.pk}"] == 90


def test_employer_of_record_is_pinned_in_the_first_period_if_it_hosts(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [0, 1, 1])
    offer(w.cohort, w.organisation_b, [1, 1, 1])
    hosted = trainee_in(w.cohort, employer=w.organisation_b)
    not_hosting = trainee_in(w.cohort, employer=w.organisation_a, first_name="Ola")
    built, trainees, _hosts = _build(w, keep=KEEP_NONE)
    assert trainees[f"t{hosted.pk}"]["pinned"] == {"P1": f"h{w.organisation_b.pk}"}
    assert "pinned" not in trainees[f"t{not_hosting.pk}"]
    assert any("Ola" in warning and "P1" in warning for warning in built.warnings)


def test_placements_already_made_are_pinned_by_the_keep_option(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    offer(w.cohort, w.organisation_b, [1, 1, 1])
    period_3 = w.cohort.periods.get(number=3)
    PlacementFactory(trainee=w.trainee, organisation=w.organisation_b, period=period_3)
    tid, a, b = f"t{w.trainee.pk}", f"h{w.organisation_a.pk}", f"h{w.organisation_b.pk}"

    assert _build(w, keep=KEEP_ALL)[1][tid]["pinned"] == {"P1": a, "P3": b}
    assert _build(w, keep=KEEP_STARTED, today=IN_PERIOD_2)[1][tid]["pinned"] == {"P1": a}
    assert "pinned" not in _build(w, keep=KEEP_STARTED, today=BEFORE_START)[1][tid]
    assert "pinned" not in _build(w, keep=KEEP_NONE)[1][tid]


def test_a_kept_placement_raises_places_and_brings_its_host(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_b, [1, 1, 1])  # A (where the trainee is in P1) has none
    built, trainees, hosts = _build(w, keep=KEEP_ALL)
    a = f"h{w.organisation_a.pk}"
    assert hosts[a]["capacity"] == [1, 0, 0]
    assert trainees[f"t{w.trainee.pk}"]["pinned"] == {"P1": a}
    assert any(w.organisation_a.name in warning for warning in built.warnings)


def test_conflicts_of_interest_become_forbidden_hosts(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    offer(w.cohort, w.organisation_b, [1, 1, 1])
    ForbiddenPair.objects.create(trainee=w.trainee, organisation=w.organisation_b, reason="x")
    built, trainees, _hosts = _build(w, keep=KEEP_NONE)
    assert trainees[f"t{w.trainee.pk}"]["forbidden"] == [f"h{w.organisation_b.pk}"]
    assert built.forbidden_count == 1


def test_district_hosts_and_minimum_share(world: World) -> None:
    w = world
    vinstra = OrganisationFactory(name="Vinstra AS", municipality_id="3436", sector=Sector.PUBLIC)
    MembershipFactory(program=w.program, organisation=vinstra)
    offer(w.cohort, vinstra, [1, 1, 1])
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    settings = selectors.settings_for(w.program)
    settings.district_municipalities.set(["3436"])
    built, _trainees, hosts = _build(w, keep=KEEP_NONE, min_district_share=0.3)
    assert hosts[f"h{vinstra.pk}"]["district"] is True
    assert "district" not in hosts[f"h{w.organisation_a.pk}"]
    assert built.instance["rules"]["min_district_share"] == 0.3


def test_excluded_trainees_are_left_out_and_short_periods_warned(
    world: World, english: None
) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 0])
    other = trainee_in(w.cohort)
    built, trainees, _hosts = _build(w, keep=KEEP_NONE, excluded=(w.trainee.pk,))
    assert list(trainees) == [f"t{other.pk}"]
    assert [(p.label, p.places, p.trainees) for p in built.periods] == [
        ("P1", 1, 1),
        ("P2", 1, 1),
        ("P3", 0, 1),
    ]
    assert "P3: 1 trainees but 0 places." in built.warnings


def test_building_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    offer(w.cohort, w.organisation_b, [1, 1, 1])
    settings = selectors.settings_for(w.program)
    for _ in range(10):
        t = trainee_in(w.cohort, home_municipality_id="3405", employer=w.organisation_a)
        Wish.objects.create(trainee=t, organisation=w.organisation_b, rank=1)
    with django_assert_max_num_queries(9):
        cohort_instance(w.cohort, settings, BuildOptions(keep=KEEP_ALL), today=IN_PERIOD_2)
