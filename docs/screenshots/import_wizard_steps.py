"""Screenshot steps for docs/screenshots/import_wizard.png: the preview of next year's export.

    xvfb-run -a -s "-screen 0 1400x900x24" python tools/screenshot.py \
        docs/screenshots/import_wizard.png \
        --script docs/screenshots/import_wizard_steps.py

SHOT_STEP=file|mapping|preview|leavers|rejected|done picks the page or tab.
"""

import csv
import tempfile
from pathlib import Path

import sqlalchemy as sa

from ib_desktop.models import Group, Pupil, PupilStatus


def setup(window, ctx, app):
    from ib_desktop.ui.import_wizard import ImportWizard

    with ctx.db.session() as s:
        rows = s.execute(
            sa.select(Pupil, Group)
            .join(Group, Pupil.group_id == Group.id)
            .where(Pupil.status == PupilStatus.ACTIEF)
            .order_by(Group.name, Pupil.last_name)
        ).all()
        table = [
            [
                "Leerlingnummer",
                "Achternaam",
                "Voorvoegsel",
                "Roepnaam",
                "Geboortedatum",
                "Geslacht",
                "Groep",
                "Leerkracht(en)",
            ]
        ]
        for i, (p, g) in enumerate(rows):
            teacher = g.teachers[0] if g.teachers else None
            tname = (
                f"{teacher.first_name[0]}. "
                f"{teacher.tussenvoegsel + ' ' if teacher.tussenvoegsel else ''}{teacher.last_name}"
                if teacher
                else ""
            )
            group = f"Groep {g.name}"
            if i % 40 == 3:
                group = f"Groep {min(8, int(g.name[0]) + 1)}{g.name[1:]}"
            first = p.first_name + ("ne" if i % 97 == 5 else "")
            if i % 60 == 7:
                continue  # left school
            table.append(
                [
                    p.lvs_id,
                    p.last_name,
                    p.tussenvoegsel,
                    first,
                    p.birth_date.strftime("%d-%m-%Y"),
                    p.gender.upper(),
                    group,
                    tname,
                ]
            )
    table += [
        ["900001", "Vermeulen", "", "Liv", "09-01-2022", "V", "Groep 1/2", "J. de Vries"],
        ["900002", "Beek", "van", "Otis", "03-03-2022", "M", "Groep 1/2", "J. de Vries"],
        ["900003", "Klaassen", "", "Bo", "31-02-2019", "M", "Groep 3", ""],
        ["900004", "", "", "Mo", "01-02-2019", "M", "Groep 3", ""],
        ["900005", "Aksoy", "", "Elif", "14-06-2019", "V", "Uilen", ""],
    ]
    path = Path(tempfile.mkdtemp()) / "leerlingen-parnassys.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(table)
    wizard = ImportWizard(ctx, window)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    import os

    step = os.environ.get("SHOT_STEP", "preview")
    if step == "file":
        return wizard
    wizard.next()
    if step == "mapping":
        return wizard
    wizard.next()
    preview = wizard.preview_page
    preview.tabs.setCurrentIndex({"preview": 1, "leavers": 3, "rejected": 4}.get(step, 1))
    if step == "leavers":
        preview.leaver_model.set_all(True)
    if step == "done":
        wizard.next()
    return wizard
