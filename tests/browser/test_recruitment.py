"""The recruitment journey in Chromium: apply with uploads → screen and move → host rates
and asks to interview → interviews scheduled → offer accepted through the personal link →
the trainee is in the cohort. The public pages must have no axe-core violations at all."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.factories_recruitment import pdf_bytes
from traineenett.core.models import RoleKind

pytestmark = pytest.mark.browser


def submit(page: Page, form: str = "main form") -> None:
    page.locator(form).locator('button[type="submit"]').first.click()


def assert_no_axe_violations(a11y, page: Page) -> None:
    """Public pages: no violation of any impact (WCAG 2.1 AA is law for them in Norway)."""
    a11y.scan(page)
    results = a11y.axe.run(page)
    violations = [
        f"{v['id']} ({v.get('impact')}): {v['help']} – "
        + "; ".join(", ".join(map(str, node["target"])) for node in v["nodes"])
        for v in results.response["violations"]
    ]
    assert not violations, f"{page.url}\n" + "\n".join(violations)


def test_a_whole_recruitment_round_from_application_to_trainee(
    page: Page,
    browser: Browser,
    live_server,
    programme,
    make_user,
    log_in,
    a11y,
    settings,
    tmp_path,
) -> None:
    from traineenett.cohorts.services import cohort_create

    settings.MEDIA_ROOT = tmp_path / "media"
    program = programme.program
    slug = program.slug
    cohort = cohort_create(
        program=program, label="Kull 2027", starts_on=date(2027, 8, 16), common_salary=575000
    )
    make_user("koordinator@example.org", program=program, kind=RoleKind.COORDINATOR)
    make_user(
        "vert@example.org",
        program=program,
        kind=RoleKind.HOST,
        organisation=programme.organisation,
    )
    recruitment = f'a[href="/{slug}/recruitment/"]'

    # ------------------------------------- the coordinator opens the round (links only)
    log_in(page, "koordinator@example.org", scan=False)
    page.goto(f"/{slug}/")
    page.locator(recruitment).first.click()
    a11y.scan(page)
    page.locator(f'main a[href="/{slug}/recruitment/rounds/new/"]').click()
    page.locator('select[name="cohort"]').select_option(str(cohort.pk))
    page.locator('input[name="needs_deadline"]').fill(
        (timezone.localdate() + timedelta(days=7)).isoformat()
    )
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/recruitment/rounds/\d+/$"))
    from traineenett.recruitment.models import Round

    round_ = Round.objects.get(cohort=cohort)

    # ------------------------------------------------ the host submits its needs
    host_context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    host_page = host_context.new_page()
    log_in(host_page, "vert@example.org", scan=False)
    host_page.goto(f"/{slug}/")
    host_page.locator(f'a[href="/{slug}/recruitment/host/"]').first.click()
    a11y.scan(host_page)
    host_page.locator(f'main a[href="/{slug}/recruitment/rounds/{round_.pk}/needs/"]').click()
    host_page.locator('input[name="disciplines"]').fill("engineering, economics")
    host_page.locator('input[name="places"]').fill("2")
    host_page.locator('input[name="period_numbers"]').first.check()
    host_page.locator('input[name="place_of_work"]').fill("Hamar")
    a11y.scan(host_page)
    submit(host_page)
    expect(host_page).to_have_url(re.compile(rf"/{slug}/recruitment/host/$"))

    # ------------------------------- the coordinator sees the needs, designs a position
    page.reload()
    expect(page.locator("main table").first).to_contain_text("engineering")
    a11y.scan(page)
    page.locator(f'main a[href="/{slug}/recruitment/rounds/{round_.pk}/positions/new/"]').click()
    a11y.scan(page)
    page.locator('input[name="title"]').fill("Trainee i energi og klima")
    page.locator('textarea[name="description"]').fill("To år, tre arbeidsgivere.")
    page.locator('input[name="deadline"]').fill(
        (timezone.localdate() + timedelta(days=30)).isoformat()
    )
    page.locator('input[name="disciplines_text"]').fill("engineering, economics")
    page.locator('input[name="published"]').check()
    page.locator('select[name="host_1"]').select_option(str(programme.organisation.pk))
    page.locator('select[name="host_2"]').select_option(str(programme.other_organisation.pk))
    page.locator('select[name="host_3"]').select_option("later")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/recruitment/rounds/{round_.pk}/$"))
    expect(page.locator("main")).to_contain_text("Trainee i energi og klima")
    a11y.scan(page)
    page.locator('header form[action="/accounts/logout/"] button').click()

    # ------------------------------------------------------------- the applicant applies
    page.goto(f"/{slug}/jobs/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(a11y, page)
    page.get_by_role("link", name="Trainee i energi og klima").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainee i energi og klima")
    assert_no_axe_violations(a11y, page)
    page.locator(f'main a[href^="/{slug}/jobs/apply/"]').click()
    expect(page).to_have_url(re.compile(rf"/{slug}/jobs/apply/"))
    assert_no_axe_violations(a11y, page)
    page.locator('input[name="first_name"]').fill("Sigrid")
    page.locator('input[name="last_name"]').fill("Søkersen")
    page.locator('input[name="email"]').fill("sigrid@example.org")
    page.locator('input[name="phone"]').fill("912 34 567")
    # A bad phone first: the form explains it and keeps what was typed.
    page.locator('input[name="phone"]').fill("12")
    page.locator('select[name="home_municipality"]').select_option("0301")
    page.locator('input[name="education-0-degree"]').fill("Master i teknologi")
    page.locator('input[name="education-0-institution"]').fill("NTNU")
    page.locator('input[name="education-0-field"]').fill("engineering")
    page.locator('input[name="education-0-years"]').fill("5")
    page.locator('input[name="education-0-graduated_on"]').fill("2027-06-15")
    page.locator('select[name="source"]').select_option("fair")
    page.locator('textarea[name="cover_letter"]').fill("Jeg vil bo i Innlandet.")
    page.locator('input[name="consent"]').check()
    submit(page)
    phone = page.locator('input[name="phone"]')
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.locator('input[name="last_name"]')).to_have_value("Søkersen")
    assert_no_axe_violations(a11y, page)
    phone.fill("912 34 567")
    page.locator('input[name="consent"]').check()
    pdf = {"mimeType": "application/pdf", "buffer": pdf_bytes()}
    page.locator('input[name="cv"]').set_input_files({"name": "cv.pdf", **pdf})
    page.locator('input[name="diploma"]').set_input_files({"name": "vitnemal.pdf", **pdf})
    submit(page)
    expect(page).to_have_url(re.compile(r"/apply/[^/]+/$"))
    applicant_url = page.url
    expect(page.locator("main")).to_contain_text("cv.pdf")
    assert_no_axe_violations(a11y, page)

    from traineenett.recruitment.models import Application, Stage

    application = Application.objects.get(email="sigrid@example.org")
    assert application.documents.count() == 2

    # ------------------------------------------------- the coordinator screens and moves
    log_in(page, "koordinator@example.org", scan=False)
    page.goto(f"/{slug}/")
    page.locator(f'a[href="/{slug}/recruitment/applications/"]').first.click()
    a11y.scan(page)
    page.get_by_role("link", name="Søkersen, Sigrid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sigrid Søkersen")
    a11y.scan(page)
    for key in ("screened", "recruitment_days"):
        stage = Stage.objects.get(program=program, key=key)
        move = page.locator("main form").filter(has=page.locator('input[value="move"]'))
        move.locator('select[name="stage"]').select_option(str(stage.pk))
        move.locator('button[type="submit"]').click()
        expect(page.locator("ul.messages")).to_contain_text(stage.name)
    application.refresh_from_db()
    assert application.stage.key == "recruitment_days"

    # ------------------------------------------------------ the host rates and asks
    try:
        host_page.goto(f"/{slug}/")
        host_page.locator(f'a[href="/{slug}/recruitment/host/"]').first.click()
        host_page.get_by_role("link", name="Søkersen, Sigrid").click()
        a11y.scan(host_page)
        scorecard = host_page.locator("main form").filter(
            has=host_page.locator('input[value="scorecard"]')
        )
        for select in scorecard.locator("select").all():
            select.select_option("4")
        scorecard.locator('button[type="submit"]').click()
        expect(host_page.locator("ul.messages")).to_be_visible()
        ask = host_page.locator("main form").filter(
            has=host_page.locator('input[value="interview"]')
        )
        ask.locator('button[type="submit"]').click()
        expect(host_page.locator("main")).to_contain_text(programme.organisation.name)
        a11y.scan(host_page)
    except Exception:
        host_context.close()
        raise
    assert application.scores.filter(value=4).exists()
    assert application.interview_requests.filter(organisation=programme.organisation).exists()

    # ------------------------- the coordinator sets a day; the host marks itself away
    page.locator(f'a[href="/{slug}/recruitment/"]').first.click()
    page.locator(f'main a[href="/{slug}/recruitment/rounds/{round_.pk}/"]').click()
    page.locator(f'main a[href="/{slug}/recruitment/rounds/{round_.pk}/interviews/"]').click()
    a11y.scan(page)
    day = page.locator("main form").filter(has=page.locator('input[value="day"]'))
    day.locator('input[name="date"]').fill("2027-03-10")
    day.locator('input[name="starts_at"]').fill("09:00")
    day.locator('input[name="ends_at"]').fill("12:00")
    day.locator('button[type="submit"]').click()
    expect(page.locator("ul.messages")).to_be_visible()
    try:
        host_page.goto(f"/{slug}/")
        host_page.locator(f'a[href="/{slug}/recruitment/host/"]').first.click()
        host_page.locator(
            f'main a[href="/{slug}/recruitment/rounds/{round_.pk}/availability/"]'
        ).click()
        a11y.scan(host_page)
        host_page.locator('input[name="slots"][value="20270310-0900"]').check()
        submit(host_page)
        expect(host_page.locator("ul.messages")).to_be_visible()
        expect(host_page.locator('input[name="slots"][value="20270310-0900"]')).to_be_checked()
    finally:
        host_context.close()

    # ---------------------------------------------------- the interviews are scheduled
    page.locator("main form").filter(has=page.locator('input[value="run"]')).locator(
        "button"
    ).click()
    expect(page.locator("main table").first).to_contain_text("Sigrid Søkersen")
    a11y.scan(page)
    from traineenett.recruitment.models import Interview

    # The host's unavailable first slot was respected.
    assert Interview.objects.get(request__application=application).slot != "20270310-0900"

    # ----------------------------------------------------------- the offer is accepted
    page.get_by_role("link", name="Sigrid Søkersen").first.click()
    page.locator(f'main a[href="/{slug}/recruitment/applications/{application.pk}/offer/"]').click()
    a11y.scan(page)
    submit(page)
    expect(page).to_have_url(re.compile(rf"/recruitment/applications/{application.pk}/$"))
    page.goto(applicant_url)
    assert_no_axe_violations(a11y, page)
    page.locator('button[name="answer"][value="accept"]').click()
    expect(page.locator("#offer-heading")).to_be_visible()
    expect(page.locator('button[name="answer"]')).to_have_count(0)

    # --------------------------------------------------- the trainee is in the cohort
    page.goto(f"/{slug}/cohorts/{cohort.pk}/")
    row = page.locator("main table tbody tr").filter(has_text="Sigrid Søkersen")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(programme.organisation.name)
    a11y.scan(page)
    a11y.assert_clean()
