"""Screenshot steps: Instellingen > Gebruikers with a few accounts, one disabled
(see tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    import sqlalchemy as sa

    from ib_desktop.models import Staff, StaffRole
    from ib_desktop.services import accounts

    password = "Voorbeeld-2026"
    with ctx.db.session() as s:
        staff = list(s.scalars(sa.select(Staff).order_by(Staff.id)))
        by_role = {r: [m for m in staff if m.role == r] for r in StaffRole}
        add = accounts.add_account
        add(s, ctx.school_id, "mdeboer", "beheer", password)
        ib = (by_role[StaffRole.IB] or staff)[0]
        add(s, ctx.school_id, "ib." + ib.last_name.split()[-1].lower(), "ib", password,
            staff=str(ib.id))  # fmt: skip
        for n, teacher in enumerate(by_role[StaffRole.LEERKRACHT][:5]):
            login = f"{teacher.first_name[0]}{teacher.last_name.split()[-1]}".lower()
            login = "".join(c for c in login if c.isascii() and c.isalnum()) or f"lk{n}"
            add(s, ctx.school_id, login, "leerkracht", password, staff=str(teacher.id))
        directie = by_role[StaffRole.DIRECTIE]
        if directie:
            add(s, ctx.school_id, "directie", "directie", password, staff=str(directie[0].id))
        last = accounts.list_accounts(s)[-1]
        accounts.disable_account(s, last.login)
    window.show_page("instellingen")
    tab = window.page("instellingen").tab("Gebruikers")
    tab.reload()
    tab.view.selectRow(1)
    return None
