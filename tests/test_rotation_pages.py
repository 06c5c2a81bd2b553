"""The rotation planner's pages: build → solve → review → edit → publish → re-plan,
wishes, ratings, conflicts, places and weights."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory
from tests.factories_rotation import offer, rotation_setup, solved_plan, trainee_in
from tests.helpers import queries_for
from traineenett.cohorts.models import Placement, Trainee
from traineenett.core.models import AuditEntry
from traineenett.members.models import Sector
from traineenett.rotation import selectors, sentence_words, services
from traineenett.rotation.building import KEEP_NONE, BuildOptions
from traineenett.rotation.models import (
    ForbiddenPair,
    HostOffer,
    Rating,
    RotationPlan,
    RotationSettings,
    Wish,
)

pytestmark = pytest.mark.django_db


def url(name: str, w: World, pk: int | None = None) -> str:
    kwargs: dict[str, object] = {"program_slug": w.program.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"rotation:{name}", kwargs=kwargs)


def english_client(w: World, persona: str = "coordinator") -> Client:
    """A client that asks for English pages (the site's default is Bokmål)."""
    client = w.client_for(persona)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def cells(plan: RotationPlan) -> dict[str, dict[str, str]]:
    return plan.plan["assignment"]


def four_trainees(w: World) -> list:
    """Four trainees, four hosts (two private, two public), one place each per period."""
    hosts = rotation_setup(w)
    fourth = OrganisationFactory(
        name="Gjøvik kommune", sector=Sector.PUBLIC, municipality_id="3407"
    )
    MembershipFactory(program=w.program, organisation=fourth)
    hosts.append(fourth)
    offer(w.cohort, fourth, [1, 1, 1])
    trainees = [w.trainee] + [trainee_in(w.cohort, first_name=f"T{i}") for i in range(3)]
    return hosts, trainees


# ------------------------------------------------------------------------ build & solve


def test_build_page_shows_counts_and_warnings(world: World, english: None) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 0, 1])
    response = english_client(w).get(url("cohort", w, w.cohort.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "P2: 1 trainees but 0 places." in content
    assert "has no wishes yet." in content


def test_solving_a_small_cohort_inline_and_reviewing_it(world: World, english: None) -> None:
    w = world
    hosts, trainees = four_trainees(w)
    Wish.objects.create(trainee=trainees[1], organisation=hosts[3], rank=1)
    client = english_client(w)
    response = client.post(
        url("cohort", w, w.cohort.pk),
        {"objective": "total", "min_sectors": 2, "keep": "none", "time_limit": 10},
    )
    plan = RotationPlan.objects.get(cohort=w.cohort)
    assert response.status_code == 302 and response["Location"] == url("plan", w, plan.pk)
    assert plan.solve_state == RotationPlan.SolveState.DONE
    assert plan.plan["status"] == "optimal"
    assignment = cells(plan)
    assert set(assignment) == {f"t{t.pk}" for t in trainees}
    for row in assignment.values():
        assert len(set(row.values())) == 3  # distinct hosts
    # The wish is granted: T0 meets Gjøvik kommune in some period.
    assert f"h{hosts[3].pk}" in assignment[f"t{trainees[1].pk}"].values()
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert "optimal" in page and "got wish no. 1" in page
    assert AuditEntry.objects.filter(action="rotation.plan.created").exists()


def test_an_infeasible_cohort_is_explained_in_words(world: World, english: None) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])  # one host cannot give three distinct ones
    client = english_client(w)
    client.post(
        url("cohort", w, w.cohort.pk),
        {"objective": "total", "min_sectors": 1, "keep": "none", "time_limit": 5},
    )
    plan = RotationPlan.objects.get(cohort=w.cohort)
    assert plan.plan["status"] == "infeasible" and plan.plan["conflicts"]
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert "No plan keeps every rule" in page
    named = sentence_words.translated(plan.plan["conflicts"], plan.instance)
    assert named[0] != plan.plan["conflicts"][0]  # ids such as t12 become names
    assert w.trainee.full_name in named[0]
    assert named[0][:30] in page.replace("&#x27;", "'").replace("&quot;", '"')


