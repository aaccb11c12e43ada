"""``ib-desktop print`` leaves a line in the view log of every pupil it printed (issue 19)."""

from __future__ import annotations

import sqlalchemy as sa

from ib_desktop.cli import main
from ib_desktop.models import Group, Opp, ViewLogEntry


def _log(demo_db) -> list[tuple[int | None, str, str, str]]:
    with demo_db.session() as s:
        return [
            tuple(r)
            for r in s.execute(
                sa.select(
                    ViewLogEntry.pupil_id, ViewLogEntry.action, ViewLogEntry.what,
                    ViewLogEntry.login,
                ).order_by(ViewLogEntry.id)
            )
        ]  # fmt: skip


def test_printing_one_pupil_a_group_and_the_register_is_logged(
    demo_db, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("IB_DESKTOP_USER", "ineke")
    with demo_db.session() as s:
        opp = s.scalars(sa.select(Opp).order_by(Opp.id)).first()
        pupil_id = opp.pupil_id
        group = s.get(Group, opp.pupil.group_id)
        group_name = group.name
        with_opp = set(s.scalars(sa.select(Opp.pupil_id).where(Opp.pupil.has(group_id=group.id))))
    assert _log(demo_db) == []
    db = str(demo_db.path)
    assert main(["print", "profile", "--pupil", str(pupil_id), "-o", str(tmp_path / "p.pdf"),
                 "--database", db]) == 0  # fmt: skip
    assert main(["print", "opp", "--group", group_name, "-o", str(tmp_path / "g.pdf"),
                 "--database", db]) == 0  # fmt: skip
    main(["print", "opp-register", "--ignore-problems", "-o", str(tmp_path / "r.csv"),
          "--database", db])  # fmt: skip
    capsys.readouterr()
    log = _log(demo_db)
    assert (pupil_id, "afgedrukt", "Eén pagina voor overleg (ib-desktop print)", "ineke") in log
    group_lines = {p for p, _a, what, _l in log if what.startswith(f"OPP (groep {group_name})")}
    assert group_lines
    assert group_lines <= with_opp
    exported = [p for p, a, what, _l in log if a == "geexporteerd" and "OPP-register" in what]
    assert pupil_id in exported
