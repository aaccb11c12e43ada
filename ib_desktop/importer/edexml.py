"""Reading EDEXML (``EDEX.XML``): what ParnasSys and ESIS export for other software.

The Edustandaard format (EDEXML 2.x) holds the school (schooljaar, brincode), the groups
(``groepen/groep``) and combination groups (``samengestelde_groepen/samengestelde_groep``),
the pupils (``leerlingen/leerling``, keyed by their LVS number) and the teachers
(``leerkrachten/leerkracht``) with references to their groups. The file becomes a
:class:`~ib_desktop.importer.table.Table` with a fixed column mapping, so the rest of the
import (plan, preview, dry run, all-or-nothing apply, report) is the same as for a CSV.

Elements are matched by their local name: exports come with and without the EDEXML
namespace. An LVS export is semi-trusted, so it is parsed with defusedxml (no entity
expansion, no external entities).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from ib_desktop.importer.columns import Field
from ib_desktop.importer.table import ImportFileError, Table
from ib_desktop.importer.values import PersonName, TeacherList
from ib_desktop.names import nfc

#: The columns an EDEXML file is read into, with the field each one fills.
COLUMNS: list[tuple[str, Field | None]] = [
    ("Leerlingnummer", Field.LVS_ID),
    ("Achternaam", Field.LAST_NAME),
    ("Voorvoegsel", Field.TUSSENVOEGSEL),
    ("Roepnaam", Field.FIRST_NAME),
    ("Voornamen", None),
    ("Geboortedatum", Field.BIRTH_DATE),
    ("Geslacht", Field.GENDER),
    ("Groep", Field.GROUP),
    ("Jaargroep", Field.GRADE),
    ("Leerkracht(en)", Field.TEACHER),
    ("Instroomdatum", Field.ENROLLED_ON),
]


def _local(tag: Any) -> str:
    """ "{http://...}leerling" -> "leerling" (comments and processing instructions: "")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Element | None, name: str) -> Iterator[Element]:
    if el is None:
        return
    for child in el:
        if _local(child.tag) == name:
            yield child


def _child(el: Element | None, name: str) -> Element | None:
    return next(_children(el, name), None)


def _text(el: Element | None, name: str) -> str:
    child = _child(el, name)
    if child is None or child.text is None:
        return ""
    return nfc(child.text)


def _key(el: Element) -> str:
    """The ``key`` attribute (namespaced or not), or the element's text as a fallback."""
    for attr, value in el.attrib.items():
        if _local(attr) == "key":
            return " ".join(value.split())
    return " ".join((el.text or "").split())


def _refs(el: Element, single: str, plural: str) -> list[str]:
    """The keys referred to as ``<single key=".."/>``, directly or inside ``<plural>``."""
    keys = [_key(r) for r in _children(el, single)]
    for holder in _children(el, plural):
        keys += [_key(r) for r in _children(holder, single)]
    return [k for k in keys if k]


def _person(el: Element) -> PersonName:
    first = _text(el, "roepnaam")
    if not first:
        given = _text(el, "voornamen").split()
        first = given[0] if given else _text(el, "voorletters-1") or _text(el, "voorletters")
    return PersonName(first, _text(el, "voorvoegsel"), _text(el, "achternaam"))


def _parse(path: Path) -> Element:
    try:
        return DefusedET.parse(str(path)).getroot()
    except DefusedXmlException:
        raise ImportFileError(
            f"'{path.name}' bevat XML-constructies (entiteiten of verwijzingen naar andere "
            "bestanden) die een export van het LVS niet heeft; het wordt niet ingelezen. "
            "Exporteer het bestand opnieuw uit het LVS."
        ) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else 0
        where = f" (regel {line})" if line else ""
        raise ImportFileError(
            f"'{path.name}' is geen geldig XML-bestand{where}: het is beschadigd of onvolledig. "
            "Exporteer het bestand opnieuw uit het LVS."
        ) from None
    except OSError as exc:
        raise ImportFileError(
            f"Het bestand '{path.name}' kan niet worden gelezen: {exc.strerror}."
        ) from None


def read_edexml(path: str | Path) -> Table:
    """Read an EDEXML file into a table of pupils; raises :class:`ImportFileError` (Dutch)."""
    p = Path(path)
    root = _parse(p)
    pupils_el = _child(root, "leerlingen")
    if pupils_el is None:
        raise ImportFileError(
            f"'{p.name}' is een XML-bestand, maar geen EDEXML-export met leerlingen. Kies het "
            "bestand EDEX.XML uit ParnasSys of ESIS, of een CSV- of Excel-export."
        )
    school = _child(root, "school")
    groups = _Groups.read(root)
    pupils = list(_children(pupils_el, "leerling"))
    if not pupils:
        raise ImportFileError(f"'{p.name}' bevat geen leerlingen.")
    placed = [(el, *groups.place(el)) for el in pupils]
    notes = _unknown_groups_note(placed)
    groups.add_pupil_grades(placed)
    rows = [groups.row(el, key, kind) for el, key, kind in placed]
    return Table(
        path=p,
        kind="edexml",
        headers=[h for h, _f in COLUMNS],
        rows=rows,
        row_numbers=list(range(1, len(rows) + 1)),
        school_year=_text(school, "schooljaar"),
        brin=_text(school, "brincode"),
        mapping={i: f for i, (_h, f) in enumerate(COLUMNS)},
        notes=notes,
    )


