"""The CSV export for the accounting system: one row per invoice line.

Columns (semicolon separated, UTF-8 with BOM, decimal comma, ISO dates):
invoice_number; type (invoice/credit_note); status; invoice_date; due_date;
buyer_organisation_number; buyer_name; kid; period_start; period_end; line;
description; quantity; unit_price; vat_rate; net; vat; total; credits_invoice.
Drafts are not exported (they have no number yet).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from traineenett.finance.models import Invoice

COLUMNS = [
    "invoice_number",
    "type",
    "status",
    "invoice_date",
    "due_date",
    "buyer_organisation_number",
    "buyer_name",
    "kid",
    "period_start",
    "period_end",
    "line",
    "description",
    "quantity",
    "unit_price",
    "vat_rate",
    "net",
    "vat",
    "total",
    "credits_invoice",
]


def _decimal(value: Decimal) -> str:
    return f"{value}".replace(".", ",")


def invoices_csv(invoices: Iterable[Invoice]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for invoice in invoices:
        if invoice.number is None:
            continue
        for position, line in enumerate(invoice.lines.all(), start=1):
            writer.writerow(
                [
                    invoice.display_number,
                    "credit_note" if invoice.is_credit_note else "invoice",
                    invoice.status,
                    invoice.issued_on.isoformat() if invoice.issued_on else "",
                    invoice.due_on.isoformat() if invoice.due_on else "",
                    invoice.buyer_organisation_number,
                    invoice.buyer_name,
                    invoice.kid,
                    invoice.period_start.isoformat(),
                    invoice.period_end.isoformat(),
                    position,
                    line.description,
                    _decimal(line.quantity.normalize()),
                    _decimal(line.unit_price),
                    _decimal(line.vat_rate),
                    _decimal(line.net),
                    _decimal(line.vat),
                    _decimal(line.total),
                    invoice.credits.display_number if invoice.credits else "",
                ]
            )
    return buffer.getvalue()
