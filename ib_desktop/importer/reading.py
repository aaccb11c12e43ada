"""Reading a pupil list exported by the school's LVS: CSV in any usual encoding, .xlsx, or
EDEXML (``EDEX.XML``, see :mod:`ib_desktop.importer.edexml`).

Exports come from many systems and many hands (ParnasSys, ESIS, "opgeslagen als CSV" in Excel on
a Dutch laptop), so nothing about the encoding, the delimiter or where the header row starts is
taken for granted. Everything that cannot be read ends in an :class:`ImportFileError` whose text
is Dutch and says what the user can do about it.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ib_desktop.importer.columns import header_row_score
from ib_desktop.importer.edexml import read_edexml
from ib_desktop.importer.table import (
    DELIMITER_NAMES,
    ENCODING_NAMES,
    ImportFileError,
    ImportRefusedError,
    Table,
    cell_text,
)

__all__ = [
    "DELIMITER_NAMES",
    "ENCODING_NAMES",
    "ImportFileError",
    "ImportRefusedError",
    "Table",
    "cell_text",
    "decode_text",
    "read_table",
    "sniff_delimiter",
]

#: Delimiters that LVS exports and Excel's "CSV" variants use.
DELIMITERS = (";", ",", "\t", "|")
#: Encodings charset-normalizer may choose from when the file is not UTF-8: the ones Windows
#: and older Macs write for Dutch text. Keeping the list short stops it from "finding" Cyrillic
#: in a file that only has a few ë's.
FALLBACK_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850")
#: How many leading rows may hold a title before the header row.
HEADER_SEARCH_ROWS = 10
MAX_FILE_BYTES = 200 * 1024 * 1024


def read_table(path: str | os.PathLike[str], *, encoding: str | None = None) -> Table:
    """Read a CSV or .xlsx export; raises :class:`ImportFileError` with a Dutch reason.

    ``encoding`` forces a text encoding (the command line's ``--encoding``); without it the
    encoding is detected.
    """
    p = Path(path)
    _check_size(p)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError(
            f"Het bestand '{p.name}' kan niet worden gelezen: {exc.strerror}."
        ) from None
    if head.startswith(b"PK\x03\x04") or p.suffix.lower() in (".xlsx", ".xlsm"):
        if not head.startswith(b"PK"):
            raise ImportFileError(
                f"'{p.name}' heet een Excel-bestand, maar is het niet (of het is beschadigd). "
                "Open het in Excel en sla het opnieuw op als .xlsx of als CSV."
            )
        return _read_xlsx(p)
    _refuse_other_documents(p, head)
    if _looks_like_xml(head) or p.suffix.lower() == ".xml":
        return read_edexml(p)
    if p.suffix.lower() == ".ods":
        raise ImportFileError(
            f"'{p.name}' is een OpenDocument-werkblad. Sla het op als .xlsx of als CSV."
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            f"Het bestand '{p.name}' kan niet worden gelezen: {exc.strerror}."
        ) from None
    return _read_csv_bytes(p, data, encoding)


def _check_size(p: Path) -> None:
    """The file exists, is no folder, and is neither empty nor too large for a pupil list."""
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"Het bestand '{p}' bestaat niet.") from None
    except OSError as exc:
        raise ImportFileError(
            f"Het bestand '{p.name}' kan niet worden geopend: {exc.strerror}."
        ) from None
    if p.is_dir():
        raise ImportFileError(f"'{p}' is een map; kies het exportbestand zelf.")
    if size == 0:
        raise ImportFileError(f"Het bestand '{p.name}' is leeg: er staan geen leerlingen in.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Het bestand '{p.name}' is te groot ({size // (1024 * 1024)} MB) voor een "
            "leerlinglijst. Kies de export van de leerlingen zelf."
        )


def _refuse_other_documents(p: Path, head: bytes) -> None:
    """An old Excel file or a PDF is named, with what to export instead."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f"'{p.name}' is een oud Excel-bestand (.xls). Open het in Excel en kies "
            "'Opslaan als' > 'Excel-werkmap (.xlsx)' of 'CSV (gescheiden door "
            "lijstscheidingsteken)'."
        )
    if head.startswith(b"%PDF"):
        raise ImportFileError(
            f"'{p.name}' is een PDF. Exporteer de leerlinglijst uit het LVS als CSV of Excel."
        )


