"""Finance objects for tests, made through the services and cached on the World."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tests.conftest import World
from traineenett.core.demo import organisation_number
from traineenett.core.models import Program
from traineenett.finance import services
from traineenett.finance.models import (
    BoardMeeting,
    BoardSeat,
    FeeKind,
    FeeRule,
    FeeSchedule,
    Invoice,
    MeetingAttachment,
    MembershipApplication,
    VatRate,
)
from traineenett.members.models import Membership, Organisation

BANK_ACCOUNT = "86011117947"
ATTACHMENT_NAME = "board/tests/minutes.txt"


@dataclass
class FinanceObjects:
    schedule: FeeSchedule
    rule: FeeRule
    sent_invoice: Invoice  # to organisation A
    draft_invoice: Invoice  # to organisation B
    application: MembershipApplication
    seat: BoardSeat
    meeting: BoardMeeting
    attachment: MeetingAttachment


def set_up_invoicing(program: Program, seed: int = 900) -> None:
    services.finance_settings_update(
        program=program,
        data={
            "seller_name": program.name,
            "seller_organisation_number": organisation_number(seed),
            "bank_account": BANK_ACCOUNT,
        },
    )
    for membership in Membership.objects.filter(program=program).select_related("organisation"):
        services.billing_contact_save(
            program=program,
            organisation=membership.organisation,
            invoice_email=f"faktura.{membership.organisation.pk}@example.org",
        )


def annual_schedule(program: Program, year: int = 2026, amount: int = 50_000) -> FeeSchedule:
    schedule = services.fee_schedule_create(
        program=program,
        name=f"Kontingent {year}",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
    services.fee_rule_add(
        schedule=schedule,
        data={
            "kind": FeeKind.ANNUAL,
            "description": f"Medlemskontingent {year}",
            "amount": Decimal(amount),
            "vat_rate": VatRate.EXEMPT,
        },
    )
    return schedule


def _objects(
    program: Program,
    organisation_a: Organisation,
    organisation_b: Organisation,
    membership_seed: int,
) -> FinanceObjects:
    set_up_invoicing(program)
    schedule = annual_schedule(program)
    rule = schedule.rules.get()
    period = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}
    sent = services.invoice_generate(program=program, organisation=organisation_a, **period)
    sent = services.invoice_issue(invoice=sent, send=False, today=date(2026, 2, 1))
    draft = services.invoice_generate(program=program, organisation=organisation_b, **period)
    application = services.application_submit(
        program=program,
        data={
            "organisation_number": organisation_number(membership_seed),
            "organisation_name": "Søker AS",
            "municipality": organisation_a.municipality,
            "contact_name": "Kari Søker",
            "contact_email": "kari@example.org",
            "motivation": "Vi vil være med.",
            "fee_tier": "Standard",
        },
    )
    seat = services.board_seat_create(
        program=program,
        data={
            "kind": "member",
            "person_name": "Per Styre",
            "organisation": organisation_a,
            "starts_on": date(2025, 1, 1),
        },
    )
    meeting = services.meeting_create(
        program=program, data={"held_on": date(2026, 3, 1), "title": "Styremøte", "decisions": "A"}
    )
    if not default_storage.exists(ATTACHMENT_NAME):
        default_storage.save(ATTACHMENT_NAME, ContentFile(b"Protokoll"))
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, title="Protokoll", file=ATTACHMENT_NAME
    )
    return FinanceObjects(schedule, rule, sent, draft, application, seat, meeting, attachment)


def finance_of(w: World) -> FinanceObjects:
    """Programme A's finance objects (made once per World)."""
    if not hasattr(w, "_finance"):
        w._finance = _objects(w.program, w.organisation_a, w.organisation_b, 700)  # type: ignore[attr-defined]
    return w._finance  # type: ignore[attr-defined,no-any-return]


def other_finance_of(w: World) -> FinanceObjects:
    """Programme B's finance objects."""
    if not hasattr(w, "_other_finance"):
        organisation = w.other_membership.organisation
        w._other_finance = _objects(w.other_program, organisation, organisation_second(w), 701)  # type: ignore[attr-defined]
    return w._other_finance  # type: ignore[attr-defined,no-any-return]


def organisation_second(w: World) -> Organisation:
    """A second member of programme B (its draft invoice goes there)."""
    from tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(name="Salten Energi AS", municipality_id="1804")
    MembershipFactory(program=w.other_program, organisation=organisation)
    return organisation


def client_en(w: World, persona: str = "anonymous") -> Client:
    """A persona's client that asks for the English UI (the default is Bokmål), so tests
    can assert the English messages whether or not the catalogue is compiled."""
    client = w.client_for(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
