"""Every CSV and XLSX file the app writes goes through here, so that no cell is a formula.

A pupil named ``=HYPERLINK("http://x","klik")`` or an LVS number ``=1+1`` would otherwise be a
live formula when the IB-er opens the file in Excel (CSV injection, OWASP). In a CSV a cell
that starts with ``= + - @``, a tab or a carriage return gets a single quote in front, which
Excel and LibreOffice show as "this is text" and hide; a plain negative number (-3, -2,5)
is left alone, since it cannot call anything. In an XLSX every text is written as a text
cell (never a formula), and the ones that look like a formula also get Excel's quote prefix,
so that editing the cell keeps it text.

defusedcsv does the CSV part, but misses the tab and carriage return of OWASP's list and
rewrites every "|" inside a value; the rule is short enough to keep here, with its tests.

A new export must use :func:`csv_text`, :func:`write_csv` or :func:`write_xlsx`; a test
(tests/services/test_spreadsheet_safety.py) fails when any other module writes spreadsheets.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

# What makes Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:[.,][0-9]+)*")  # -3, -2,5, -1.000,50
# What Excel on a Dutch laptop opens without asking: semicolons, UTF-8 with a BOM.
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"


def looks_like_formula(value: str) -> bool:
    """True when a spreadsheet would read ``value`` as a formula (a negative number is not)."""
    return value.startswith(FORMULA_TRIGGERS) and not _NEGATIVE_NUMBER.fullmatch(value)


def neutralise(value: object) -> object:
    """The value for a CSV cell: a text that looks like a formula gets a ``'`` in front.

    Numbers, dates and other non-text values come back as they are (a Python number is never
    a formula). Neutralising twice changes nothing more.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The rows as CSV text for Excel: semicolons, every cell neutralised."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=CSV_DELIMITER)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buf.getvalue()


def write_csv(path: str | os.PathLike[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write the rows to a CSV file that Excel on a Dutch laptop opens without asking.

    Written to a temporary file first, so an existing file is only replaced by a whole one.
    """
    from ib_desktop.atomic_files import write_atomic

    return write_atomic(path, csv_text(rows).encode(CSV_ENCODING))


def write_xlsx(
    path: str | os.PathLike[str], rows: Iterable[Sequence[object]], *, sheet_title: str = "Blad1"
) -> Path:
    """Write the rows to an .xlsx file in which no text is a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from ib_desktop.atomic_files import write_atomic

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would make a text starting with "=" a formula
                cell.quotePrefix = looks_like_formula(value)
            cells.append(cell)
        sheet.append(cells)
    buf = io.BytesIO()
    workbook.save(buf)
    return write_atomic(path, buf.getvalue())
