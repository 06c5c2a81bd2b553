"""Demo finance: fees, invoices, budgets and the board of both demo programmes.

Trainee Innlandet (a member employs the trainee) is financed by its members alone: the
self-financing ratio is 100 %. Trainee Helgeland (the programme employs the trainees)
bills hosts per trainee-day, in the manner of Trainee Salten, and has a county grant.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from traineenett.cohorts.models import Cohort
from traineenett.core.demo import Login, organisation_number
from traineenett.core.models import Municipality, Program, Role, RoleKind
from traineenett.finance import services
from traineenett.finance.models import (
    BoardRole,
    BoardSeatKind,
    CostCategory,
    FeeCondition,
    FeeKind,
    Invoice,
    InvoiceStatus,
    RevenueSource,
    VatRate,
)
from traineenett.members.models import Membership, OrganisationKind, Sector

DEMO_YEAR = 2026
BANK_ACCOUNTS = {"trainee-innlandet": "86011117947", "trainee-helgeland": "12345678903"}


def _settings(program: Program, seed: int) -> None:
    services.finance_settings_update(
        program=program,
        data={
            "seller_name": program.name,
            "seller_organisation_number": organisation_number(seed),
            "bank_account": BANK_ACCOUNTS[program.slug],
        },
    )
    for membership in Membership.objects.filter(program=program).select_related("organisation"):
        domain = slugify(membership.organisation.name.replace("ø", "o").replace("æ", "ae"))
        services.billing_contact_save(
            program=program,
            organisation=membership.organisation,
            invoice_email=f"faktura@{domain}.example.org",
        )


def _budget(program: Program, rng: random.Random, grant: int) -> None:
    for year in range(DEMO_YEAR - 3, DEMO_YEAR + 1):
        growth = Decimal(1 + (year - DEMO_YEAR + 3) * 3) / 100 + 1
        costs = {
            CostCategory.COORDINATION: 1_600_000,
            CostCategory.COMPETENCE: 850_000,
            CostCategory.MARKETING: 220_000,
            CostCategory.EVENTS: 180_000,
            CostCategory.OTHER_COST: 90_000,
        }
        if grant:
            costs = {key: value * 6 // 10 for key, value in costs.items()}
        rows: dict[str, tuple[Decimal, Decimal]] = {}
        total_cost = Decimal(0)
        for category, amount in costs.items():
            budgeted = (Decimal(amount) * growth).quantize(Decimal("1000"))
            actual = (budgeted * Decimal(rng.randint(94, 104)) / 100).quantize(Decimal("1"))
            rows[category] = (budgeted, actual)
            total_cost += actual
        trainee_fees = (total_cost * Decimal("0.22")).quantize(Decimal("1"))
        grant_amount = Decimal(grant)
        member_fees = total_cost - trainee_fees - grant_amount + Decimal(rng.randint(0, 40_000))
        rows[RevenueSource.MEMBER_FEES] = (member_fees.quantize(Decimal("1000")), member_fees)
        rows[RevenueSource.TRAINEE_FEES] = (trainee_fees.quantize(Decimal("1000")), trainee_fees)
        rows[RevenueSource.PUBLIC_GRANTS] = (grant_amount, grant_amount)
        rows[RevenueSource.OTHER_REVENUE] = (Decimal(0), Decimal(0))
        if year == DEMO_YEAR:  # the running year: budget only, actuals so far
            rows = {
                key: (budgeted, (actual * 10 / 12).quantize(Decimal("1")))
                for key, (budgeted, actual) in rows.items()
            }
        services.budget_save(program=program, year=year, rows=rows)


def _invoices(program: Program, *, issue: int) -> None:
    """2026 invoices: the first ``issue`` members' and the demo hosts' are issued (every
    other one paid), so a host persona sees its own invoices; one issued invoice is
    credited with a credit note and reissued, as a correction is done."""
    run = services.invoices_generate_for_members(
        program=program, period_start=date(DEMO_YEAR, 1, 1), period_end=date(DEMO_YEAR, 12, 31)
    )
    host_organisations = set(
        Role.objects.filter(program=program, kind=RoleKind.HOST).values_list(
            "organisation_id", flat=True
        )
    )
    to_issue = [
        invoice
        for index, invoice in enumerate(run.created)
        if index < issue or invoice.organisation_id in host_organisations
    ]
    for index, invoice in enumerate(to_issue):
        services.invoice_issue(invoice=invoice, send=False, today=date(DEMO_YEAR, 2, 1))
        if index % 2 == 0:
            invoice.refresh_from_db()
            services.invoice_mark_paid(invoice=invoice, paid_on=date(DEMO_YEAR, 2, 12))
    corrected = (
        Invoice.objects.filter(pk__in=[invoice.pk for invoice in to_issue])
        .filter(status=InvoiceStatus.SENT)
        .order_by("-number")
        .first()
    )
    if corrected is not None:
        _note, draft = services.invoice_credit(
            invoice=corrected,
            reason="Feil fakturaadresse",
            send=False,
            today=date(DEMO_YEAR, 2, 20),
        )
        if draft is not None:
            services.invoice_issue(invoice=draft, send=False, today=date(DEMO_YEAR, 2, 20))


def _board(program: Program, rng: random.Random, first_names: list[str]) -> None:
    members = list(
        Membership.objects.filter(program=program, ends_on__isnull=True)
        .exclude(organisation__kind=OrganisationKind.CLUSTER)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for index, membership in enumerate(members[:5]):
        services.board_seat_create(
            program=program,
            data={
                "kind": BoardSeatKind.MEMBER,
                "role": BoardRole.CHAIR if index == 0 else BoardRole.MEMBER,
                "person_name": f"{rng.choice(first_names)} {membership.organisation.name.split()[0]}",
                "organisation": membership.organisation,
                "starts_on": date(DEMO_YEAR - 1, 6, 1),
            },
        )
    for cohort in Cohort.objects.filter(program=program).order_by("-starts_on")[:2]:
        trainee = cohort.trainees.order_by("last_name").first()
        if trainee is None:
            continue
        services.board_seat_create(
            program=program,
            data={
                "kind": BoardSeatKind.TRAINEE,
                "role": BoardRole.MEMBER,
                "person_name": trainee.full_name,
                "email": trainee.email,
                "cohort": cohort,
                "starts_on": cohort.starts_on,
            },
        )
    services.meeting_create(
        program=program,
        data={
            "held_on": date(DEMO_YEAR, 3, 12),
            "title": "Styremøte 1/2026",
            "decisions": "Årsregnskapet for 2025 ble godkjent.\n"
            "Kontingentsatsene for 2027 videreføres.\n"
            "Styret ber daglig leder legge fram rekrutteringsplan for kull 2027.",
        },
    )


def _fees_innlandet(program: Program) -> None:
    schedule = services.fee_schedule_create(
        program=program,
        name=f"Kontingent {DEMO_YEAR}",
        starts_on=date(DEMO_YEAR, 1, 1),
        ends_on=date(DEMO_YEAR, 12, 31),
    )
    for tier, amount in (("Stor", 150_000), ("Standard", 75_000), ("Klynge", 25_000)):
        services.fee_rule_add(
            schedule=schedule,
            data={
                "kind": FeeKind.ANNUAL,
                "description": f"Medlemskontingent {DEMO_YEAR} ({tier.lower()})",
                "tier": tier,
                "condition": FeeCondition.ANY,
                "amount": Decimal(amount),
                "vat_rate": VatRate.EXEMPT,
            },
        )
    services.fee_rule_add(
        schedule=schedule,
        data={
            "kind": FeeKind.PER_PLACEMENT,
            "description": "Kompetanseprogram per trainee",
            "amount": Decimal(18_000),
            "vat_rate": VatRate.STANDARD,
        },
    )


def _fees_helgeland(program: Program) -> None:
    schedule = services.fee_schedule_create(
        program=program,
        name=f"Satser {DEMO_YEAR}",
        starts_on=date(DEMO_YEAR, 1, 1),
        ends_on=date(DEMO_YEAR, 12, 31),
    )
    for condition, amount, text in (
        (FeeCondition.WITHOUT_TRAINEE, 3_300, "Medlemskontingent uten trainee"),
        (FeeCondition.WITH_TRAINEE, 10_000, "Medlemskontingent med trainee"),
    ):
        services.fee_rule_add(
            schedule=schedule,
            data={
                "kind": FeeKind.ANNUAL,
                "description": f"{text} {DEMO_YEAR}",
                "tier": "",
                "condition": condition,
                "amount": Decimal(amount),
                "vat_rate": VatRate.EXEMPT,
            },
        )
    services.fee_rule_add(
        schedule=schedule,
        data={
            "kind": FeeKind.PER_DAY,
            "description": "Traineedøgn",
            "amount": Decimal(1_250),
            "vat_rate": VatRate.STANDARD,
        },
    )


def _application(program: Program) -> None:
    services.application_submit(
        program=program,
        data={
            "organisation_number": organisation_number(400),
            "organisation_name": "Gjøvik Bioteknologi AS",
            "kind": OrganisationKind.COMPANY,
            "sector": Sector.PRIVATE,
            "municipality": Municipality.objects.get(pk="3407"),
            "employees": 85,
            "contact_name": "Hilde Bakke",
            "contact_email": "hilde.bakke@example.org",
            "contact_phone": "+47 900 00 000",
            "invoice_email": "",
            "fee_tier": "Standard",
            "motivation": "Vi vil rekruttere unge talenter til regionen og bidra til nettverket.",
        },
    )


def seed(innlandet: Program, helgeland: Program) -> list[Login] | None:
    from traineenett.core.demo import FIRST_NAMES

    rng = random.Random(7)  # noqa: S311 — deterministic demo data, not secrets
    _settings(innlandet, 900)
    _settings(helgeland, 901)
    _fees_innlandet(innlandet)
    _fees_helgeland(helgeland)
    _budget(innlandet, rng, grant=0)
    _budget(helgeland, rng, grant=600_000)
    _invoices(innlandet, issue=6)
    _invoices(helgeland, issue=3)
    _board(innlandet, rng, FIRST_NAMES)
    _board(helgeland, rng, FIRST_NAMES)
    _application(innlandet)
    return None
