"""Menu "Afdrukken > OPP-register opslaan…": every OPP's start and end date as PDF or CSV.

The register is what the IB-er passes on to the national registry, so it is saved rather than
previewed: a PDF to file or print, or a CSV that Excel opens as it is. The file dialog offers
both; the chosen file type (or the name's extension) decides which is written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ib_desktop import APP_NAME
from ib_desktop.ui.context import AppContext, Navigator

FOLDER_SETTING = "opp_register/last_folder"


def _tr(text: str) -> str:
    return QCoreApplication.translate("opp_register_action", text)


def _filters() -> tuple[str, str]:
    return _tr("PDF-bestand (*.pdf)"), _tr("CSV-bestand voor Excel (*.csv)")


def target_path(path: str, chosen_filter: str) -> tuple[Path, str]:
    """The file to write and its kind ("pdf" or "csv"): the extension wins, else the filter."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix in (".pdf", ".csv"):
        return target, suffix[1:]
    kind = "csv" if chosen_filter == _filters()[1] else "pdf"
    return target.with_name(f"{target.name}.{kind}"), kind


def write_register(ctx: AppContext, target: Path, kind: str) -> int:
    """Write the whole register to ``target`` as "pdf" or "csv"; the number of OPPs on it."""
    from ib_desktop.reports.batch import write_atomic
    from ib_desktop.reports.opp_register import register_pdf
    from ib_desktop.services.opp_register import opp_register, write_register_csv
    from ib_desktop.services.school import get_school

    today = ctx.today()
    with ctx.db.session() as s:
        rows = opp_register(s, ctx.school_id, today=today)
        if kind == "csv":
            write_register_csv(rows, target)
        else:
            school = get_school(s, ctx.school_id)
            data = register_pdf(
                rows,
                school_name=school.name if school else "",
                today=today,
                logo_png=school.logo_png if school else None,
            )
            write_atomic(target, data)
    return len(rows)


def save_opp_register_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Menu "Afdrukken > OPP-register opslaan…": ask where, then write it as PDF or CSV."""
    settings = QSettings()
    folder = settings.value(FOLDER_SETTING) or str(Path.home())
    suggested = Path(folder) / f"OPP-register {ctx.today().isoformat()}.pdf"
    pdf_filter, csv_filter = _filters()
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        _tr("OPP-register opslaan"),
        str(suggested),
        f"{pdf_filter};;{csv_filter}",
    )
    if not path:
        return
    target, kind = target_path(path, chosen)
    failed: OSError | None = None
    count = 0
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        count = write_register(ctx, target, kind)
    except OSError as exc:
        failed = exc
    finally:
        QApplication.restoreOverrideCursor()
    if failed is not None:
        QMessageBox.warning(
            parent,
            APP_NAME,
            _tr("Het OPP-register kon niet worden opgeslagen in '%s': %s")
            % (str(target), failed.strerror or str(failed)),
        )
        return
    settings.setValue(FOLDER_SETTING, str(target.parent))
    opps = _tr("1 OPP") if count == 1 else _tr("%d OPP's") % count
    message = _tr("OPP-register opgeslagen in %s (%s).") % (str(target), opps)
    status_bar = getattr(parent, "statusBar", None)
    if callable(status_bar):
        status_bar().showMessage(message, 8000)
    else:
        QMessageBox.information(parent, APP_NAME, message)
