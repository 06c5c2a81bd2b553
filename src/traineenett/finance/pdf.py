"""One invoice (or credit note) as a PDF, with fpdf2's core fonts (Latin-1 covers æøå)."""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from traineenett.finance.models import Invoice
from traineenett.finance.money import format_nok


def _latin1(text: str) -> str:
    return (
        text.replace("\u2013", "-")
        .replace("\u2212", "-")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def _number(value: object) -> str:
    return format_nok(value, currency=False)  # type: ignore[arg-type]


def _quantity(value: object) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def invoice_pdf(invoice: Invoice, language: str = "nb") -> bytes:
    """The invoice as PDF bytes: seller and buyer with organisation numbers, number, dates,
    KID, bank account, lines with VAT, totals."""
    with translation.override(language):
        return bytes(_render(invoice))


def _render(invoice: Invoice) -> bytearray:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_title(_latin1(f"{invoice}"))

    def line(text: str, size: int = 10, style: str = "", height: float = 5.5) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.cell(0, height, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    title = _("Credit note") if invoice.is_credit_note else _("Invoice")
    line(f"{title} {invoice.display_number or _('(draft)')}", size=18, style="B", height=10)
    line(invoice.seller_name or invoice.program.name, style="B")
    if invoice.seller_organisation_number:
        line(_("Org. no. %(number)s MVA") % {"number": invoice.seller_organisation_number})
    pdf.ln(4)
    line(_("To"), style="B")
    line(invoice.buyer_name)
    line(_("Org. no. %(number)s") % {"number": invoice.buyer_organisation_number})
    if invoice.buyer_reference:
        line(_("Your reference: %(reference)s") % {"reference": invoice.buyer_reference})
    pdf.ln(4)

    facts = [
        (
            _("Invoice date"),
            date_format(invoice.issued_on, "SHORT_DATE_FORMAT") if invoice.issued_on else "-",
        ),
        (
            _("Due date"),
            date_format(invoice.due_on, "SHORT_DATE_FORMAT") if invoice.due_on else "-",
        ),
        (
            _("Period"),
            f"{date_format(invoice.period_start, 'SHORT_DATE_FORMAT')} - "
            f"{date_format(invoice.period_end, 'SHORT_DATE_FORMAT')}",
        ),
        (_("Bank account"), invoice.bank_account_display or "-"),
        (_("KID"), invoice.kid or "-"),
    ]
    if invoice.credits_id:
        facts.append((_("Credits invoice"), str(invoice.credits)))
    for label, value in facts:
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.cell(40, 5.5, _latin1(label))
        pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 5.5, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if invoice.note:
        pdf.ln(2)
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, _latin1(invoice.note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    widths = (80, 20, 25, 15, 25, 25)
    headers = (_("Description"), _("Quantity"), _("Unit price"), _("VAT %"), _("VAT"), _("Amount"))
    pdf.set_font("Helvetica", style="B", size=9)
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(width, 6, _latin1(header), border="B", align="L" if width == 80 else "R")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for item in invoice.lines.all():
        description = _latin1(item.description)
        while pdf.get_string_width(description) > widths[0] - 2:
            description = description[:-4] + "..."
        cells = (
            description,
            _quantity(item.quantity),
            _number(item.unit_price),
            _quantity(item.vat_rate),
            _number(item.vat),
            _number(item.total),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, text, align="L" if width == 80 else "R")
        pdf.ln()
    pdf.ln(2)
    for label, amount, style in (
        (_("Net"), invoice.net_total, ""),
        (_("VAT"), invoice.vat_total, ""),
        (_("Total to pay (NOK)"), invoice.total, "B"),
    ):
        pdf.set_font("Helvetica", style=style, size=10)
        pdf.cell(sum(widths[:5]), 6, _latin1(str(label)), align="R")
        pdf.cell(widths[5], 6, _number(amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.output()
