"""The one home for writing cells into files staff open in a spreadsheet application.

Every export (xlsx and csv, every sheet, every app) writes its rows through these helpers,
so text a resident typed can never become a live formula (OWASP "CSV injection"):

- CSV: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is prefixed with a single quote, which spreadsheet applications show as text.
- xlsx: a text cell is always stored as a string cell, never as a formula (openpyxl would
  otherwise store any text beginning with ``=`` as a formula); the same prefixes get the
  quote too, so a value copied out of the sheet stays inert.

Numbers stay numbers: ``-5000`` as an ``int`` is written as a number, only text is touched.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def csv_writer(buffer, **kwargs):
    """A ``csv.writer`` whose ``writerow``/``writerows`` neutralise every cell."""
    return _SafeCsvWriter(csv.writer(buffer, **kwargs))


class _SafeCsvWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def xlsx_row(sheet, values: Iterable) -> list:
    """Cells for ``sheet.append`` (write-only or normal workbook): text as string cells."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        value = safe_cell(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


# --- sheets people can use --------------------------------------------------------------
# Amounts as numbers with a thousands format, dates as dates (no microseconds), columns wide
# enough to read, the header row frozen and filterable.

AMOUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SCORE_FORMAT = "0.0"


class Column:
    """One column of a sheet: its header, kind (``text``, ``amount``, ``number``, ``score``,
    ``date``, ``datetime``) and width in characters."""

    FORMATS = {"amount": AMOUNT_FORMAT, "score": SCORE_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}
    WIDTHS = {"text": 18, "amount": 14, "number": 8, "score": 8, "date": 12, "datetime": 17}

    def __init__(self, header: str, kind: str = "text", width: int | None = None):
        self.header, self.kind = str(header), kind
        self.width = width or max(self.WIDTHS[kind], min(len(self.header) * 2 + 2, 40))


def _plain_datetime(value):
    """A naive local datetime to the minute (spreadsheets know no time zones or microseconds)."""
    import datetime

    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, second=0, microsecond=0)
    return value


class SheetWriter:
    """Rows into a write-only openpyxl sheet with the columns' formats; ``close`` adds the
    filter over every written row (call it after the last data row, before a totals row)."""

    def __init__(self, workbook, title: str, columns: list[Column]):
        from openpyxl.utils import get_column_letter

        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = "A2"
        self.rows = 0
        self._last_column = get_column_letter(len(columns))
        self.sheet.append(xlsx_row(self.sheet, [c.header for c in columns]))

    def _cells(self, values, *, bold=False):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cells = []
        for column, value in zip(self.columns, values, strict=True):
            value = _plain_datetime(safe_cell(value))
            cell = WriteOnlyCell(self.sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif value is not None and column.kind in Column.FORMATS:
                cell.number_format = Column.FORMATS[column.kind]
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        return cells

    def append(self, values) -> None:
        self.sheet.append(self._cells(values))
        self.rows += 1

    def close(self, totals=None) -> None:
        """Filter the header and data rows; then write ``totals`` (a row, bold) if given."""
        self.sheet.auto_filter.ref = f"A1:{self._last_column}{self.rows + 1}"
        if totals is not None:
            self.sheet.append(self._cells(totals, bold=True))


def workbook_bytes(workbook) -> bytes:
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