def test_the_explanation_is_shown_in_bokmal_with_names(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    client = w.client_for("coordinator")  # the UI default: Bokmål
    client.post(
        url("cohort", w, w.cohort.pk),
        {"objective": "total", "min_sectors": 1, "keep": "none", "time_limit": 5},
    )
    plan = RotationPlan.objects.get(cohort=w.cohort)
    english = plan.plan["conflicts"][0]
    assert english.startswith(f"t{w.trainee.pk} needs a different host in each of P1 and P2")
    page = client.get(url("plan", w, plan.pk)).content.decode()
    expected = (
        f"{w.trainee.full_name} trenger en ny vert i hver av P1 og P2, men bare "
        f"{w.organisation_a.name} er åpen for {w.trainee.full_name} der"
    )
    assert expected in page.replace("&#x27;", "'")
    assert "needs a different host" not in page


def test_bad_build_options_name_the_field(world: World) -> None:
    w = world
    response = w.client_for("coordinator").post(
        url("cohort", w, w.cohort.pk),
        {"objective": "total", "min_sectors": 7, "keep": "none", "time_limit": 10},
    )
    assert response.status_code == 200
    assert "min_sectors" in response.context["form"].errors
    assert not RotationPlan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_large_cohorts_solve_in_a_background_thread(world: World, settings) -> None:
    settings.ROTATION_INLINE_TRAINEES = 0
    w = world
    rotation_setup(w)
    plan = services.plan_create(cohort=w.cohort, options=BuildOptions(keep=KEEP_NONE))
    thread = services.plan_start(plan=plan)
    assert thread is not None
    thread.join(timeout=30)
    plan.refresh_from_db()
    assert plan.solve_state == RotationPlan.SolveState.DONE
    assert plan.plan["status"] == "optimal"
    client = w.client_for("coordinator")
    response = client.get(url("plan_status", w, plan.pk), headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_the_status_fragment_polls_while_the_solver_runs(world: World) -> None:
    w = world
    rotation_setup(w)
    plan = services.plan_create(cohort=w.cohort, options=BuildOptions(keep=KEEP_NONE))
    client = w.client_for("coordinator")
    response = client.get(url("plan_status", w, plan.pk), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'hx-trigger="every 1s"' in content and "HX-Refresh" not in response
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in page


# ------------------------------------------------------------------------------ edit


def _edit_data(plan: RotationPlan, assignment: dict[str, dict[str, str]]) -> dict[str, str]:
    return {
        f"cell_{tid}_{period}": host
        for tid, row in assignment.items()
        for period, host in row.items()
    }


def test_live_check_names_broken_rules_and_save_refuses_them(world: World) -> None:
    w = world
    plan = solved_plan(w)
    tid = f"t{w.trainee.pk}"
    broken = {tid: dict(cells(plan)[tid])}
    broken[tid]["P2"] = broken[tid]["P1"]  # the same host twice
    client = w.client_for("coordinator")
    response = client.post(url("plan_check", w, plan.pk), _edit_data(plan, broken))
    assert response.status_code == 200
    assert response.content.decode().count("<li>") >= 1
    response = client.post(url("plan_edit", w, plan.pk), _edit_data(plan, broken))
    assert response.status_code == 200 and response.context["problems"]
    plan.refresh_from_db()
    assert not plan.edited and cells(plan)[tid]["P2"] != cells(plan)[tid]["P1"]


def test_a_valid_hand_edit_is_saved_with_new_totals(world: World) -> None:
    w = world
    plan = solved_plan(w)
    tid = f"t{w.trainee.pk}"
    row = cells(plan)[tid]
    swapped = {tid: {"P1": row["P2"], "P2": row["P1"], "P3": row["P3"]}}
    client = w.client_for("coordinator")
    check = client.post(url("plan_check", w, plan.pk), _edit_data(plan, swapped))
    assert "problems ok" in check.content.decode()
    response = client.post(url("plan_edit", w, plan.pk), _edit_data(plan, swapped))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.edited and cells(plan) == swapped
    assert plan.plan["objective"] == selectors.plan_totals(plan.instance, swapped)["objective"]


def test_the_edit_grid_shows_every_cell_with_its_host_selected_and_labelled(
    world: World, english: None
) -> None:
    w = world
    plan = solved_plan(w)
    client = english_client(w)
    html = client.get(url("plan_edit", w, plan.pk)).content.decode()
    assignment = cells(plan)
    host_ids = {h["id"] for h in plan.instance["hosts"]}
    assert assignment
    for tid, row in assignment.items():
        for period, host in row.items():
            name = f"cell_{tid}_{period}"
            select = re.search(rf'<select name="{name}"([^>]*)>(.*?)</select>', html, re.S)
            assert select, name
            assert f'id="id_{name}"' in select[1]
            assert f'<label class="visually-hidden" for="id_{name}">' in html
            assert re.findall(r'<option value="([^"]*)" selected>', select[2]) == [host]
            assert set(re.findall(r'<option value="([^"]*)"', select[2])) == host_ids
    # A bound form (a refused save) keeps the posted choice, not the saved one.
    tid = f"t{w.trainee.pk}"
    broken = {t: dict(row) for t, row in assignment.items()}
    broken[tid]["P2"] = broken[tid]["P1"]
    response = client.post(url("plan_edit", w, plan.pk), _edit_data(plan, broken))
    select = re.search(
        rf'<select name="cell_{tid}_P2"[^>]*>(.*?)</select>', response.content.decode(), re.S
    )
    assert select and re.findall(r'value="([^"]*)" selected', select[1]) == [broken[tid]["P1"]]


def test_a_published_plan_cannot_be_edited(world: World) -> None:
    w = world
    plan = solved_plan(w)
    services.plan_publish(plan=plan)
    assert w.client_for("coordinator").get(url("plan_edit", w, plan.pk)).status_code == 404


# --------------------------------------------------------------------------- publish


def test_publish_creates_placements_and_keeps_unchanged_ones(world: World) -> None:
    w = world
    _hosts, _trainees = four_trainees(w)
    w.placement.mentor = "Kari Nordby"
    w.placement.save()
    plan = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="all"))
    )
    assert plan.plan["status"] == "optimal"
    response = w.client_for("coordinator").post(url("plan_publish", w, plan.pk))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == RotationPlan.Status.PUBLISHED
    placements = Placement.objects.filter(trainee__cohort=w.cohort).select_related("period")
    assert placements.count() == 12
    published = {(f"t{p.trainee_id}", p.period.label): f"h{p.organisation_id}" for p in placements}
    assert published == {
        (tid, period): host for tid, row in cells(plan).items() for period, host in row.items()
    }
    w.placement.refresh_from_db()  # the pinned P1 placement is kept with its mentor
    assert w.placement.mentor == "Kari Nordby"
    entry = AuditEntry.objects.get(action="rotation.plan.published")
    assert entry.changes == {"kept": 1, "created": 11, "removed": 0}


