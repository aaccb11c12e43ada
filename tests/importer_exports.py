"""Realistic LVS exports for the import tests, built in memory (no files shipped).

A small school of 26 pupils in seven groups, with the names exports really contain (ë, é,
tussenvoegsels), two teachers per combination group, and the same school one year later.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import sqlalchemy as sa

#: (lvs id, roepnaam, tussenvoegsel, achternaam, geboortedatum, geslacht, groep)
PUPILS: list[tuple[str, str, str, str, date, str, str]] = [
    ("2001", "Zoë", "", "Jansen", date(2021, 3, 14), "V", "1/2"),
    ("2002", "Daan", "van der", "Berg", date(2020, 11, 2), "M", "1/2"),
    ("2003", "Noël", "de", "Vries", date(2021, 1, 30), "M", "1/2"),
    ("2004", "Fleur", "", "Bakker", date(2020, 9, 9), "V", "1/2"),
    ("2005", "Hélène", "", "Dubois", date(2019, 6, 21), "V", "3"),
    ("2006", "Sem", "", "Visser", date(2019, 2, 3), "M", "3"),
    ("2007", "Lotte", "van", "Dijk", date(2019, 8, 17), "V", "3"),
    ("2008", "Mees", "", "Smit", date(2018, 4, 5), "M", "4"),
    ("2009", "Anaïs", "", "Meijer", date(2018, 7, 28), "V", "4"),
    ("2010", "Luuk", "de", "Boer", date(2018, 1, 11), "M", "4"),
    ("2011", "Saar", "", "Mulder", date(2017, 5, 19), "V", "5A"),
    ("2012", "Thijs", "de", "Groot", date(2017, 3, 8), "M", "5A"),
    ("2013", "Julia", "", "Bos", date(2017, 9, 1), "V", "5B"),
    ("2014", "Finn", "", "Vos", date(2017, 12, 24), "M", "5B"),
    ("2015", "Emma", "", "Peters", date(2016, 2, 29), "V", "6"),
    ("2016", "Daniël", "", "Hendriks", date(2016, 10, 10), "M", "6"),
    ("2017", "Tess", "van", "Leeuwen", date(2016, 6, 6), "V", "6"),
    ("2018", "Bram", "", "Dekker", date(2015, 4, 14), "M", "7"),
    ("2019", "Evi", "", "Brouwer", date(2015, 11, 30), "V", "7"),
    ("2020", "Jesse", "de", "Wit", date(2015, 1, 2), "M", "7"),
    ("2021", "Sophie", "", "Dijkstra", date(2014, 8, 8), "V", "8"),
    ("2022", "Milan", "", "Smits", date(2014, 3, 3), "M", "8"),
    ("2023", "Nora", "van den", "Heuvel", date(2014, 12, 12), "V", "8"),
    ("2024", "Chloë", "", "Koster", date(2014, 5, 25), "V", "8"),
    ("2025", "Ruben", "", "Prins", date(2019, 10, 31), "M", "3"),
    ("2026", "Yara", "el", "Idrissi", date(2018, 2, 14), "V", "4"),
]
TEACHERS = {
    "1/2": "J. de Vries / P. Jansen",
    "3": "Jansen, Piet",
    "4": "M. Bakker",
    "5A": "Juf Anna",
    "5B": "K. van Dam",
    "6": "R. Smit",
    "7": "L. de Jong",
    "8": "W. Kok",
}


@dataclass(frozen=True)
class Row:
    """One pupil as an LVS export holds them."""

    lvs_id: str
    first: str
    tv: str
    last: str
    birth: date
    gender: str
    group: str
    enrolled: date | None = None

    @property
    def teacher(self) -> str:
        return TEACHERS.get(self.group.removeprefix("Groep ").strip(), "")


def this_year() -> list[Row]:
    """The school in 2025-2026 (enrolled on their fourth birthday's school day)."""
    return [
        Row(i, f, tv, ln, b, g, grp, enrolled=date(b.year + 4, b.month, 1))
        for i, f, tv, ln, b, g, grp in PUPILS
    ]


def next_year(rows: list[Row]) -> list[Row]:
    """One year on: everyone moves up a group, group 8 has left, three new kleuters."""
    moved = []
    for r in rows:
        if r.group == "8":
            continue  # to secondary school
        if r.group == "1/2":
            new = "1/2" if r.birth.year >= 2021 else "3"
        elif r.group in ("5A", "5B"):
            new = "6"
        else:
            new = str(int(r.group) + 1)
        moved.append(replace(r, group=new))
    moved += [
        Row("2101", "Liv", "", "Vermeulen", date(2022, 1, 9), "V", "1/2", date(2026, 2, 1)),
        Row("2102", "Otis", "van", "Beek", date(2022, 3, 3), "M", "1/2", date(2026, 4, 1)),
        Row("2103", "Isa", "", "Kuipers", date(2021, 12, 1), "V", "1/2", date(2025, 12, 1)),
    ]
    return moved


PARNASSYS_HEADERS = {
    "lvs_id": "Leerlingnummer",
    "last": "Achternaam",
    "tv": "Voorvoegsel",
    "first": "Roepnaam",
    "birth": "Geboortedatum",
    "gender": "Geslacht",
    "group": "Groep",
    "teacher": "Leerkracht(en)",
    "enrolled": "Datum inschrijving",
}


def rows_as_table(
    rows: list[Row],
    headers: dict[str, str] | None = None,
    *,
    date_format: str = "%d-%m-%Y",
    group_prefix: str = "",
) -> list[list[Any]]:
    """Header row plus data rows as text cells, in the order of ``headers``."""
    headers = headers or PARNASSYS_HEADERS
    out: list[list[Any]] = [list(headers.values())]
    for r in rows:
        cells = {
            "lvs_id": r.lvs_id,
            "last": r.last,
            "tv": r.tv,
            "first": r.first,
            "birth": r.birth.strftime(date_format),
            "gender": r.gender,
            "group": group_prefix + r.group,
            "teacher": r.teacher,
            "enrolled": r.enrolled.strftime(date_format) if r.enrolled else "",
            "last_with_tv": f"{r.tv} {r.last}".strip(),
            "full": f"{r.last}, {r.first} {r.tv}".strip(),
        }
        out.append([cells[k] for k in headers])
    return out


def csv_bytes(
    table: list[list[Any]], *, encoding: str = "utf-8-sig", delimiter: str = ";"
) -> bytes:
    """The table written as Excel or an LVS writes CSV."""
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buf.getvalue().encode(encoding)


def write_csv(path: Path, table: list[list[Any]], **kwargs: Any) -> Path:
    """Write :func:`csv_bytes` to ``path``."""
    path.write_bytes(csv_bytes(table, **kwargs))
    return path


def write_xlsx(path: Path, rows: list[Row], *, serial_dates: bool = False) -> Path:
    """An Excel export: real date cells (or Excel serial numbers) and numeric pupil numbers."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Leerlingen"
    ws.append(["Leerlingoverzicht OBS De Test"])  # a title line above the headers
    ws.append([])
    ws.append(
        [
            "LVS-id",
            "Naam (achternaam)",
            "Tussenvoegsels",
            "Voornaam",
            "Geb. datum",
            "Groepsnaam",
            "Groepsleerkracht",
        ]
    )
    for r in rows:
        birth: Any = datetime(r.birth.year, r.birth.month, r.birth.day)
        if serial_dates:
            birth = (r.birth - date(1899, 12, 30)).days
        ws.append([int(r.lvs_id), r.last, r.tv, r.first, birth, f"Groep {r.group}", r.teacher])
        if not serial_dates:
            ws.cell(ws.max_row, 5).number_format = "DD-MM-YYYY"
    wb.save(path)
    return path


def dump(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: to show that a refused import changed nothing at all."""
    out = {}
    with db.engine.connect() as conn:
        for name in sorted(sa.inspect(conn).get_table_names()):
            out[name] = [
                tuple(r) for r in conn.execute(sa.text(f'SELECT * FROM "{name}" ORDER BY 1'))
            ]
    return out


# ----------------------------------------------------------------------------- EDEXML

EDEX_NS = "http://www.edustandaard.nl/leerresultaten/2/edex"


@dataclass(frozen=True)
class EdexPupil:
    """A ``leerling`` element: key (LVS number), names, birth date, gender code, group ref."""

    key: str
    roepnaam: str
    voorvoegsel: str
    achternaam: str
    birth: str  # YYYY-MM-DD, as EDEXML writes it
    geslacht: str  # "1" jongen, "2" meisje
    jaargroep: str
    groep: str = ""  # key of a groep
    samengesteld: str = ""  # key of a samengestelde_groep
    voornamen: str = ""
    instroom: str = ""


#: The school of the EDEXML tests: groups 5a (two teachers), a combination group 1/2 and a
#: combination group named without numbers ("Uilen", groups 3 and 4); Turkish, NFD, Moroccan,
#: Portuguese and Flemish names.
EDEX_PUPILS = [
    EdexPupil("3001", "Ayşe", "", "Yılmaz", "2016-03-12", "2", "5", groep="G5",
              instroom="2020-03-12"),
    EdexPupil("3002", unicodedata.normalize("NFD", "Zoë"), "",
              unicodedata.normalize("NFD", "Brouwër"), "2021-01-30", "2", "1", samengesteld="SG12"),
    EdexPupil("3003", "Daan", "van der", "Berg", "2020-11-02", "1", "2", samengesteld="SG12"),
    EdexPupil("3004", "Noah", "", "El Amrani", "2016-07-01", "1", "5", groep="G5"),
    EdexPupil("3005", "Sem", "", "Dos Santos", "2019-02-03", "1", "3", samengesteld="UIL"),
    EdexPupil("3006", "", "", "De Smet", "2018-04-05", "2", "4", samengesteld="UIL",
              voornamen="Fenna Maria"),
]  # fmt: skip
#: (key, roepnaam, voorvoegsel, achternaam, group keys, combination group keys)
EDEX_TEACHERS = [
    ("T1", "Anna", "de", "Vries", ["G5"], []),
    ("T2", "Mohamed", "", "El Amrani", ["G5"], []),
    ("T3", "Joke", "van der", "Berg", [], ["SG12"]),
    ("T4", "Piet", "", "Jansen", [], ["UIL"]),
]


def edexml_text(
    pupils: list[EdexPupil] | None = None,
    *,
    namespace: str | None = EDEX_NS,
    prefix: str = "",
    schooljaar: str = "2025-2026",
    brincode: str = "99ZZ",
) -> str:
    """An EDEX.XML as ParnasSys writes it (EDEXML 2.x), with or without a namespace."""
    pupils = EDEX_PUPILS if pupils is None else pupils
    p = f"{prefix}:" if prefix and namespace else ""

    def el(name: str, text: str = "", **attrs: str) -> str:
        attr = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
        return f"<{p}{name}{attr}>{escape(text)}</{p}{name}>"

    if namespace is None:
        decl = ""
    elif prefix:
        decl = f' xmlns:{prefix}="{namespace}"'
    else:
        decl = f' xmlns="{namespace}"'
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}EDEX{decl}>']
    out.append(
        f"<{p}school>{el('schooljaar', schooljaar)}{el('brincode', brincode)}"
        f"{el('dependancecode', '00')}{el('aanmaakdatum', '2025-10-01T08:00:00')}"
        f"{el('auteur', 'ParnasSys')}{el('xsdversie', '2.1')}</{p}school>"
    )
    out.append(
        f"<{p}groepen>"
        f"<{p}groep key=\"G5\">{el('naam', 'Groep 5a')}{el('jaargroep', '5')}</{p}groep>"
        f"</{p}groepen>"
    )
    out.append(
        f"<{p}samengestelde_groepen>"
        f"<{p}samengestelde_groep key=\"SG12\">{el('naam', '1/2')}</{p}samengestelde_groep>"
        f"<{p}samengestelde_groep key=\"UIL\">{el('naam', 'Uilen')}</{p}samengestelde_groep>"
        f"</{p}samengestelde_groepen>"
    )
    out.append(f"<{p}leerlingen>")
    for pupil in pupils:
        ref = ""
        if pupil.groep:
            ref += f'<{p}groep key="{pupil.groep}"/>'
        if pupil.samengesteld:
            ref += (
                f"<{p}samengestelde_groepen>"
                f'<{p}samengestelde_groep key="{pupil.samengesteld}"/>'
                f"</{p}samengestelde_groepen>"
            )
        out.append(
            f'<{p}leerling key="{pupil.key}">'
            + el("achternaam", pupil.achternaam)
            + el("voorvoegsel", pupil.voorvoegsel)
            + el("voornamen", pupil.voornamen or pupil.roepnaam)
            + el("roepnaam", pupil.roepnaam)
            + el("geboortedatum", pupil.birth)
            + el("geslacht", pupil.geslacht)
            + el("jaargroep", pupil.jaargroep)
            + el("instroomdatum", pupil.instroom)
            + ref
            + f"</{p}leerling>"
        )
    out.append(f"</{p}leerlingen>")
    out.append(f"<{p}leerkrachten>")
    for key, first, tv, last, groups, combined in EDEX_TEACHERS:
        refs = "".join(f'<{p}groep key="{g}"/>' for g in groups)
        crefs = "".join(f'<{p}samengestelde_groep key="{g}"/>' for g in combined)
        out.append(
            f'<{p}leerkracht key="{key}">'
            + el("achternaam", last)
            + el("voorvoegsel", tv)
            + el("roepnaam", first)
            + (f"<{p}groepen>{refs}</{p}groepen>" if refs else "")
            + (f"<{p}samengestelde_groepen>{crefs}</{p}samengestelde_groepen>" if crefs else "")
            + f"</{p}leerkracht>"
        )
    out.append(f"</{p}leerkrachten>")
    out.append(f"</{p}EDEX>")
    return "\n".join(out)


def write_edexml(path: Path, pupils: list[EdexPupil] | None = None, **kwargs: Any) -> Path:
    """Write :func:`edexml_text` as UTF-8 to ``path`` (named EDEX.XML by ParnasSys)."""
    path.write_text(edexml_text(pupils, **kwargs), encoding="utf-8")
    return path
