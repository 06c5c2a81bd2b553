"""Invoices: generation, numbering, KID, statuses, credit notes, PDF, CSV, e-mail, hosts."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import World
from tests.factories import MembershipFactory
from tests.factories_finance import annual_schedule, client_en, set_up_invoicing
from tests.helpers import queries_for
from traineenett.core.models import User
from traineenett.finance import services
from traineenett.finance.export import COLUMNS
from traineenett.finance.models import FeeKind, Invoice, InvoiceLine, InvoiceStatus
from traineenett.finance.pdf import invoice_pdf
from traineenett.finance.validators import kid_is_valid

pytestmark = pytest.mark.usefixtures("english")

YEAR = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}


@pytest.fixture
def billing(world: World) -> World:
    set_up_invoicing(world.program)
    annual_schedule(world.program, amount=50_000)
    return world


def generate(world: World, organisation: object = None) -> Invoice:
    return services.invoice_generate(
        program=world.program, organisation=organisation or world.organisation_a, **YEAR
    )


def test_generated_draft_has_lines_and_no_number(billing: World) -> None:
    invoice = generate(billing)
    assert invoice.status == InvoiceStatus.DRAFT
    assert (invoice.number, invoice.kid) == (None, "")
    assert invoice.buyer_organisation_number == billing.organisation_a.organisation_number
    assert [line.description for line in invoice.lines.all()] == ["Medlemskontingent 2026"]
    assert invoice.total == Decimal("50000.00")


def test_a_member_with_nothing_to_bill_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        generate(world)
    assert "has nothing to bill" in error.value.message_dict["organisation"][0]
    assert not Invoice.objects.exists()


def test_a_period_already_invoiced_is_refused(billing: World) -> None:
    generate(billing)
    with pytest.raises(ValidationError) as error:
        generate(billing)
    assert "already has an invoice" in error.value.message_dict["period_start"][0]
    assert Invoice.objects.count() == 1


def test_generating_for_all_members_skips_those_without_fees(billing: World) -> None:
    schedule = billing.program.fee_schedules.get()
    schedule.rules.update(tier="Stor", kind=FeeKind.ANNUAL)
    billing.membership_b.fee_tier = "Stor"
    billing.membership_b.save(update_fields=["fee_tier"])
    run = services.invoices_generate_for_members(program=billing.program, **YEAR)
    assert [invoice.organisation for invoice in run.created] == [billing.organisation_b]
    assert len(run.skipped) == 1 and "Mjøskraft AS has nothing to bill" in run.skipped[0]


def test_generating_for_all_members_leaves_out_a_former_member(billing: World) -> None:
    # Ended here before the period, yet a current member of another programme: the
    # membership's start and end must be checked on the same membership.
    billing.membership_a.starts_on, billing.membership_a.ends_on = (
        date(2020, 1, 1),
        date(2024, 12, 31),
    )
    billing.membership_a.save(update_fields=["starts_on", "ends_on"])
    MembershipFactory(program=billing.other_program, organisation=billing.organisation_a)
    run = services.invoices_generate_for_members(program=billing.program, **YEAR)
    assert [invoice.organisation for invoice in run.created] == [billing.organisation_b]
    assert run.skipped == []


def test_issuing_gives_consecutive_numbers_and_a_valid_kid(billing: World) -> None:
    first = services.invoice_issue(invoice=generate(billing), send=False, today=date(2026, 2, 1))
    draft = generate(billing, billing.organisation_b)
    services.invoice_delete_draft(invoice=draft)  # drafts have no number: no gap
    second = services.invoice_issue(
        invoice=generate(billing, billing.organisation_b), send=False, today=date(2026, 2, 2)
    )
    assert (first.year, first.number, second.number) == (2026, 1, 2)
    assert first.display_number == "2026-00001"
    assert kid_is_valid(first.kid) and first.kid.startswith("2026")
    assert first.due_on == date(2026, 2, 15)
    assert first.bank_account == "86011117947"
    # A new year starts a new series.
    set_up_invoicing(billing.program)
    annual_schedule(billing.program, year=2027)
    third = services.invoice_issue(
        invoice=services.invoice_generate(
            program=billing.program,
            organisation=billing.organisation_a,
            period_start=date(2027, 1, 1),
            period_end=date(2027, 12, 31),
        ),
        send=False,
        today=date(2027, 1, 5),
    )
    assert (third.year, third.number) == (2027, 1)


def test_issuing_without_a_bank_account_is_refused(world: World) -> None:
    annual_schedule(world.program)
    invoice = generate(world)
    with pytest.raises(ValidationError) as error:
        services.invoice_issue(invoice=invoice, send=False)
    assert "bank_account" in error.value.message_dict
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number) == (InvoiceStatus.DRAFT, None)


def test_a_sent_invoice_is_never_edited(billing: World) -> None:
    invoice = services.invoice_issue(invoice=generate(billing), send=False)
    for attempt in (
        lambda: services.invoice_update(invoice=invoice, data={"note": "changed"}),
        lambda: services.invoice_line_add(
            invoice=invoice,
            description="Extra",
            quantity=Decimal(1),
            unit_price=Decimal(100),
            vat_rate=Decimal(25),
        ),
        lambda: services.invoice_line_delete(invoice=invoice, line_id=invoice.lines.get().pk),
        lambda: services.invoice_delete_draft(invoice=invoice),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "has been sent and can no longer be changed" in error.value.messages[0]
    invoice.refresh_from_db()
    assert (invoice.note, invoice.total, invoice.lines.count()) == ("", Decimal("50000.00"), 1)
    client = client_en(billing, "coordinator")
    url = reverse("finance:invoice_edit", args=[billing.program.slug, invoice.pk])
    response = client.post(url, {"action": "save", "draft-note": "changed"})
    assert response.status_code == 409
    assert "Credit it with a credit note" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.note == ""


def test_the_django_admin_shows_invoices_but_cannot_change_them(billing: World) -> None:
    invoice = services.invoice_issue(invoice=generate(billing), send=False)
    admin_user = User.objects.create_superuser(email="root@example.org", password="x")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:finance_invoice_change", args=[invoice.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert invoice.display_number in page.content.decode()
    assert "Save" not in page.content.decode()
    client.post(url, {"note": "changed", "total": "1"})
    assert client.get(reverse("admin:finance_invoice_add")).status_code == 403
    assert client.post(reverse("admin:finance_invoice_delete", args=[invoice.pk])).status_code in (
        403,
        302,
    )
    invoice.refresh_from_db()
    assert (invoice.note, invoice.total, invoice.status) == ("", Decimal("50000.00"), "sent")
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_editing_a_draft_and_refusing_negative_lines(billing: World) -> None:
    invoice = generate(billing)
    client = client_en(billing, "coordinator")
    url = reverse("finance:invoice_edit", args=[billing.program.slug, invoice.pk])
    response = client.post(
        url,
        {
            "action": "add_line",
            "line-description": "Seminar",
            "line-quantity": "2",
            "line-unit_price": "-100",
            "line-vat_rate": "25.00",
        },
    )
    assert response.status_code == 200
    assert "cannot be negative" in response.content.decode()
    assert invoice.lines.count() == 1
    response = client.post(
        url,
        {
            "action": "add_line",
            "line-description": "Seminar",
            "line-quantity": "2",
            "line-unit_price": "1250,50",
            "line-vat_rate": "25.00",
        },
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    # 2 × 1 250,50 = 2 501,00 + 25 % VAT 625,25.
    assert invoice.total == Decimal("50000.00") + Decimal("3126.25")
    assert invoice.vat_total == Decimal("625.25")


def test_credit_note_and_reissue(billing: World) -> None:
    original = services.invoice_issue(invoice=generate(billing), send=False)
    note, draft = services.invoice_credit(invoice=original, reason="Feil sats", send=False)
    original.refresh_from_db()
    assert original.status == InvoiceStatus.CREDITED
    assert note.is_credit_note and note.credits == original
    assert note.number == original.number + 1
    assert note.total == -original.total
    assert kid_is_valid(note.kid)
    assert "Feil sats" in note.note
    assert draft is not None and draft.is_draft and draft.reissue_of == original
    assert draft.total == original.total
    # A credited invoice is not credited twice; the reissue can be issued.
    with pytest.raises(ValidationError):
        services.invoice_credit(invoice=original, reason="Igjen", send=False)
    reissued = services.invoice_issue(invoice=draft, send=False)
    assert reissued.number == note.number + 1
    # The overview's unpaid invoices: the reissue, not the credit note nor the original.
    page = client_en(billing, "coordinator").get(
        reverse("finance:overview", args=[billing.program.slug])
    )
    assert list(page.context["open_invoices"]) == [reissued]


def test_mark_paid(billing: World) -> None:
    invoice = generate(billing)
    with pytest.raises(ValidationError):
        services.invoice_mark_paid(invoice=invoice, paid_on=date(2026, 3, 1))
    invoice = services.invoice_issue(invoice=invoice, send=False, today=date(2026, 2, 1))
    with pytest.raises(ValidationError) as error:
        services.invoice_mark_paid(invoice=invoice, paid_on=date(2026, 1, 1))
    assert "paid_on" in error.value.message_dict
    services.invoice_mark_paid(invoice=invoice, paid_on=date(2026, 2, 10))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == (InvoiceStatus.PAID, date(2026, 2, 10))


def test_issuing_emails_the_pdf_to_the_invoice_address(
    billing: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invoice = services.invoice_issue(invoice=generate(billing))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"faktura.{billing.organisation_a.pk}@example.org"]
    assert invoice.display_number in message.subject
    assert invoice.kid in message.body
    assert "8601.11.17947" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == (f"{invoice.display_number}.pdf", "application/pdf")
    assert PdfReader(io.BytesIO(content)).pages


def test_issuing_without_an_invoice_address_is_refused(world: World) -> None:
    set_up_invoicing(world.program)
    annual_schedule(world.program)
    invoice = generate(world)
    services.invoice_update(invoice=invoice, data={"email_to": ""})
    with pytest.raises(ValidationError) as error:
        services.invoice_issue(invoice=invoice)
    assert "email_to" in error.value.message_dict


def test_pdf_opens_and_holds_the_invoice(billing: World) -> None:
    invoice = services.invoice_issue(invoice=generate(billing), send=False, today=date(2026, 2, 1))
    reader = PdfReader(io.BytesIO(invoice_pdf(invoice, language="nb")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Faktura 2026-00001" in text
    assert "Mjøskraft AS" in text  # æøå through the core fonts' Latin-1
    assert invoice.kid in text
    assert billing.organisation_a.organisation_number in text
    assert "8601.11.17947" in text  # the account as printed on Norwegian invoices
    assert "50 000,00".replace(" ", "\xa0") in text or "50 000,00" in text
    response = client_en(billing, "board").get(
        reverse("finance:invoice_pdf", args=[billing.program.slug, invoice.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert PdfReader(io.BytesIO(response.content)).pages


def test_csv_export_for_accounting(billing: World) -> None:
    first = services.invoice_issue(invoice=generate(billing), send=False, today=date(2026, 2, 1))
    services.invoice_credit(invoice=first, reason="Feil", send=False, reissue=False)
    generate(billing, billing.organisation_b)  # a draft: not exported
    response = client_en(billing, "coordinator").get(
        reverse("finance:invoice_export", args=[billing.program.slug]) + "?year=2026"
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == COLUMNS
    assert rows[0] == [
        "invoice_number", "type", "status", "invoice_date", "due_date",
        "buyer_organisation_number", "buyer_name", "kid", "period_start", "period_end",
        "line", "description", "quantity", "unit_price", "vat_rate", "net", "vat", "total",
        "credits_invoice",
    ]  # fmt: skip
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [(r["invoice_number"], r["type"], r["total"]) for r in body] == [
        ("2026-00001", "invoice", "50000,00"),
        ("2026-00002", "credit_note", "-50000,00"),
    ]
    assert body[1]["credits_invoice"] == "2026-00001"
    assert body[0]["invoice_date"] == "2026-02-01"


def test_invoice_list_query_count_does_not_grow(billing: World) -> None:
    client = client_en(billing, "coordinator")
    url = reverse("finance:invoice_list", args=[billing.program.slug]) + "?year=2026"
    generate(billing)
    few = queries_for(client, url)
    generate(billing, billing.organisation_b)
    assert queries_for(client, url) == few


# ------------------------------------------------------------------------- hosts


def test_a_host_sees_only_its_own_organisations_issued_invoices(billing: World) -> None:
    own = services.invoice_issue(invoice=generate(billing), send=False)
    draft_of_b = generate(billing, billing.organisation_b)
    client_a, client_b = client_en(billing, "host_a"), client_en(billing, "host_b")
    slug = billing.program.slug
    page = client_a.get(reverse("finance:own_invoices", args=[slug])).content.decode()
    assert own.display_number in page
    assert (
        client_a.get(reverse("finance:own_invoice_detail", args=[slug, own.pk])).status_code == 200
    )
    assert (
        client_b.get(reverse("finance:own_invoice_detail", args=[slug, own.pk])).status_code == 404
    )
    assert client_b.get(reverse("finance:own_invoice_pdf", args=[slug, own.pk])).status_code == 404
    # Drafts are the programme's business, even for their own organisation.
    assert (
        client_b.get(reverse("finance:own_invoice_detail", args=[slug, draft_of_b.pk])).status_code
        == 404
    )
    # Another programme's invoice under this programme's address: 404.
    set_up_invoicing(billing.other_program)
    annual_schedule(billing.other_program)
    other = services.invoice_issue(
        invoice=services.invoice_generate(
            program=billing.other_program,
            organisation=billing.other_membership.organisation,
            **YEAR,
        ),
        send=False,
    )
    assert (
        client_a.get(reverse("finance:own_invoice_detail", args=[slug, other.pk])).status_code
        == 404
    )


# ------------------------------------------------------------ concurrency (PostgreSQL)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so it cannot show two issuers racing; "
    "this test runs on PostgreSQL (DATABASE_URL=postgres://…).",
)
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_issuing_at_once_get_consecutive_numbers(world: World) -> None:
    set_up_invoicing(world.program)
    annual_schedule(world.program, amount=1_000)
    drafts = []
    for month in range(1, 13):
        for organisation in (world.organisation_a, world.organisation_b):
            drafts.append(
                services.invoice_generate(
                    program=world.program,
                    organisation=organisation,
                    period_start=date(2026, month, 1),
                    period_end=date(2026, month, 28),
                )
            )
    halves = [drafts[0::2], drafts[1::2]]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def issue(batch: list[Invoice]) -> None:
        try:
            barrier.wait()
            for draft in batch:
                services.invoice_issue(invoice=draft, send=False, today=date(2026, 6, 1))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Invoice.objects.filter(program=world.program).values_list("number", flat=True))
    assert numbers == list(range(1, len(drafts) + 1))
    assert InvoiceLine.objects.filter(invoice__program=world.program).count() == len(drafts)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so it cannot show two generators racing; "
    "this test runs on PostgreSQL (DATABASE_URL=postgres://…).",
)
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_generating_at_once_make_one_draft_per_member(world: World) -> None:
    set_up_invoicing(world.program)
    annual_schedule(world.program, amount=1_000)
    barrier = threading.Barrier(2)
    runs: list[services.InvoiceRun] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            runs.append(services.invoices_generate_for_members(program=world.program, **YEAR))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    drafts = Invoice.objects.filter(program=world.program)
    members = {world.organisation_a.pk, world.organisation_b.pk}
    assert sorted(drafts.values_list("organisation_id", flat=True)) == sorted(members)
    # What one run created, the other skipped as already invoiced.
    assert sorted(len(r.created) for r in runs) == [0, 2]
    assert sorted(len(r.skipped) for r in runs) == [0, 2]