def _group_refs(el: Element) -> list[str]:
    """The keys of the groups and combination groups an element refers to."""
    return _refs(el, "groep", "groepen") + _refs(el, "samengestelde_groep", "samengestelde_groepen")


@dataclass
class _Groups:
    """The groups of the file, its combination groups, and the teachers of each."""

    groups: dict[str, tuple[str, str]]  # key -> (naam, jaargroep)
    combined: dict[str, str]  # key -> naam
    #: A combination group covers the grades of its pupils (or of the groups it is made of).
    combined_grades: dict[str, set[int]]
    teachers: dict[str, list[PersonName]]  # group key -> teachers

    @classmethod
    def read(cls, root: Element) -> _Groups:
        groups: dict[str, tuple[str, str]] = {}
        for g in _children(_child(root, "groepen"), "groep"):
            key = _key(g)
            if key:
                groups[key] = (_text(g, "naam") or key, _text(g, "jaargroep"))
        combined: dict[str, str] = {}
        combined_members: dict[str, list[str]] = {}  # key -> keys of groepen it is made of
        for g in _children(_child(root, "samengestelde_groepen"), "samengestelde_groep"):
            key = _key(g)
            if key:
                combined[key] = _text(g, "naam") or key
                combined_members[key] = _refs(g, "groep", "groepen")
        combined_grades: dict[str, set[int]] = {}
        for key, members in combined_members.items():
            grades = (groups[m][1] for m in members if m in groups)
            combined_grades[key] = {int(grade) for grade in grades if grade.isdigit()}
        return cls(groups, combined, combined_grades, _teachers(root))

    def place(self, el: Element) -> tuple[str, str]:
        """The key of the pupil's group and whether it is a combination group."""
        for key in _refs(el, "groep", "groepen"):
            if key in self.groups:
                return key, "groep"
        for key in _refs(el, "samengestelde_groep", "samengestelde_groepen"):
            if key in self.combined:
                return key, "samengesteld"
        return "", ""

    def add_pupil_grades(self, placed: list[tuple[Element, str, str]]) -> None:
        """A pupil's own grade widens the grades of its combination group."""
        for el, key, kind in placed:
            grade = _text(el, "jaargroep")
            if kind == "samengesteld" and grade.isdigit():
                self.combined_grades.setdefault(key, set()).add(int(grade))

    def row(self, el: Element, key: str, kind: str) -> list[Any]:
        """A pupil as a row of ``COLUMNS``: the group's name and grade(s), its teachers."""
        person = _person(el)
        grade = _text(el, "jaargroep")
        group_name = ""
        if kind == "groep":
            group_name, group_grade = self.groups[key]
            grade = group_grade or grade
        elif kind == "samengesteld":
            group_name = self.combined[key]
            found = sorted(self.combined_grades.get(key, ()))
            if found:
                grade = str(found[0]) if len(found) == 1 else f"{found[0]}-{found[-1]}"
        return [
            _key(el),
            person.last_name,
            person.tussenvoegsel,
            person.first_name,
            _text(el, "voornamen"),
            _text(el, "geboortedatum"),
            _text(el, "geslacht"),
            group_name,
            grade,
            TeacherList(self.teachers.get(key, [])) if key else TeacherList(),
            _text(el, "instroomdatum"),
        ]


def _teachers(root: Element) -> dict[str, list[PersonName]]:
    """Per group key (plain or combination) its teachers, each once, in file order."""
    teachers: dict[str, list[PersonName]] = {}
    for t in _children(_child(root, "leerkrachten"), "leerkracht"):
        person = _person(t)
        if not (person.first_name or person.last_name):
            continue
        for key in _group_refs(t):
            names = teachers.setdefault(key, [])
            if person not in names:
                names.append(person)
    return teachers


def _unknown_groups_note(placed: list[tuple[Element, str, str]]) -> list[str]:
    """A note when pupils refer to groups the file does not describe."""
    unknown = sorted({ref for el, key, _kind in placed if not key for ref in _group_refs(el)})
    if not unknown:
        return []
    return [
        "Sommige leerlingen verwijzen naar een groep die niet in het bestand staat ("
        + ", ".join(unknown[:10])
        + "); zij worden zonder groep ingelezen. Exporteer de groepen mee uit het LVS."
    ]
