"""The inzage ZIP: the readable PDF and the JSON of a pupil's whole file, for the parents.

Written to the place the user chose, private to the user (0600, like every file with personal
data), whole or not at all (a temporary file renamed at the end). With a password the ZIP is
AES-256 encrypted (WinZip AES, ``pyzipper``): Windows Explorer cannot open it, 7-Zip and macOS's
Archive Utility can, which the parents are told with the password. The export is written to
the pupil's change log.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyzipper

from ib_desktop.reports.inzage import inzage_pdf
from ib_desktop.services.privacy import export

if TYPE_CHECKING:
    from ib_desktop.storage import Database

PDF_NAME = "dossier.pdf"
JSON_NAME = "gegevens.json"
README_NAME = "LEESMIJ.txt"
README = """Kopie van het dossier van {name} (AVG artikel 15), gemaakt op {made}.

dossier.pdf     alle gegevens, leesbaar: elk document en elke versie, toestemmingen,
                gesprekken, niveaus, besprekingen en de wijzigingsgeschiedenis
gegevens.json   dezelfde gegevens in een vorm die een computer kan lezen

Vragen over deze gegevens? Neem contact op met de intern begeleider van {school}.
"""


@dataclass(frozen=True)
class InzageResult:
    """What was written."""

    path: Path
    tables: int
    rows: int
    protected: bool


def build_zip_bytes(data: dict, *, password: str | None) -> bytes:
    """The ZIP in memory: PDF, JSON and a short read-me."""
    pdf = inzage_pdf(data)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    made = datetime.fromisoformat(data["gemaakt_op"])
    readme = README.format(
        name=data["leerling"]["naam"], made=f"{made:%d-%m-%Y %H:%M}", school=data["school"]
    )
    fd, tmp = tempfile.mkstemp(suffix=".zip")
    os.close(fd)
    try:
        if password:
            archive: pyzipper.ZipFile = pyzipper.AESZipFile(
                tmp, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
            )
            archive.setpassword(password.encode("utf-8"))
        else:
            archive = pyzipper.ZipFile(tmp, "w", compression=pyzipper.ZIP_DEFLATED)
        with archive:
            archive.writestr(README_NAME, readme.encode("utf-8"))
            archive.writestr(PDF_NAME, pdf)
            archive.writestr(JSON_NAME, text.encode("utf-8"))
        return Path(tmp).read_bytes()
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_private(target: Path, content: bytes) -> None:
    """Write ``target`` private to the user (0600), through a temporary file in its folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp: 0600 already
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        os.chmod(target, 0o600)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_inzage(
    db: Database,
    pupil_id: int,
    target: Path,
    *,
    password: str | None = None,
    today: date,
    actor: str | None = None,
) -> InzageResult:
    """Write the inzage ZIP of one pupil to ``target`` and log it in the change log."""
    with db.session() as s:
        data = export.inzage_data(s, pupil_id, now=datetime.now().replace(microsecond=0))
    content = build_zip_bytes(data, password=password)
    write_private(target, content)
    with db.session() as s:
        export.record_export(s, pupil_id, protected=bool(password), today=today, actor=actor)
    tables = data["tabellen"]
    return InzageResult(
        path=target,
        tables=sum(1 for rows in tables.values() if rows),
        rows=sum(len(rows) for rows in tables.values()),
        protected=bool(password),
    )
