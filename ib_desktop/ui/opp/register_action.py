"""Menu "Afdrukken > OPP-register opslaan…": every OPP's start and end date as PDF or CSV.

The register is what the IB-er passes on to the national registry, so it is saved rather than
previewed: a PDF to file or print, or a CSV that Excel opens as it is. The file dialog offers
both; the chosen file type (or the name's extension) decides which is written. A third type is
the CSV for the administration's upload, with the dates also as EEJJMMDD, DUO's format.

Before anything is written the register is checked against what DUO's register refuses; the
problems are listed per pupil and the IB-er decides whether to save it anyway (to look at it)
or to fix the files first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ib_desktop import APP_NAME
from ib_desktop.ui.context import AppContext, Navigator

FOLDER_SETTING = "opp_register/last_folder"


def _filters() -> tuple[str, str, str]:
    return (
        QCoreApplication.translate("opp_register_action", "PDF-bestand (*.pdf)"),
        QCoreApplication.translate("opp_register_action", "CSV-bestand voor Excel (*.csv)"),
        QCoreApplication.translate(
            "opp_register_action", "CSV voor de administratie, met DUO-datums EEJJMMDD (*.csv)"
        ),
    )


def target_path(path: str, chosen_filter: str) -> tuple[Path, str]:
    """The file to write and its kind ("pdf", "csv" or "duo-csv").

    The extension wins over the filter; a .csv under the administration's filter is "duo-csv".
    """
    target = Path(path)
    suffix = target.suffix.lower()
    duo = chosen_filter == _filters()[2]
    if suffix == ".csv":
        return target, "duo-csv" if duo else "csv"
    if suffix == ".pdf":
        return target, "pdf"
    kind = "duo-csv" if duo else "csv" if chosen_filter == _filters()[1] else "pdf"
    return target.with_name(f"{target.name}.{'pdf' if kind == 'pdf' else 'csv'}"), kind


def register_problems(ctx: AppContext) -> list[str]:
    """What DUO's register would refuse, one Dutch line per problem with the pupil's name."""
    from ib_desktop.services.opp.register import check_register, opp_register, school_is_sbo

    with ctx.db.session() as s:
        rows = opp_register(s, ctx.school_id, today=ctx.today())
        return [str(p) for p in check_register(rows, sbo_school=school_is_sbo(s, ctx.school_id))]


def problems_text(problems: list[str], limit: int = 15) -> str:
    """The problems as the message box shows them (the first ``limit``, then a count)."""
    lines = [f"• {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(
            QCoreApplication.translate("opp_register_action", "… en nog %d")
            % (len(problems) - limit)
        )
    return "\n".join(lines)


def write_register(ctx: AppContext, target: Path, kind: str) -> int:
    """Write the whole register to ``target`` as "pdf" or "csv"; the number of OPPs on it."""
    from ib_desktop.reports.batch import write_atomic
    from ib_desktop.reports.opp_register import register_pdf
    from ib_desktop.services.opp.register import (
        check_register,
        opp_register,
        school_is_sbo,
        write_register_csv,
    )
    from ib_desktop.services.school import get_school

    today = ctx.today()
    with ctx.db.session() as s:
        rows = opp_register(s, ctx.school_id, today=today)
        if kind in ("csv", "duo-csv"):
            write_register_csv(rows, target, duo_dates=kind == "duo-csv")
        else:
            school = get_school(s, ctx.school_id)
            data = register_pdf(
                rows,
                school_name=school.name if school else "",
                today=today,
                logo_png=school.logo_png if school else None,
                problems=check_register(rows, sbo_school=school_is_sbo(s, ctx.school_id)),
            )
            write_atomic(target, data)
        # Who saw what (issue 19): every pupil on the register, in one statement.
        from ib_desktop.ui.widgets.view_logging import EXPORTED, PRINTED, log_views

        csv = kind in ("csv", "duo-csv")
        log_views(
            s, ctx, [r.pupil_id for r in rows], EXPORTED if csv else PRINTED,
            "OPP-register (CSV)" if csv else "OPP-register",
        )  # fmt: skip
    return len(rows)


def save_opp_register_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Menu "Afdrukken > OPP-register opslaan…": ask where, then write it as PDF or CSV."""
    settings = QSettings()
    folder = settings.value(FOLDER_SETTING) or str(Path.home())
    suggested = Path(folder) / (
        QCoreApplication.translate("opp_register_action", "OPP-register %s.pdf")
        % ctx.today().isoformat()
    )
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("opp_register_action", "OPP-register opslaan"),
        str(suggested),
        ";;".join(_filters()),
    )
    if not path:
        return
    target, kind = target_path(path, chosen)
    problems = register_problems(ctx)
    if problems:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "opp_register_action",
                "DUO weigert dit OPP-register zo. Los deze problemen op in de leerlingdossiers "
                "voordat u het register aan de administratie geeft:\n\n%s\n\n"
                "Toch opslaan, om het na te kijken?",
            )
            % problems_text(problems),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
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
            QCoreApplication.translate(
                "opp_register_action", "Het OPP-register kon niet worden opgeslagen in '%s': %s"
            )
            % (str(target), failed.strerror or str(failed)),
        )
        return
    settings.setValue(FOLDER_SETTING, str(target.parent))
    opps = (
        QCoreApplication.translate("opp_register_action", "1 OPP")
        if count == 1
        else QCoreApplication.translate("opp_register_action", "%d OPP's") % count
    )
    message = QCoreApplication.translate(
        "opp_register_action", "OPP-register opgeslagen in %s (%s)."
    ) % (str(target), opps)
    status_bar = getattr(parent, "statusBar", None)
    if callable(status_bar):
        status_bar().showMessage(message, 8000)
    else:
        QMessageBox.information(parent, APP_NAME, message)
