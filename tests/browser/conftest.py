"""Fixtures for the browser journeys: real Chromium through Playwright's sync API.

The browser is Debian's system Chromium; nothing is ever downloaded (the network is
closed), so a missing browser is a failure with a clear message, not a skip.

Scopes: one Chromium process for the whole ``tests/browser`` package (launching it is
the slow part), a fresh browser context (cookies, storage) and page for every test.
The package scope also means Playwright's event loop is stopped before the rest of the
suite runs, so it cannot make Django think later, non-browser tests run in async code.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

# Playwright's sync API keeps an asyncio event loop running in the main thread; Django
# would otherwise refuse ORM calls from the test (and the test database flush) there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-journey-pw-1"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Generous for a loaded CI machine; auto-waiting returns as soon as the condition holds.
expect.set_options(timeout=15_000)


def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        pytest.fail(
            f"Chromium not found (looked for `chromium` on PATH and {path}). The browser tests "
            "use the system Chromium and never download one: install it with "
            "`apt-get install chromium`.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as error:  # a broken install: say so instead of a long trace
            pytest.fail(f"Could not launch Chromium at {executable}: {error}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    # nb-NO so the browser asks for the default language like a Norwegian user would.
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo"
    )
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    try:
        yield page
    finally:
        page.close()


# ------------------------------------------------------------------------ accessibility


@dataclass
class A11yAudit:
    """Runs axe-core on pages and keeps every serious or critical violation it finds."""

    axe: Axe = field(default_factory=Axe)
    scanned: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def scan(self, page: Page) -> None:
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        self.scanned.append(page.url)
        for violation in results.response["violations"]:
            if violation.get("impact") not in BLOCKING_IMPACTS:
                # Not a failure, but shown with the captured output (-rA or on failure).
                print(f"axe {violation.get('impact')}: {page.url}: {violation['id']}")
                continue
            targets = "; ".join(
                ", ".join(str(part) for part in node["target"]) for node in violation["nodes"]
            )
            self.problems.append(
                f"{page.url}: {violation['id']} ({violation['impact']}) - {violation['help']}"
                f" - {len(violation['nodes'])} node(s): {targets}"
            )

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"axe-core found {len(self.problems)} serious/critical violation(s) on "
            f"{len(self.scanned)} page(s) scanned:\n" + "\n".join(self.problems)
        )


@pytest.fixture
def a11y() -> A11yAudit:
    return A11yAudit()


# ------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Programme:
    program: object
    organisation: object
    other_organisation: object


def _organisation_number(seed: int) -> str:
    from traineenett.core.demo import organisation_number

    return organisation_number(seed)


@pytest.fixture
def programme(transactional_db) -> Programme:
    """A programme in Innlandet with two member organisations, made through the services."""
    from traineenett.core.models import Municipality
    from traineenett.core.services import program_create
    from traineenett.members.models import OrganisationKind, Sector
    from traineenett.members.services import membership_create

    program = program_create(
        slug="trainee-testland",
        name="Trainee Testland",
        catchment_codes="34",
        region_name="Innlandet",
    )
    organisations = []
    for seed, (name, number) in enumerate(
        [("Mjøskraft AS", "3403"), ("Vinstra Tekniske AS", "3436")]
    ):
        membership = membership_create(
            program=program,
            organisation_data={
                "name": name,
                "organisation_number": _organisation_number(500 + seed),
                "kind": OrganisationKind.COMPANY,
                "sector": Sector.PRIVATE,
                "industry": "Energi",
                "municipality": Municipality.objects.get(pk=number),
                "employees": 250,
            },
            starts_on=date(2010, 1, 1),
        )
        organisations.append(membership.organisation)
    return Programme(program, organisations[0], organisations[1])


@pytest.fixture
def make_user(transactional_db) -> Callable[..., object]:
    from traineenett.core.models import User
    from traineenett.core.services import role_grant

    def make(email: str, *, program=None, kind: str | None = None, organisation=None, **names: str):
        user = User.objects.create_user(email, PASSWORD, **names)
        if program is not None and kind is not None:
            role_grant(program=program, user=user, kind=kind, organisation=organisation)
        return user

    return make


@pytest.fixture
def log_in(a11y: A11yAudit) -> Callable[[Page, str], None]:
    """Log in through the real form (and scan the log-in page on the way)."""

    def log_in(page: Page, email: str, *, scan: bool = True) -> None:
        page.goto("/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        if scan:
            a11y.scan(page)
        page.locator('input[name="username"]').fill(email)
        page.locator('input[name="password"]').fill(PASSWORD)
        page.locator('main form button[type="submit"]').click()
        # Logged in: the header offers "log out" instead of the log-in form.
        expect(page.locator('header form[action="/accounts/logout/"]')).to_be_visible()

    return log_in