def test_publishing_supersedes_the_previous_plan_and_is_all_or_nothing(world: World) -> None:
    w = world
    first = solved_plan(w)
    services.plan_publish(plan=first)
    second = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="none"))
    )
    services.plan_publish(plan=second)
    first.refresh_from_db()
    assert first.status == RotationPlan.Status.SUPERSEDED
    # A hand edit moves the P1 host to P3, but that host leaves the programme before P3:
    # publishing fails with the reason and changes nothing.
    third = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="none"))
    )
    tid = f"t{w.trainee.pk}"
    row = cells(second)[tid]
    services.plan_assignment_update(
        plan=third, assignment={tid: {"P1": row["P3"], "P2": row["P2"], "P3": row["P1"]}}
    )
    from traineenett.members.models import Membership

    Membership.objects.filter(program=w.program, organisation_id=int(row["P1"][1:])).update(
        ends_on=w.cohort.periods.get(number=3).starts_on.replace(day=1)
    )
    before = sorted(
        Placement.objects.filter(trainee=w.trainee).values_list("pk", "organisation_id")
    )
    response = w.client_for("coordinator").post(url("plan_publish", w, third.pk))
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == RotationPlan.Status.DRAFT
    after = sorted(Placement.objects.filter(trainee=w.trainee).values_list("pk", "organisation_id"))
    assert after == before
    second.refresh_from_db()
    assert second.status == RotationPlan.Status.PUBLISHED


