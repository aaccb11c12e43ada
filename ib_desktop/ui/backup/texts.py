"""How a backup is described on screen: its moment and what it holds."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QCoreApplication,
)

from ib_desktop import backup as bk
from ib_desktop.dates import long_date


def moment(created: datetime) -> str:
    """ "17 november 2026, 14:05"."""
    return f"{long_date(created.date())}, {created:%H:%M}"


def describe_counts(info: bk.BackupInfo) -> str:
    """ "122 leerlingen, 59 documenten" (or that the backup could not be counted)."""
    if info.counts is None:
        return QCoreApplication.translate("backup", "aantallen onbekend")
    return QCoreApplication.translate("backup", "%d leerlingen, %d documenten") % (
        info.counts.pupils,
        info.counts.documents,
    )
