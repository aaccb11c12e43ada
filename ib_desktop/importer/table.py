"""What every reader of an export hands on: the ``Table`` of rows read, the text of a cell,
and the errors that stop an import. Shared by the CSV/Excel reader, the EDEXML reader and the
value parsers, so none of them needs another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf_8_sig": "UTF-8 (met BOM)",
    "utf-8-sig": "UTF-8 (met BOM)",
    "utf_16": "UTF-16",
    "utf-16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf_16_be": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "windows-1252": "Windows-1252",
    "latin_1": "Latin-1",
    "latin-1": "Latin-1",
    "iso8859_15": "Latin-9",
    "mac_roman": "Mac Roman",
    "cp850": "DOS (CP850)",
}


class ImportRefusedError(Exception):
    """The import cannot go on; ``str()`` is Dutch and tells the user what to do."""


class ImportFileError(ImportRefusedError):
    """The file cannot be read as a pupil list; nothing was changed."""


@dataclass
class Table:
    """The rows of an export: the header row and the data rows below it, as read.

    Cells keep the type they had in the file (text from CSV; text, numbers, dates from Excel),
    so a date cell is never first turned into text and then guessed at again.
    """

    path: Path
    kind: str  # "csv", "xlsx" or "edexml"
    headers: list[str]
    rows: list[list[Any]]
    #: The spreadsheet row number of each data row (what the user sees in Excel).
    row_numbers: list[int]
    header_row: int = 1
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    notes: list[str] = field(default_factory=list)
    #: The school year and BRIN the file says it describes (EDEXML), to check against.
    school_year: str = ""
    brin: str = ""
    #: The column mapping when the format fixes it (EDEXML): column index -> Field.
    mapping: dict[int, Any] | None = None

    @property
    def description(self) -> str:
        """ "CSV, Windows-1252, gescheiden door puntkomma" for the report and the wizard."""
        if self.kind == "xlsx":
            return f"Excel-werkblad '{self.sheet}'" if self.sheet else "Excel-werkblad"
        if self.kind == "edexml":
            parts = ["EDEXML"]
            if self.school_year:
                parts.append(f"schooljaar {self.school_year}")
            if self.brin:
                parts.append(f"BRIN {self.brin}")
            return ", ".join(parts)
        enc = ENCODING_NAMES.get(self.encoding.lower(), self.encoding)
        sep = DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))
        return f"CSV, {enc}, gescheiden door {sep}"

    def column_values(self, index: int, limit: int | None = None) -> list[Any]:
        """The values of one column, top down (short rows give None)."""
        rows = self.rows if limit is None else self.rows[:limit]
        return [row[index] if index < len(row) else None for row in rows]


def cell_text(value: Any) -> str:
    """A cell as text the way the user saw it in the file ("123456", "12-03-2016", "")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return f"{value.day:02d}-{value.month:02d}-{value.year}"
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return " ".join(str(value).split())