# ---------------------------------------------------------------------------- re-plan


def test_replan_after_a_host_withdraws_keeps_the_rest(world: World, english: None) -> None:
    w = world
    _hosts, trainees = four_trainees(w)
    extra = OrganisationFactory(name="Spare AS", sector=Sector.PRIVATE)
    MembershipFactory(program=w.program, organisation=extra)
    offer(w.cohort, extra, [1, 1, 1])
    plan = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="none"))
    )
    services.plan_publish(plan=plan)
    # The host placed with T0 in P3 withdraws that place.
    t0 = f"t{trainees[1].pk}"
    withdrawn = cells(plan)[t0]["P3"]
    found = HostOffer.objects.get(cohort=w.cohort, organisation_id=int(withdrawn[1:]))
    found.places = {"1": 1, "2": 1}
    found.save()
    client = english_client(w)
    response = client.post(url("plan_replan", w, plan.pk), {})
    new_plan = RotationPlan.objects.exclude(pk=plan.pk).get()
    assert response["Location"] == url("plan", w, new_plan.pk)
    assert new_plan.previous_plan == plan
    assert new_plan.instance["rules"]["move_penalty"] == RotationSettings.objects.get().move_penalty
    assert new_plan.instance["trainees"][0]["previous"]
    moved = sum(
        1
        for tid, row in cells(new_plan).items()
        for period, host in row.items()
        if cells(plan)[tid][period] != host
    )
    assert new_plan.plan["moves"] == moved
    assert 1 <= moved <= 4  # far fewer than the 12 placements
    assert cells(new_plan)[t0]["P3"] != withdrawn
    page = client.get(url("plan", w, new_plan.pk)).content.decode()
    assert "moves from the published plan" in page


def test_replan_leaves_out_a_trainee_who_left(world: World) -> None:
    w = world
    _hosts, trainees = four_trainees(w)
    plan = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="none"))
    )
    services.plan_publish(plan=plan)
    w.client_for("coordinator").post(url("plan_replan", w, plan.pk), {"excluded": [trainees[2].pk]})
    new_plan = RotationPlan.objects.exclude(pk=plan.pk).get()
    assert f"t{trainees[2].pk}" not in cells(new_plan)
    assert new_plan.plan["moves"] == 0  # nobody needs to move when someone leaves


def test_the_published_plan_offers_the_trainees_to_leave_out(world: World) -> None:
    w = world
    _hosts, trainees = four_trainees(w)
    plan = services.plan_solve(
        plan=services.plan_create(
            cohort=w.cohort, options=BuildOptions(keep="none", excluded=(trainees[3].pk,))
        )
    )
    services.plan_publish(plan=plan)
    page = w.client_for("coordinator").get(url("plan", w, plan.pk)).content.decode()
    boxes = dict(re.findall(r'<input type="checkbox" name="excluded" value="(\d+)"([^>]*)>', page))
    assert set(boxes) == {str(t.pk) for t in trainees}
    # The trainee this plan left out is still ticked, so a re-plan does not bring them back.
    assert [pk for pk, attrs in boxes.items() if "checked" in attrs] == [str(trainees[3].pk)]


def test_only_a_published_plan_can_be_replanned(world: World) -> None:
    w = world
    plan = solved_plan(w)
    w.client_for("coordinator").post(url("plan_replan", w, plan.pk), {})
    assert RotationPlan.objects.count() == 1


# ---------------------------------------------------------------------- district share


