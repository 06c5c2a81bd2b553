"""Writes for fees, invoices, budgets, membership applications and the board.

Every function runs in a transaction, validates before it writes (a ValidationError keyed
by the field at fault, nothing half-written) and records an audit entry. The modules:
settings (invoicing settings, billing contacts), schedules (fee schedules and the
adapter to the pure ``finance.fees``), invoices, budget, board (membership applications,
seats, meetings).
"""

from __future__ import annotations

from traineenett.finance.services.board import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_SUFFIXES,
    application_decide,
    application_submit,
    attachment_add,
    board_seat_create,
    board_seat_end,
    meeting_create,
)
from traineenett.finance.services.budget import (
    budget_categories,
    budget_save,
)
from traineenett.finance.services.invoices import (
    InvoiceRun,
    invoice_credit,
    invoice_delete_draft,
    invoice_generate,
    invoice_issue,
    invoice_line_add,
    invoice_line_delete,
    invoice_mark_paid,
    invoice_update,
    invoices_generate_for_members,
    next_invoice_number,
)
from traineenett.finance.services.schedules import (
    fee_lines_for,
    fee_rule_add,
    fee_rule_delete,
    fee_schedule_create,
    placements_in,
)
from traineenett.finance.services.settings import (
    billing_contact_save,
    finance_settings_for,
    finance_settings_update,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_SUFFIXES",
    "InvoiceRun",
    "application_decide",
    "application_submit",
    "attachment_add",
    "billing_contact_save",
    "board_seat_create",
    "board_seat_end",
    "budget_categories",
    "budget_save",
    "fee_lines_for",
    "fee_rule_add",
    "fee_rule_delete",
    "fee_schedule_create",
    "finance_settings_for",
    "finance_settings_update",
    "invoice_credit",
    "invoice_delete_draft",
    "invoice_generate",
    "invoice_issue",
    "invoice_line_add",
    "invoice_line_delete",
    "invoice_mark_paid",
    "invoice_update",
    "invoices_generate_for_members",
    "meeting_create",
    "next_invoice_number",
    "placements_in",
]
