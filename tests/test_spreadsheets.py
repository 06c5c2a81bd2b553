"""Downloaded workbooks keep typed text as text (core/spreadsheets.py)."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from traineenett.core.spreadsheets import workbook_bytes


def test_text_that_looks_like_a_formula_stays_text() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(['=HYPERLINK("http://example.invalid")', 3, "Kull 2026"])
    assert sheet["A1"].data_type == "f"  # what openpyxl would store without the guard
    opened = load_workbook(BytesIO(workbook_bytes(workbook)))
    cell = opened.active["A1"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://example.invalid")'
    assert opened.active["B1"].value == 3  # type: ignore[index]