def test_district_share_is_shown_and_can_be_required(world: World, english: None) -> None:
    w = world
    _hosts, _trainees = four_trainees(w)
    settings = selectors.settings_for(w.program)
    settings.district_municipalities.set(["3407"])  # Gjøvik kommune's municipality
    plan = services.plan_solve(
        plan=services.plan_create(
            cohort=w.cohort, options=BuildOptions(keep="none", min_district_share=0.25)
        )
    )
    review = selectors.plan_review(plan)
    assert review.total_placements == 12
    assert review.district_placements == 3  # the one district host, full in every period
    page = english_client(w).get(url("plan", w, plan.pk)).content.decode()
    assert "25 %" in page and "3 of 12 trainee-periods" in page
    too_much = services.plan_solve(
        plan=services.plan_create(
            cohort=w.cohort, options=BuildOptions(keep="none", min_district_share=0.5)
        )
    )
    assert too_much.plan["status"] == "infeasible"


# -------------------------------------------------------------------------- stability


def test_stability_page_lists_blocking_pairs_in_words(world: World, english: None) -> None:
    w = world
    hosts, trainees = four_trainees(w)
    plan = solved_plan(w)
    # T1 strongly prefers the one host it never visits; that host rates T1 above the
    # trainee it got in P1 (every host is full: four trainees, four single places).
    t1 = f"t{trainees[2].pk}"
    unvisited = next(f"h{h.pk}" for h in hosts if f"h{h.pk}" not in cells(plan)[t1].values())
    occupant = next(t for t, row in cells(plan).items() if row["P1"] == unvisited)
    for trainee in plan.instance["trainees"]:
        if trainee["id"] == t1:
            trainee["utility"][unvisited] = 100
    for host in plan.instance["hosts"]:
        if host["id"] == unvisited:
            host["ratings"] = {occupant: 1, t1: 5}
    plan.save()
    response = english_client(w).get(url("plan_stability", w, plan.pk) + "?period=P1")
    content = response.content.decode()
    assert response.status_code == 200
    names = selectors.names_for(plan.instance)
    assert "1 blocking pair in P1" in content
    sentence = f"{names[1][t1]} would rather be at {names[0][unvisited]} (utility 100)"
    assert sentence in content.replace("&#x27;", "'")
    assert f"rates {names[1][t1]} 5, higher than {names[1][occupant]} (1)" in content
    # An unknown period falls back to the first one instead of failing.
    assert (
        english_client(w).get(url("plan_stability", w, plan.pk) + "?period=P9").status_code == 200
    )


# ----------------------------------------------------------------- wishes and ratings


def test_a_trainee_ranks_their_wishes(world: World) -> None:
    w = world
    hosts = rotation_setup(w)
    client = w.client_for("trainee")
    response = client.post(
        url("my_wishes", w), {"wish_1": hosts[2].pk, "wish_2": hosts[0].pk, "wish_3": ""}
    )
    assert response.status_code == 302
    assert list(Wish.objects.filter(trainee=w.trainee).values_list("rank", "organisation_id")) == [
        (1, hosts[2].pk),
        (2, hosts[0].pk),
    ]
    response = client.post(url("my_wishes", w), {"wish_1": hosts[1].pk, "wish_2": hosts[1].pk})
    assert response.status_code == 200 and "wish_2" in response.context["form"].errors
    assert Wish.objects.filter(trainee=w.trainee).count() == 2  # nothing half-written


