"""The rotation planner in Chromium: build → solve → edit (checked live) → publish, and
the trainee's and the host's own pages, with an axe-core scan of every page."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from traineenett.core.models import RoleKind

pytestmark = pytest.mark.browser


def _cohort_with_hosts(programme):
    """A cohort of three trainees and three hosts (one public) with two places per period."""
    from tests.browser.conftest import _organisation_number
    from traineenett.cohorts import services as cohort_services
    from traineenett.core.models import Municipality
    from traineenett.members.models import OrganisationKind, Sector
    from traineenett.members.services import membership_create
    from traineenett.rotation import services

    program = programme.program
    public = membership_create(
        program=program,
        organisation_data={
            "name": "Hamar kommune",
            "organisation_number": _organisation_number(777),
            "kind": OrganisationKind.PUBLIC_BODY,
            "sector": Sector.PUBLIC,
            "industry": "Offentlig",
            "municipality": Municipality.objects.get(pk="3403"),
            "employees": 2000,
        },
        starts_on=date(2010, 1, 1),
    ).organisation
    cohort = cohort_services.cohort_create(
        program=program,
        label="Kull 2030",
        starts_on=date(2030, 8, 15),
        common_salary=Decimal("560000"),
    )
    trainees = [
        cohort_services.trainee_create(
            cohort=cohort,
            data={
                "first_name": first,
                "last_name": "Traineesen",
                "email": f"{first.lower()}@example.org",
                "discipline": "economics",
                "higher_education_years": Decimal("5"),
                "home_municipality_id": "3405",
            },
        )
        for first in ("Ingrid", "Ola", "Kari")
    ]
    hosts = [programme.organisation, programme.other_organisation, public]
    numbers = [p.number for p in cohort.periods.all()]
    services.offers_set(
        cohort=cohort, rows={h.pk: (dict.fromkeys(numbers, 2), "economics") for h in hosts}
    )
    return cohort, trainees, hosts


def test_coordinator_builds_solves_edits_and_publishes_a_plan(
    page: Page, programme, make_user, log_in, a11y
) -> None:
    slug = programme.program.slug
    cohort, trainees, hosts = _cohort_with_hosts(programme)
    make_user("koordinator@example.org", program=programme.program, kind=RoleKind.COORDINATOR)
    log_in(page, "koordinator@example.org", scan=False)
    page.goto(f"/{slug}/")

    page.locator(f'nav.program-nav a[href="/{slug}/rotation/"]').click()
    expect(page).to_have_url(re.compile(rf"/{slug}/rotation/$"))
    a11y.scan(page)
    page.locator(f'main a[href="/{slug}/rotation/cohorts/{cohort.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kull 2030")
    a11y.scan(page)

    page.locator(f'main a[href="/{slug}/rotation/cohorts/{cohort.pk}/places/"]').first.click()
    expect(page.locator(f'input[name="places_{hosts[0].pk}_1"]')).to_have_value("2")
    a11y.scan(page)
    page.go_back()

    page.locator('select[name="objective"]').select_option("maximin")
    page.locator('select[name="keep"]').select_option("none")
    page.locator('main form button[name="solve"]').click()
    expect(page).to_have_url(re.compile(rf"/{slug}/rotation/plans/\d+/$"))
    plan_path = re.search(rf"/{slug}/rotation/plans/\d+/$", page.url).group(0)
    table = page.locator("main .timeline table")
    expect(table.locator("tbody tr")).to_have_count(3)
    a11y.scan(page)

    # Edit one trainee: the same host in P1 and P2 is flagged live, then put right.
    page.locator(f'main a[href="{plan_path}edit/"]').click()
    expect(page).to_have_url(re.compile(rf"{plan_path}edit/$"))
    a11y.scan(page)
    tid = f"t{trainees[0].pk}"
    p1 = page.locator(f'select[name="cell_{tid}_P1"]')
    p2 = page.locator(f'select[name="cell_{tid}_P2"]')
    first, second = p1.input_value(), p2.input_value()
    p1.select_option(second)
    expect(page.locator("#check-result .problems:not(.ok) li").first).to_be_visible()
    a11y.scan(page)
    p2.select_option(first)
    # With two places everywhere, swapping one trainee's hosts keeps every rule.
    expect(page.locator("#check-result .problems.ok")).to_be_visible()
    page.locator('main form button[name="save"]').click()
    expect(page).to_have_url(re.compile(rf"{plan_path}$"))
    expect(page.locator("ul.messages")).to_be_visible()

    page.locator(f'main a[href="{plan_path}publish/"]').click()
    expect(page).to_have_url(re.compile(rf"{plan_path}publish/$"))
    a11y.scan(page)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"{plan_path}$"))
    expect(page.locator("form[action$='replan/']")).to_be_visible()
    a11y.scan(page)

    from traineenett.cohorts.models import Placement

    placements = Placement.objects.filter(trainee=trainees[0]).select_related("period")
    assert {p.period.label: p.organisation_id for p in placements} == {
        "P1": int(second[1:]),
        "P2": int(first[1:]),
        "P3": next(p.organisation_id for p in placements if p.period.label == "P3"),
    }
    assert Placement.objects.filter(trainee__cohort=cohort).count() == 9

    page.locator(f'main a[href="{plan_path}stability/"]').click()
    expect(page).to_have_url(re.compile(rf"{plan_path}stability/$"))
    expect(page.locator('main select[name="period"]')).to_have_value("P1")
    a11y.scan(page)

    page.goto(f"/{slug}/rotation/weights/")
    a11y.scan(page)
    a11y.assert_clean()


def test_trainee_ranks_wishes_and_host_rates_trainees(
    page: Page, programme, make_user, log_in, a11y
) -> None:
    slug = programme.program.slug
    _cohort, trainees, hosts = _cohort_with_hosts(programme)
    user = make_user("ingrid@example.org", program=programme.program, kind=RoleKind.TRAINEE)
    trainees[0].user = user
    trainees[0].save(update_fields=["user"])
    make_user(
        "vert@example.org",
        program=programme.program,
        kind=RoleKind.HOST,
        organisation=hosts[0],
    )

    log_in(page, "ingrid@example.org", scan=False)
    page.goto(f"/{slug}/")
    page.locator(f'nav.program-nav a[href="/{slug}/my-wishes/"]').click()
    a11y.scan(page)
    page.locator('select[name="wish_1"]').select_option(str(hosts[2].pk))
    page.locator('select[name="wish_2"]').select_option(str(hosts[0].pk))
    page.locator('main form button[type="submit"]').click()
    expect(page.locator("ul.messages")).to_be_visible()
    expect(page.locator('select[name="wish_1"]')).to_have_value(str(hosts[2].pk))
    a11y.scan(page)
    page.locator('header form[action="/accounts/logout/"] button').click()

    log_in(page, "vert@example.org", scan=False)
    page.goto(f"/{slug}/")
    page.locator(f'nav.program-nav a[href="/{slug}/rotation/ratings/"]').click()
    a11y.scan(page)
    page.locator(f'select[name="rating_{trainees[1].pk}"]').select_option("5")
    page.locator("main form button[type='submit']").first.click()
    expect(page.locator("ul.messages")).to_be_visible()
    expect(page.locator(f'select[name="rating_{trainees[1].pk}"]')).to_have_value("5")
    a11y.scan(page)
    a11y.assert_clean()
