"""An alumnus answers a survey wave through the personal link, in real Chromium.

Every survey page visited is scanned with axe-core, and here no violation of any impact
is accepted (the shared ``a11y`` fixture tolerates minor and moderate ones).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from traineenett.core.models import RoleKind
from traineenett.core.tokens import hash_token

pytestmark = pytest.mark.browser


class StrictAxe:
    def __init__(self) -> None:
        self.axe = Axe()
        self.problems: list[str] = []
        self.scanned: list[str] = []

    def scan(self, page: Page) -> None:
        page.wait_for_load_state("load")
        self.scanned.append(page.url)
        for violation in self.axe.run(page).response["violations"]:
            targets = "; ".join(
                ", ".join(str(part) for part in node["target"]) for node in violation["nodes"]
            )
            self.problems.append(
                f"{page.url}: {violation['id']} ({violation.get('impact')}) {targets}"
            )

    def assert_clean(self) -> None:
        assert self.scanned
        assert not self.problems, "\n".join(self.problems)


def _open_wave_with_alumni(program, count: int):
    from tests.factories_surveys import AlumnusFactory, finished_cohort
    from traineenett.surveys import services
    from traineenett.surveys.models import Invitation, Wave

    cohort = finished_cohort(
        program, ended_on=timezone.localdate() - timedelta(days=10), label="Kull 2024"
    )
    services.waves_sync(program)
    wave = Wave.objects.get(cohort=cohort, horizon_years=0)
    AlumnusFactory.create_batch(count, cohort=cohort)
    services.wave_invite(wave=wave, deliver=False)
    tokens = [
        services.invitation_token(invitation)
        for invitation in Invitation.objects.filter(wave=wave).order_by("pk")
    ]
    return wave, tokens


def test_an_alumnus_answers_a_wave_through_the_link(page: Page, programme) -> None:
    from traineenett.followup.models import EmploymentObservation, ResidenceObservation
    from traineenett.surveys.models import Answer

    program = programme.program
    _wave, (token,) = _open_wave_with_alumni(program, 1)
    axe = StrictAxe()

    page.goto(f"/survey/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trainee Testland")
    # No log-in: the page offers the log-in link, not a log-out form.
    expect(page.locator('header form[action="/accounts/logout/"]')).to_have_count(0)
    axe.scan(page)

    # A municipality that does not exist is refused, and what was typed is kept.
    municipality = page.locator('input[name="municipality"]')
    expect(municipality).to_have_attribute("list", "municipality-options")
    municipality.fill("Atlantis")
    page.locator('input[name="employer_name"]').fill("Mjøskraft AS")
    page.locator('main form button[type="submit"]').first.click()
    expect(page.locator("#id_municipality_error")).to_contain_text("Atlantis")
    expect(municipality).to_have_value("Atlantis")
    expect(page.locator('input[name="employer_name"]')).to_have_value("Mjøskraft AS")
    axe.scan(page)
    assert not Answer.objects.exists()

    # Pick from the list by typing the start of the name (the datalist offers the match).
    municipality.fill("")
    municipality.press_sequentially("Hama")
    expect(page.locator('#municipality-options option[value="3403 Hamar"]')).to_have_count(1)
    municipality.fill("3403 Hamar")
    page.locator('input[name="organisation_number"]').fill(
        programme.organisation.organisation_number
    )
    page.locator('input[name="relevant_to_education"][value="yes"]').check()
    page.locator('input[name="programme_mattered"][value="5"]').check()
    page.locator('input[name="email"]').fill("ny.adresse@example.org")
    page.locator('main form button[type="submit"]').first.click()

    expect(page).to_have_url(re.compile(rf"/survey/{token}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk for svaret ditt")
    axe.scan(page)

    answer = Answer.objects.get()
    assert answer.municipality_number == "3403"
    assert answer.programme_mattered == 5
    residence = ResidenceObservation.objects.get()
    assert (residence.municipality_number, residence.source) == ("3403", "survey")
    employment = EmploymentObservation.objects.get()
    assert employment.employer_is_member is True
    assert employment.relevant_to_education is True
    assert answer.invitation.alumnus.email == "ny.adresse@example.org"

    # A wrong link is a plain page.
    response = page.goto("/survey/not-a-real-link/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Denne lenken til undersøkelsen er ikke gyldig"
    )
    axe.scan(page)
    axe.assert_clean()


def test_an_alumnus_opts_out_and_the_coordinator_sees_the_rate(
    page: Page, programme, make_user, log_in, a11y
) -> None:
    program = programme.program
    wave, (first, second) = _open_wave_with_alumni(program, 2)
    axe = StrictAxe()

    page.goto(f"/survey/{first}/opt-out/")
    axe.scan(page)
    page.locator('main form button[type="submit"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har reservert deg")
    axe.scan(page)

    from traineenett.surveys import services
    from traineenett.surveys.models import Invitation

    services.survey_answer_submit(
        invitation=Invitation.objects.get(token_hash=hash_token(second)),
        municipality="3405",
    )

    make_user("koordinator@example.org", program=program, kind=RoleKind.COORDINATOR)
    log_in(page, "koordinator@example.org", scan=False)
    page.goto(f"/{program.slug}/")
    page.locator(f'nav.program-nav a[href="/{program.slug}/surveys/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alumniundersøkelser")
    expect(page.locator("main")).to_contain_text("50 %")  # 1 of 2 invited answered
    axe.scan(page)
    page.locator(f'main a[href="/{program.slug}/surveys/waves/{wave.pk}/"]').click()
    expect(page.locator(".card").nth(3)).to_contain_text("1")  # opted out
    axe.scan(page)
    page.locator(f'main a[href="/{program.slug}/surveys/waves/{wave.pk}/answers/"]').click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("3405 Lillehammer")
    axe.scan(page)
    page.goto(f"/{program.slug}/surveys/settings/")
    axe.scan(page)
    axe.assert_clean()
