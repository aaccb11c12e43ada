"""The demo mark: which databases the generator made, so a demo school never lands beside a
real one."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.storage import DatabaseError

#: The setting that marks a database as made by the demo generator (the ids of its schools).
DEMO_MARK = "demo_database"
DEMO_SWV = "Samenwerkingsverband Passend Onderwijs Midden"


class DemoRefusedError(DatabaseError):
    """The database holds a real school: a demo school never goes in beside it."""


def demo_state(session: Session) -> bool | None:
    """True when the database was made by the demo generator, None when it has no school yet,
    False when it holds any school the generator did not make (a real school)."""
    from ib_desktop.models import School, Setting

    school_ids = set(session.scalars(sa.select(School.id)))
    if not school_ids:
        return None
    mark = session.get(Setting, DEMO_MARK)
    made = set((mark.value or {}).get("school_ids", [])) if mark is not None else set()
    return school_ids <= made


def made_by_an_older_demo(session: Session) -> bool:
    """A demo database from before the mark existed: only the generator's own school in it
    (its name, BRIN and samenwerkingsverband). Trusted only for the demo's own default file."""
    from ib_desktop.models import School

    rows = session.execute(sa.select(School.name, School.brin, School.swv_name)).all()
    return bool(rows) and all(
        (name, brin, swv) == ("OBS De Regenboog", "12AB", DEMO_SWV) for name, brin, swv in rows
    )


def refuse_real_school(session: Session) -> None:
    """Raise ``DemoRefusedError`` when the database holds a school the generator did not make."""
    if demo_state(session) is False:
        raise DemoRefusedError(
            "Deze database bevat een echte school; een demoschool komt nooit in een database "
            "met een andere school. Er is niets gewijzigd. Kies een nieuw bestand voor de "
            "demoschool."
        )


def mark_as_demo(session: Session, school_id: int) -> None:
    """Add ``school_id`` to the mark, so the next ``demo`` may renew this database."""
    from ib_desktop.models import Setting

    mark = session.get(Setting, DEMO_MARK)
    ids = sorted({*(((mark.value or {}).get("school_ids", [])) if mark else []), school_id})
    value = {"school_ids": ids, "made_by": "ib-desktop demo"}
    if mark is None:
        session.add(Setting(key=DEMO_MARK, value=value))
    else:
        mark.value = value
