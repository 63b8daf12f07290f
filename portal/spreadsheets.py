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
