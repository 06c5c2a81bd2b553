"""Permission-matrix entries for the finance app's URLs (merged by test_permission_matrix).

A host sees only its own organisation's invoices: host A gets organisation A's invoice,
host B a 404 for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import World
from tests.factories_finance import finance_of, other_finance_of
from tests.matrix import (
    COORDINATOR_AND_BOARD,
    COORDINATOR_ONLY,
    REDIRECT,
    Entry,
    outcomes,
    program,
    public_page,
    with_pk,
)

POST_BY_COORDINATOR = outcomes(403, coordinator=REDIRECT)


def own_invoice(w: World) -> dict[str, Any]:
    return {"program_slug": w.program.slug, "invoice_id": finance_of(w).sent_invoice.pk}


ENTRIES: dict[str, Entry] = {
    "finance:overview": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:settings": Entry(COORDINATOR_ONLY, kwargs=program),
    "finance:billing_contacts": Entry(COORDINATOR_ONLY, kwargs=program),
    "finance:billing_contact_edit": Entry(
        COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.membership_a.pk)
    ),
    "finance:schedule_list": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:schedule_create": Entry(COORDINATOR_ONLY, kwargs=program),
    "finance:schedule_detail": Entry(
        COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: finance_of(w).schedule.pk)
    ),
    "finance:fee_rule_delete": Entry(
        POST_BY_COORDINATOR, kwargs=with_pk(lambda w: finance_of(w).rule.pk), method="post"
    ),
    "finance:invoice_list": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:invoice_generate": Entry(COORDINATOR_ONLY, kwargs=program),
    "finance:invoice_export": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:invoice_detail": Entry(
        COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: finance_of(w).sent_invoice.pk)
    ),
    "finance:invoice_edit": Entry(
        COORDINATOR_ONLY, kwargs=with_pk(lambda w: finance_of(w).draft_invoice.pk)
    ),
    "finance:invoice_issue": Entry(
        POST_BY_COORDINATOR,
        kwargs=with_pk(lambda w: finance_of(w).draft_invoice.pk),
        method="post",
    ),
    "finance:invoice_paid": Entry(
        POST_BY_COORDINATOR, kwargs=with_pk(lambda w: finance_of(w).sent_invoice.pk), method="post"
    ),
    "finance:invoice_credit": Entry(
        POST_BY_COORDINATOR, kwargs=with_pk(lambda w: finance_of(w).sent_invoice.pk), method="post"
    ),
    "finance:invoice_pdf": Entry(
        COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: finance_of(w).sent_invoice.pk)
    ),
    "finance:settlements": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:budget": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:budget_edit": Entry(
        COORDINATOR_ONLY, kwargs=lambda w: {"program_slug": w.program.slug, "year": 2026}
    ),
    "finance:own_invoices": Entry(outcomes(403, host_a=200, host_b=200), kwargs=program),
    "finance:own_invoice_detail": Entry(outcomes(403, host_a=200, host_b=404), kwargs=own_invoice),
    "finance:own_invoice_pdf": Entry(outcomes(403, host_a=200, host_b=404), kwargs=own_invoice),
    "finance:application_form": Entry(public_page(), kwargs=program),
    "finance:application_lookup": Entry(public_page(), kwargs=program),
    "finance:application_received": Entry(public_page(), kwargs=program),
    "finance:board": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:application_list": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:application_detail": Entry(
        COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: finance_of(w).application.pk)
    ),
    "finance:seat_create": Entry(COORDINATOR_ONLY, kwargs=program),
    "finance:seat_end": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: finance_of(w).seat.pk)),
    "finance:meeting_create": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "finance:meeting_detail": Entry(
        COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: finance_of(w).meeting.pk)
    ),
    "finance:attachment_download": Entry(
        COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: finance_of(w).attachment.pk)
    ),
}

# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {
    "finance:billing_contact_edit": lambda w: w.other_membership.pk,
    "finance:schedule_detail": lambda w: other_finance_of(w).schedule.pk,
    "finance:fee_rule_delete": lambda w: other_finance_of(w).rule.pk,
    "finance:invoice_detail": lambda w: other_finance_of(w).sent_invoice.pk,
    "finance:invoice_edit": lambda w: other_finance_of(w).draft_invoice.pk,
    "finance:invoice_issue": lambda w: other_finance_of(w).draft_invoice.pk,
    "finance:invoice_paid": lambda w: other_finance_of(w).sent_invoice.pk,
    "finance:invoice_credit": lambda w: other_finance_of(w).sent_invoice.pk,
    "finance:invoice_pdf": lambda w: other_finance_of(w).sent_invoice.pk,
    "finance:application_detail": lambda w: other_finance_of(w).application.pk,
    "finance:seat_end": lambda w: other_finance_of(w).seat.pk,
    "finance:meeting_detail": lambda w: other_finance_of(w).meeting.pk,
    "finance:attachment_download": lambda w: other_finance_of(w).attachment.pk,
}
