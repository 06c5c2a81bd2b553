"""The completion certificate (PDF, fpdf2).

The text is set in DejaVu Sans from the system's fonts when it is installed (any
character); otherwise in the PDF core font Helvetica, whose Latin-1 covers æ, ø and å.
Nothing is downloaded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts(pdf: FPDF) -> str:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "helvetica"


def _days(value: Decimal) -> str:
    return number_format(value.normalize() if value % 1 else value.quantize(Decimal("1")))


def certificate_pdf(
    *,
    program_name: str,
    trainee_name: str,
    cohort_label: str,
    modules: list[tuple[str, Decimal]],
    total_days: Decimal,
    required_days: int,
    issued_on: date,
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_("Certificate of completion"))
    pdf.set_author(program_name)
    pdf.set_margins(25, 30, 25)
    pdf.add_page()
    family = _fonts(pdf)

    def text(value: str) -> str:
        if family == "helvetica":
            return value.encode("latin-1", "replace").decode("latin-1")
        return value

    pdf.set_font(family, "B", 26)
    pdf.cell(0, 14, text(_("Certificate of completion")), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(family, "", 14)
    pdf.cell(0, 10, text(program_name), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(12)
    pdf.set_font(family, "B", 20)
    pdf.cell(0, 12, text(trainee_name), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(family, "", 12)
    pdf.multi_cell(
        0,
        7,
        text(
            _(
                "has completed the competence programme of %(program)s (%(cohort)s), "
                "with %(days)s of the %(required)s days required, in these modules:"
            )
            % {
                "program": program_name,
                "cohort": cohort_label,
                "days": _days(total_days),
                "required": required_days,
            }
        ),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(10)
    pdf.set_font(family, "B", 12)
    pdf.cell(110, 9, text(_("Module")), border="B")
    pdf.cell(50, 9, text(_("Days")), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 12)
    for name, days in modules:
        pdf.cell(110, 8, text(name))
        pdf.cell(50, 8, _days(days), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 12)
    pdf.cell(110, 9, text(_("Total")), border="T")
    pdf.cell(50, 9, _days(total_days), border="T", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font(family, "", 11)
    pdf.cell(
        0,
        8,
        text(_("Issued %(date)s") % {"date": date_format(issued_on, "SHORT_DATE_FORMAT")}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
