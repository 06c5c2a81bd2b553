"""A trainee checks in with the code on the facilitator's screen and writes a reflection,
in Chromium, with axe-core on every trainee page visited (and the facilitator's screen)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from traineenett.core.models import RoleKind

pytestmark = pytest.mark.browser


def submit(page: Page) -> None:
    page.locator("main form").last.locator('button[type="submit"]').click()


@pytest.fixture
def competence_world(programme, make_user):
    from django.utils import timezone

    from traineenett.cohorts import services as cohort_services
    from traineenett.competence import services

    program = programme.program
    today = timezone.localdate()
    cohort = cohort_services.cohort_create(
        program=program,
        label="Kull 2026",
        starts_on=today - timedelta(days=60),
        common_salary=Decimal("560000"),
    )
    trainee_user = make_user(
        "ingrid@example.org", program=program, kind=RoleKind.TRAINEE, first_name="Ingrid"
    )
    trainee = cohort_services.trainee_create(
        cohort=cohort,
        data={
            "first_name": "Ingrid",
            "last_name": "Haugen",
            "email": "ingrid@example.org",
            "discipline": "economics",
            "higher_education_years": Decimal(5),
        },
    )
    trainee.user = trainee_user
    trainee.save(update_fields=["user"])
    cohort_services.placement_create(
        trainee=trainee,
        period=cohort.periods.get(number=1),
        organisation=programme.organisation,
    )
    facilitator = make_user(
        "kursholder@example.org", program=program, kind=RoleKind.FACILITATOR, first_name="Frida"
    )
    now = timezone.now()
    session = services.session_create(
        program=program,
        module=services.modules_ensure_defaults(program=program)[0],
        title="Krevende samtaler",
        cohorts=[cohort],
        days=[(now - timedelta(minutes=5), now + timedelta(hours=6))],
        place="Hamar",
        facilitator=facilitator,
    )
    assignment = services.assignment_create(
        session=session,
        title="Samtaler på jobben",
        prompt="Beskriv en krevende samtale.",
        due_at=now + timedelta(days=7),
    )
    return {"session": session, "assignment": assignment}


def test_trainee_checks_in_and_writes_a_reflection(
    page: Page, browser: Browser, live_server, programme, competence_world, log_in, a11y
) -> None:
    slug = programme.program.slug
    session = competence_world["session"]
    assignment = competence_world["assignment"]

    # The facilitator opens the check-in screen in their own browser context.
    facilitator_context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo"
    )
    try:
        screen = facilitator_context.new_page()
        log_in(screen, "kursholder@example.org", scan=False)
        screen.goto(f"/{slug}/competence/sessions/{session.pk}/code/")
        code_text = screen.locator(".checkin-code").inner_text()
        expect(screen.locator(".checkin-qr svg")).to_be_visible()
        a11y.scan(screen)
        code = re.search(r"[A-Z2-9]{6}", code_text).group(0)
    finally:
        facilitator_context.close()

    log_in(page, "ingrid@example.org")
    page.goto(f"/{slug}/")
    page.locator(f'nav.program-nav a[href="/{slug}/competence/"]').click()
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y.scan(page)

    # A wrong code first: a clear message on the field, nothing recorded.
    page.locator('input[name="code"]').fill("AAAAAA")
    page.locator('main form[action$="/check-in/"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/check-in/$"))
    expect(page.locator("#id_code_error")).to_be_visible()
    a11y.scan(page)

    page.locator('input[name="code"]').fill(code.lower())
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/$"))
    expect(page.locator("ul.messages")).to_contain_text("Krevende samtaler")
    expect(page.locator("main table")).to_contain_text("Til stede")
    a11y.scan(page)

    from traineenett.competence.models import Attendance

    assert Attendance.objects.get(session=session).status == "present"

    page.locator(
        f'main a[href="/{slug}/competence/assignments/{assignment.pk}/write/"]'
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samtaler på jobben")
    expect(page.locator("main dl")).to_contain_text(programme.organisation.name)
    a11y.scan(page)
    page.locator('textarea[name="text"]').fill("Jeg øvde på aktiv lytting med en kunde.")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/reflections/\d+/$"))
    expect(page.locator("main")).to_contain_text("Jeg øvde på aktiv lytting med en kunde.")
    expect(page.locator("main dl")).to_contain_text(programme.organisation.name)
    a11y.scan(page)

    page.goto(f"/{slug}/competence/sessions/")
    a11y.scan(page)
    page.goto(f"/{slug}/competence/sessions/{session.pk}/")
    a11y.scan(page)
    page.goto(f"/{slug}/competence/")
    page.locator('main a.button[href*="/competence/trainees/"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ingrid Haugen")
    a11y.scan(page)

    a11y.assert_clean()


def test_coordinator_plans_a_session_and_builds_groups(
    page: Page, programme, make_user, log_in, a11y
) -> None:
    from django.utils import timezone

    from traineenett.cohorts import services as cohort_services

    program = programme.program
    slug = program.slug
    cohort = cohort_services.cohort_create(
        program=program,
        label="Kull 2026",
        starts_on=timezone.localdate() - timedelta(days=60),
        common_salary=Decimal("560000"),
    )
    for index, discipline in enumerate(["law", "biology", "economics", "law", "biology"]):
        cohort_services.trainee_create(
            cohort=cohort,
            data={
                "first_name": f"Trainee{index}",
                "last_name": "Testesen",
                "email": f"t{index}@example.org",
                "discipline": discipline,
                "higher_education_years": Decimal(5),
            },
        )
    make_user("koordinator@example.org", program=program, kind=RoleKind.COORDINATOR)
    log_in(page, "koordinator@example.org", scan=False)

    page.goto(f"/{slug}/competence/sessions/new/")
    a11y.scan(page)
    page.locator('input[name="title"]').fill("Endringsledelse")
    page.locator('select[name="module"]').select_option(index=3)
    page.locator(f'input[name="cohorts"][value="{cohort.pk}"]').check()
    page.locator('input[name="date_1"]').fill("2027-03-09")
    page.locator('input[name="start_1"]').fill("16:00")
    page.locator('input[name="end_1"]').fill("09:00")
    submit(page)
    # Ends before it starts: the error names day 1's end, and what was typed is kept.
    expect(page.locator("#id_end_1_error")).to_be_visible()
    expect(page.locator('input[name="title"]')).to_have_value("Endringsledelse")
    a11y.scan(page)
    page.locator('input[name="start_1"]').fill("09:00")
    page.locator('input[name="end_1"]').fill("16:00")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/sessions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Endringsledelse")
    a11y.scan(page)

    page.goto(f"/{slug}/competence/groups/")
    a11y.scan(page)
    page.locator('input[name="name"]').fill("Task force")
    page.locator(f'input[name="cohorts"][value="{cohort.pk}"]').check()
    page.locator('input[name="group_size"]').fill("9")
    submit(page)
    expect(page.locator("#id_group_size_error")).to_be_visible()
    page.locator('input[name="group_size"]').fill("2")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/groups/rounds/\d+/$"))
    expect(page.locator("main section")).to_have_count(3)
    a11y.scan(page)

    page.goto(f"/{slug}/competence/overview/")
    a11y.scan(page)

    # The planned session is cancelled: delete it after the confirmation page.
    page.goto(f"/{slug}/competence/sessions/")
    page.get_by_role("link", name="Endringsledelse").click()
    page.get_by_role("link", name="Slett").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Endringsledelse")
    a11y.scan(page)
    page.get_by_role("button", name="Slett samling").click()
    expect(page).to_have_url(re.compile(rf"/{slug}/competence/sessions/$"))
    expect(page.get_by_role("link", name="Endringsledelse")).to_have_count(0)
    a11y.assert_clean()