def test_a_trainee_may_only_wish_hosts_with_places(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    response = w.client_for("trainee").post(url("my_wishes", w), {"wish_1": w.organisation_b.pk})
    assert response.status_code == 200 and "wish_1" in response.context["form"].errors


def test_the_coordinator_enters_wishes_for_a_trainee(world: World) -> None:
    w = world
    rotation_setup(w)
    response = w.client_for("coordinator").post(
        url("trainee_wishes", w, w.trainee.pk), {"wish_1": w.organisation_b.pk}
    )
    assert response.status_code == 302
    assert Wish.objects.get(trainee=w.trainee).organisation == w.organisation_b
    overview = w.client_for("coordinator").get(url("wishes", w, w.cohort.pk))
    assert w.organisation_b.name in overview.content.decode()


def test_a_host_rates_only_the_cohorts_it_offers_places_to(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])  # B offers nothing
    host_a, host_b = w.client_for("host_a"), w.client_for("host_b")
    page = host_a.get(url("host_ratings", w)).content.decode()
    assert w.trainee.full_name in page
    assert w.trainee.full_name not in host_b.get(url("host_ratings", w)).content.decode()
    data = {
        "organisation": w.organisation_a.pk,
        "cohort": w.cohort.pk,
        f"rating_{w.trainee.pk}": "4",
    }
    assert host_a.post(url("host_ratings", w), data).status_code == 302
    assert Rating.objects.get(trainee=w.trainee).score == 4
    # Host B cannot rate on A's behalf, nor for a cohort it offers nothing to.
    assert host_b.post(url("host_ratings", w), data).status_code == 404
    data_b = data | {"organisation": w.organisation_b.pk, f"rating_{w.trainee.pk}": "1"}
    assert host_b.post(url("host_ratings", w), data_b).status_code == 404
    assert Rating.objects.get(trainee=w.trainee).score == 4
    # A rating outside 1–5 names the field; clearing removes it.
    bad = host_a.post(url("host_ratings", w), data | {f"rating_{w.trainee.pk}": "9"})
    assert bad.status_code == 200
    host_a.post(url("host_ratings", w), data | {f"rating_{w.trainee.pk}": ""})
    assert not Rating.objects.exists()


def test_a_host_does_not_see_another_programmes_trainees(world: World) -> None:
    w = world
    offer(w.other_cohort, w.organisation_a, [1, 1, 1])  # an offer in programme B's cohort
    page = w.client_for("host_a").get(url("host_ratings", w)).content.decode()
    assert w.other_trainee.full_name not in page


# ------------------------------------------------------------ conflicts, places, weights


def test_conflicts_of_interest_are_recorded_with_a_reason(world: World, english: None) -> None:
    w = world
    client = english_client(w)
    data = {"trainee": w.trainee.pk, "organisation": w.organisation_b.pk, "reason": ""}
    response = client.post(url("conflicts", w, w.cohort.pk), data)
    assert "reason" in response.context["form"].errors
    response = client.post(url("conflicts", w, w.cohort.pk), data | {"reason": "Brother is CEO"})
    assert response.status_code == 302
    pair = ForbiddenPair.objects.get()
    assert pair.reason == "Brother is CEO"
    again = client.post(url("conflicts", w, w.cohort.pk), data | {"reason": "Again"})
    assert "organisation" in again.context["form"].errors
    assert client.post(url("conflict_delete", w, pair.pk)).status_code == 302
    assert not ForbiddenPair.objects.exists()


def test_places_are_saved_per_period_and_bad_input_named(world: World) -> None:
    w = world
    client = w.client_for("coordinator")
    a, b = w.organisation_a.pk, w.organisation_b.pk
    data = {
        f"places_{a}_1": "2",
        f"places_{a}_2": "1",
        f"places_{a}_3": "",
        f"disciplines_{a}": "economics, law",
        f"places_{b}_1": "-1",
    }
    response = client.post(url("places", w, w.cohort.pk), data)
    assert response.status_code == 200 and f"places_{b}_1" in response.context["form"].errors
    assert not HostOffer.objects.exists()
    data[f"places_{b}_1"] = "0"
    assert client.post(url("places", w, w.cohort.pk), data).status_code == 302
    found = HostOffer.objects.get()
    assert (found.organisation_id, found.places, found.discipline_list) == (
        a,
        {"1": 2, "2": 1},
        ["economics", "law"],
    )