def _looks_like_xml(head: bytes) -> bool:
    """An XML declaration or element at the start (after a byte order mark and spaces)."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text[2:].replace(b"\x00", b"")
    return text.startswith(b"<")


# ----------------------------------------------------------------------------- CSV


def decode_text(
    data: bytes, name: str = "Het bestand", encoding: str | None = None
) -> tuple[str, str]:
    """Decode the bytes of a text export; returns (text, encoding name).

    UTF-8 (with or without BOM) and UTF-16 (as Excel's "Unicode-tekst" writes it) are recognised
    for sure; anything else goes to charset-normalizer, limited to Western encodings.
    """
    if encoding:
        return _decode_as(data, encoding, name), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(b"\x00") * 3 >= len(sample):
        # UTF-16 without a byte order mark: every other byte of Latin text is zero.
        even_zero = sample[0::2].count(0)
        odd_zero = sample[1::2].count(0)
        enc = "utf-16-le" if odd_zero > even_zero else "utf-16-be"
        return _strict(data, enc, name), enc
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in sample:
        raise _not_text(name)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    if best is None:
        # Windows-1252 is what a Dutch Windows laptop writes; try it before giving up.
        try:
            return _check_text(data.decode("cp1252"), name), "cp1252"
        except UnicodeDecodeError:
            raise _not_text(name) from None
    enc = best.encoding
    if enc in ("latin_1", "iso8859_15", "mac_roman", "cp850"):
        # The same bytes in cp1252 give curly quotes and the euro sign instead of control
        # characters; prefer it whenever it decodes, as Windows wrote the file.
        try:
            return _check_text(data.decode("cp1252"), name), "cp1252"
        except UnicodeDecodeError:
            pass
    return _check_text(str(best), name), enc


def _decode_as(data: bytes, encoding: str, name: str) -> str:
    """The text in the encoding the user named (``--encoding``)."""
    try:
        text = data.decode(encoding)
    except LookupError:
        raise ImportFileError(f"De tekenset '{encoding}' is onbekend.") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is niet in de tekenset '{encoding}' geschreven (onleesbaar teken op "
            f"positie {exc.start}). Laat --encoding weg om de tekenset te laten herkennen."
        ) from None
    return _check_text(text.lstrip("\ufeff"), name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} begint als {ENCODING_NAMES.get(encoding, encoding)}-tekst, maar is op "
            f"positie {exc.start} beschadigd. Exporteer de lijst opnieuw."
        ) from None
    return _check_text(text.lstrip("\ufeff"), name)


def _not_text(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} is geen tekst- of CSV-bestand (of de tekenset is onbekend). Exporteer de "
        "leerlinglijst uit het LVS als CSV of als Excel-bestand (.xlsx)."
    )


def _check_text(text: str, name: str) -> str:
    """Refuse binary data that happened to decode (every byte is valid Latin-1)."""
    sample = text[:20000]
    if not sample.strip():
        raise ImportFileError(f"{name} is leeg: er staan geen leerlingen in.")
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    control += sample.count("\ufffd")
    if control > max(2, len(sample) // 100):
        raise _not_text(name)
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: csv.Sniffer first, then a count of candidates per line."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    sample = "\n".join(lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS))
        if dialect.delimiter in DELIMITERS and _splits_evenly(lines, dialect.delimiter):
            return dialect.delimiter
    except csv.Error:
        pass
    best, best_score = DELIMITERS[0], -1.0
    for cand in DELIMITERS:
        counts = [_count_outside_quotes(ln, cand) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        # Most common non-zero count, weighted by how many lines agree on it.
        common = max(set(counts), key=counts.count)
        agree = counts.count(common) / len(counts)
        score = agree * 10 + min(common, 30) / 30
        if common == 0:
            score = 0
        if score > best_score:
            best, best_score = cand, score
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


def _splits_evenly(lines: Sequence[str], delimiter: str) -> bool:
    counts = [_count_outside_quotes(ln, delimiter) for ln in lines[:20]]
    if not counts or counts[0] == 0:
        return False
    common = max(set(counts), key=counts.count)
    return common > 0 and counts.count(common) >= len(counts) * 0.6


def _read_csv_bytes(path: Path, data: bytes, encoding: str | None) -> Table:
    name = f"Het bestand '{path.name}'"
    text, enc = decode_text(data, name, encoding)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[Any]] = []
    try:
        for rec in reader:
            records.append([" ".join(c.split()) if c else "" for c in rec])
    except csv.Error as exc:
        raise ImportFileError(
            f"{name} is geen geldig CSV-bestand ({exc}). Exporteer de lijst opnieuw."
        ) from None
    table = _table_from_records(path, "csv", records, list(range(1, len(records) + 1)))
    table.encoding, table.delimiter = enc, delimiter
    return table


# ----------------------------------------------------------------------------- Excel


def _read_xlsx(path: Path) -> Table:
    """The first non-empty sheet of a workbook, read in read-only mode (fast, low memory)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    broken = ImportFileError(
        f"Het Excel-bestand '{path.name}' is beschadigd of niet volledig (bijvoorbeeld een "
        "onderbroken download of kopie). Open het in Excel, sla het opnieuw op en probeer het "
        "nog eens."
    )
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError, ValueError):
        raise broken from None
    except Exception:  # openpyxl raises many kinds on malformed XML
        raise broken from None
    try:
        sheets = [wb.active] + [ws for ws in wb.worksheets if ws is not wb.active]
        for ws in sheets:
            if ws is None:
                continue
            records: list[list[Any]] = []
            numbers: list[int] = []
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                values = [_xlsx_value(v) for v in row]
                while values and values[-1] is None:
                    values.pop()
                records.append(values)
                numbers.append(number)
            if any(any(v is not None for v in r) for r in records):
                table = _table_from_records(path, "xlsx", records, numbers)
                table.sheet = ws.title
                return table
    except ImportFileError:
        raise
    except Exception:
        raise broken from None
    finally:
        wb.close()
    raise ImportFileError(f"Het Excel-bestand '{path.name}' is leeg: er staan geen leerlingen in.")


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, str):
        v = " ".join(v.split())
        return v or None
    return v


