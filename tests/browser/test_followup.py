"""Follow-up journeys in Chromium: import history, record a residence, read the reports;
axe-core scans every page (charts included)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from traineenett.core.models import RoleKind

pytestmark = pytest.mark.browser

HEADER = "program,person,cohort,program_end,offered_job,observed_on,municipality\n"


def history(slug: str) -> str:
    rows = []
    for number in range(12):
        stays = number < 7
        for years, day in enumerate(("2018-08-14", "2019-08-14", "2020-08-14", "2021-08-14")):
            home = ("0403" if day < "2020" else "3403") if stays or years == 0 else "0301"
            offered = "true" if number < 10 else "false"
            rows.append(f"{slug},P{number:02d},Kull 2016,2018-08-14,{offered},{day},{home}")
    return HEADER + "\n".join(rows) + "\n"


def submit(form) -> None:  # type: ignore[no-untyped-def]
    form.locator('button[type="submit"]').click()


def test_coordinator_imports_history_records_a_residence_and_reads_the_report(
    page: Page, programme, make_user, log_in, a11y, tmp_path: Path
) -> None:
    slug = programme.program.slug
    make_user("koordinator@example.org", program=programme.program, kind=RoleKind.COORDINATOR)
    log_in(page, "koordinator@example.org")

    page.goto(f"/{slug}/follow-up/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y.scan(page)

    page.goto(f"/{slug}/follow-up/import/")
    a11y.scan(page)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{slug},P1,Kull 2016,2018-08-14,kanskje,2018-08-14,9999\n")
    page.locator('input[name="file"]').set_input_files(str(bad))
    submit(page.locator("main form"))
    errors = page.locator("section.import-errors li")
    expect(errors).to_have_count(2)
    expect(errors.first).to_contain_text("2")
    a11y.scan(page)

    good = tmp_path / "history.csv"
    good.write_text(history(slug))
    page.locator('input[name="file"]').set_input_files(str(good))
    submit(page.locator("main form"))
    expect(page).to_have_url(re.compile(rf"/{slug}/follow-up/alumni/$"))
    expect(page.locator("main tbody tr")).to_have_count(12)
    a11y.scan(page)

    page.locator("main tbody a", has_text="P00").click()
    expect(page).to_have_url(re.compile(rf"/{slug}/follow-up/alumni/\d+/$"))
    a11y.scan(page)
    residence = page.locator("main form", has=page.locator('input[name="residence-observed_on"]'))
    residence.locator('input[name="residence-observed_on"]').fill("2022-08-14")
    residence.locator('input[name="residence-municipality_number"]').fill("0403")  # gone in 2020
    submit(residence)
    expect(page.locator(".errorlist")).to_contain_text("0403")
    a11y.scan(page)
    residence = page.locator("main form", has=page.locator('input[name="residence-observed_on"]'))
    residence.locator('input[name="residence-municipality_number"]').fill("3405")
    submit(residence)
    expect(page.locator("main table").first).to_contain_text("3405")

    page.goto(f"/{slug}/follow-up/?as_of=2025-01-01")
    charts = page.locator('main svg[role="img"]')
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    table = page.locator("main table").first
    expect(table.locator("tbody tr").first).to_contain_text("Kull 2016")
    expect(table).to_contain_text("(7 av 12)")
    a11y.scan(page)

    page.locator("main a", has_text="Kull 2016").last.click()
    expect(page).to_have_url(re.compile(rf"/{slug}/follow-up/cohorts/\d+/"))
    a11y.scan(page)
    a11y.assert_clean()


def test_analyst_reads_the_benchmark(page: Page, programme, make_user, log_in, a11y) -> None:
    slug = programme.program.slug
    make_user("analytiker@example.org", program=programme.program, kind=RoleKind.ANALYST)
    log_in(page, "analytiker@example.org")
    page.goto(f"/{slug}/")
    page.locator(f'nav.program-nav a[href="/{slug}/follow-up/benchmark/"]').click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator('main svg[role="img"]')).to_have_count(1)
    a11y.scan(page)
    a11y.assert_clean()