def test_places_are_imported_from_the_competence_needs_round(world: World) -> None:
    from datetime import date

    from traineenett.recruitment.models import CompetenceNeed, Round

    w = world
    needs_round = Round.objects.create(
        program=w.program, cohort=w.cohort, needs_deadline=date(2025, 3, 1)
    )
    CompetenceNeed.objects.create(
        round=needs_round,
        organisation=w.organisation_a,
        disciplines=["economics"],
        places=2,
        period_numbers=[1, 3],
    )
    response = w.client_for("coordinator").post(url("places", w, w.cohort.pk), {"import": "1"})
    assert response.status_code == 302
    found = HostOffer.objects.get()
    assert found.places == {"1": 2, "3": 2}
    assert found.disciplines == "economics" and found.source == HostOffer.Source.IMPORTED


def test_weights_and_districts_are_saved(world: World, english: None) -> None:
    w = world
    client = english_client(w)
    page = client.get(url("weights", w)).content.decode()
    assert "utility = wish weight" in page
    data = {
        "wish_weight": "4",
        "rating_weight": "1",
        "fit_weight": "0",
        "travel_weight": "2",
        "move_penalty": "50",
        "district_municipalities": ["3405"],
    }
    assert client.post(url("weights", w), data).status_code == 302
    found = RotationSettings.objects.get(program=w.program)
    assert (found.wish_weight, found.travel_weight, found.move_penalty) == (4, 2, 50)
    assert list(found.district_municipalities.values_list("number", flat=True)) == ["3405"]
    bad = client.post(url("weights", w), data | {"wish_weight": "-3"})
    assert "wish_weight" in bad.context["form"].errors
    # A municipality outside the catchment cannot be chosen.
    outside = client.post(url("weights", w), data | {"district_municipalities": ["0301"]})
    assert "district_municipalities" in outside.context["form"].errors


# -------------------------------------------------------------------------- queries


def test_plan_pages_make_a_fixed_number_of_queries(world: World) -> None:
    w = world
    hosts, _trainees = four_trainees(w)
    client = w.client_for("coordinator")
    plan = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="none"))
    )
    small = {
        name: queries_for(client, url(name, w, pk))
        for name, pk in [("plan", plan.pk), ("plan_edit", plan.pk), ("cohort", w.cohort.pk)]
    }
    for i in range(4):
        trainee_in(w.cohort, first_name=f"Extra{i}")
    for host in hosts:
        offer(w.cohort, host, [2, 2, 2])
    plan = services.plan_solve(
        plan=services.plan_create(cohort=w.cohort, options=BuildOptions(keep="none"))
    )
    large = {
        name: queries_for(client, url(name, w, pk))
        for name, pk in [("plan", plan.pk), ("plan_edit", plan.pk), ("cohort", w.cohort.pk)]
    }
    assert large == small, (small, large)


def test_menu_entries_follow_the_role(world: World) -> None:
    w = world
    home = reverse("core:dashboard", kwargs={"program_slug": w.program.slug})
    assert re.search(
        r'href="[^"]*/rotation/"', w.client_for("coordinator").get(home).content.decode()
    )
    assert url("my_wishes", w) in w.client_for("trainee").get(home).content.decode()
    host_page = w.client_for("host_a").get(home).content.decode()
    assert url("host_ratings", w) in host_page
    assert f'href="{url("index", w)}"' not in host_page


# ------------------------------------------------------------------------------- demo


def test_the_demo_cohort_is_planned_in_a_few_seconds(db: None) -> None:
    import io

    from django.core.management import call_command
    from django.test import Client

    from traineenett.core.models import User

    call_command("demo", "--no-serve", stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.get(email="koordinator@innlandet.demo"))
    plan_count = RotationPlan.objects.count()
    cohort = Trainee.objects.get(user__email="trainee@innlandet.demo").cohort
    build = reverse("rotation:cohort", args=["trainee-innlandet", cohort.pk])
    response = client.post(
        build, {"objective": "maximin", "min_sectors": 2, "keep": "none", "time_limit": 10}
    )
    assert response.status_code == 302
    plan = RotationPlan.objects.latest("pk")
    assert RotationPlan.objects.count() == plan_count + 1
    assert plan.plan["status"] == "optimal" and plan.plan["seconds"] < 5
    review = selectors.plan_review(plan)
    assert sum(review.got_rank.values()) > 0  # wishes are met
    assert review.district_share is not None and review.district_share > 0
    # The demo host and trainee find their pages filled in.
    host = Client()
    host.force_login(User.objects.get(email="vert.a@innlandet.demo"))
    assert host.get(reverse("rotation:host_ratings", args=["trainee-innlandet"])).context["sheets"]
    trainee = Client()
    trainee.force_login(User.objects.get(email="trainee@innlandet.demo"))
    form = trainee.get(reverse("rotation:my_wishes", args=["trainee-innlandet"])).context["form"]
    assert form["wish_1"].value()