# ----------------------------------------------------------------------------- both


def _table_from_records(
    path: Path, kind: str, records: list[list[Any]], numbers: list[int]
) -> Table:
    """Find the header row (a title line may come first) and keep the non-empty rows below it."""

    def empty(rec: list[Any]) -> bool:
        return all(v is None or v == "" for v in rec)

    candidates = [(i, r) for i, r in enumerate(records[: HEADER_SEARCH_ROWS * 3]) if not empty(r)]
    candidates = candidates[:HEADER_SEARCH_ROWS]
    if not candidates:
        raise ImportFileError(f"Het bestand '{path.name}' is leeg: er staan geen leerlingen in.")
    best_i, best_score = candidates[0][0], -1.0
    for i, rec in candidates:
        score = header_row_score([cell_text(v) for v in rec])
        if score > best_score:
            best_i, best_score = i, score
    header_rec = records[best_i]
    headers = [cell_text(v) for v in header_rec]
    width = max((len(r) for r in records[best_i:]), default=len(headers))
    headers += [""] * (width - len(headers))
    # Name unnamed columns after their position, as Excel does, so the user can still map them.
    headers = [h or f"Kolom {_column_letter(k)}" for k, h in enumerate(headers)]
    rows: list[list[Any]] = []
    row_numbers: list[int] = []
    for rec, number in zip(records[best_i + 1 :], numbers[best_i + 1 :], strict=True):
        if empty(rec):
            continue
        rows.append(rec)
        row_numbers.append(number)
    if not rows:
        raise ImportFileError(
            f"Het bestand '{path.name}' bevat alleen kolomnamen en geen leerlingen."
        )
    notes = []
    if best_i > 0:
        notes.append(
            f"De kolomnamen staan op rij {numbers[best_i]}; de regels erboven zijn overgeslagen."
        )
    return Table(
        path=path,
        kind=kind,
        headers=headers,
        rows=rows,
        row_numbers=row_numbers,
        header_row=numbers[best_i],
        notes=notes,
    )


def _column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA", as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
