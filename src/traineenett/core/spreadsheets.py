"""Excel workbooks for download: what people typed stays text.

openpyxl stores any string that starts with "=" as a formula, so a cohort name or a
session title such as ``=HYPERLINK(...)`` would run when the file is opened in Excel.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with every formula cell turned back into text."""
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