def test_an_invalid_instance_fails_with_the_field_named_and_can_be_solved_again(
    world: World,
) -> None:
    w = world
    rotation_setup(w)
    plan = services.plan_create(cohort=w.cohort, options=BuildOptions(keep=KEEP_NONE))
    good = dict(plan.instance)
    plan.instance = {**good, "hosts": [{**good["hosts"][0], "capacity": [1]}, *good["hosts"][1:]]}
    plan.save()
    services.plan_solve(plan=plan)
    plan.refresh_from_db()
    assert plan.solve_state == RotationPlan.SolveState.FAILED and "capacity" in plan.error
    client = w.client_for("coordinator")
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert url("plan_solve", w, plan.pk) in page
    plan.instance = good
    plan.save()
    assert client.post(url("plan_solve", w, plan.pk)).status_code == 302
    plan.refresh_from_db()
    assert plan.solve_state == RotationPlan.SolveState.DONE
    # A solved plan is not solved again.
    client.post(url("plan_solve", w, plan.pk))
    assert AuditEntry.objects.filter(action="rotation.plan.created").count() == 1


def test_a_solve_that_died_with_its_process_can_be_started_again(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    w = world
    rotation_setup(w)
    plan = services.plan_create(cohort=w.cohort, options=BuildOptions(keep=KEEP_NONE))
    RotationPlan.objects.filter(pk=plan.pk).update(
        solve_state=RotationPlan.SolveState.RUNNING,
        started_at=timezone.now() - timedelta(minutes=30),
    )
    client = w.client_for("coordinator")
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert 'hx-trigger="every 1s"' not in page and url("plan_solve", w, plan.pk) in page
    client.post(url("plan_solve", w, plan.pk))
    plan.refresh_from_db()
    assert plan.solve_state == RotationPlan.SolveState.DONE


def test_a_solve_whose_thread_never_started_can_be_started_again(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    w = world
    rotation_setup(w)
    plan = services.plan_create(cohort=w.cohort, options=BuildOptions(keep=KEEP_NONE))
    client = w.client_for("coordinator")
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in page and url("plan_solve", w, plan.pk) not in page
    RotationPlan.objects.filter(pk=plan.pk).update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    page = client.get(url("plan", w, plan.pk)).content.decode()
    assert 'hx-trigger="every 1s"' not in page and url("plan_solve", w, plan.pk) in page
    client.post(url("plan_solve", w, plan.pk))
    plan.refresh_from_db()
    assert plan.solve_state == RotationPlan.SolveState.DONE


def test_dashboard_panels_follow_the_role(world: World) -> None:
    w = world
    offer(w.cohort, w.organisation_a, [1, 1, 1])
    Wish.objects.create(trainee=w.trainee, organisation=w.organisation_a, rank=1)
    home = reverse("core:dashboard", kwargs={"program_slug": w.program.slug})
    coordinator = english_client(w).get(home).content.decode()
    assert "No rotation plans yet." in coordinator
    plan = solved_plan(w)
    assert f"Latest plan: #{plan.pk}" in english_client(w).get(home).content.decode()
    assert "You have ranked 1 host." in english_client(w, "trainee").get(home).content.decode()
    host_a = english_client(w, "host_a").get(home).content.decode()
    assert "1 trainee is waiting for your rating." in host_a
    assert "rotation-panel-title" not in english_client(w, "board").get(home).content.decode()
