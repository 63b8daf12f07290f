"""Cells staff open in Excel or LibreOffice: typed text never becomes a live formula, numbers stay numbers."""

import csv
import io
import pathlib

import pytest
from openpyxl import Workbook, load_workbook

from portal.spreadsheets import csv_writer, safe_cell, xlsx_row

# OWASP's CSV-injection triggers, as a resident could type them into a project title or a group name.
PAYLOADS = ['=HYPERLINK("http://x","click")', "=1+1", "+1", "-1", "@x", "\t=1+1", "\r=1+1"]
SOURCE_ROOT = pathlib.Path(__file__).resolve().parents[2]


def as_read_from_xlsx(text: str) -> str:
    """XML reads a stored carriage return back as a line feed."""
    return text.replace("\r", "\n")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_starts_like_a_formula_is_quoted(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["햇살마을공동체", "1,000,000원", "", None, -5000, 0, 12.5])
def test_plain_text_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


def test_a_csv_written_through_csv_writer_reads_back_as_inert_text_and_numbers():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["header", *PAYLOADS])
    writer.writerows([[-5000, *PAYLOADS]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0] == ["header", *["'" + payload for payload in PAYLOADS]]
    assert rows[1][0] == "-5000"  # a negative number is written as a number, unquoted
    assert rows[1][1:] == ["'" + payload for payload in PAYLOADS]


@pytest.mark.parametrize("write_only", [True, False])
def test_an_xlsx_written_through_xlsx_row_has_no_formula_cells(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("시트") if write_only else workbook.active
    sheet.append(xlsx_row(sheet, [-5000, *PAYLOADS]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())[0]
    assert (cells[0].value, cells[0].data_type) == (-5000, "n")
    for cell, payload in zip(cells[1:], PAYLOADS, strict=True):
        assert (cell.value, cell.data_type) == (as_read_from_xlsx("'" + payload), "s")


def test_every_spreadsheet_the_portal_writes_goes_through_portal_spreadsheets():
    """A new export that writes rows itself would bring live formulas back."""
    offenders = []
    for path in SOURCE_ROOT.rglob("*.py"):
        relative = path.relative_to(SOURCE_ROOT)
        if relative.parts[0].startswith(".") or "tests" in relative.parts or relative.parts[0] == "bench":
            continue
        text = path.read_text()
        if relative.as_posix() == "portal/spreadsheets.py":
            continue
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            offenders.append(f"{relative}: use portal.spreadsheets.csv_writer")
        if "Workbook(" in text and "xlsx_row" not in text and "SheetWriter(" not in text:
            offenders.append(f"{relative}: append rows with portal.spreadsheets.xlsx_row or SheetWriter")
    assert offenders == []
