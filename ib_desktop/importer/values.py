"""Reading single values of an export: group names, teachers, names, gender, dates.

Each parser returns the clean value or raises ``ValueError`` with a short Dutch reason, which
becomes the reason of a rejected row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ib_desktop.dates import parse_date
from ib_desktop.importer.table import cell_text
from ib_desktop.names import (
    TUSSENVOEGSELS,
    fold_name,
    nfc,
    split_full_name,
    split_last_name,
    split_trailing_tussenvoegsel,
    split_tussenvoegsel,
)

GROUP_NAME_MAX = 20
_GROUP_WORDS = re.compile(
    r"^(?:combinatie)?(?:jaar)?(?:groep|grp|gr|klas|unit)(?:\.|\b|(?=\d))\s*", re.IGNORECASE
)
_GROUP = re.compile(
    r"^(?P<grades>\d{1,2}(?:\s*[/\-&+,]\s*\d{1,2})*)\s*[-\s]?\s*(?P<suffix>[^\W\d_]{0,12})$"
)
_KLEUTER = re.compile(r"kleuter", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedGroup:
    """A group as the app stores it: its name ("5A", "1/2") and the grades it covers."""

    name: str
    grade_low: int
    grade_high: int


def parse_group(text: Any, grade: Any = None) -> ParsedGroup | None:
    """ "groep 5", "Groep 5A", "5a", "gr. 7", "1/2", "1-2 b" -> a :class:`ParsedGroup`.

    A group named without a number ("Uilen") takes its grades from ``grade`` (the jaargroep
    column). None for an empty cell. Raises ValueError with the Dutch reason otherwise.
    """
    return _parse_group_text(cell_text(text), cell_text(grade))


@lru_cache(maxsize=1024)
def _parse_group_text(raw: str, grade_text: str) -> ParsedGroup | None:
    """Every pupil of a group has the same group text; it is parsed once."""
    if not raw:
        return None
    grades, suffix = _grades_and_suffix(raw)
    if grades is None:
        if grade_text:
            try:
                g_grades, _ = _grades_and_suffix(grade_text)
            except ValueError as exc:
                raise ValueError(f"jaargroep '{grade_text}': {exc}") from None
            if g_grades is None:
                raise ValueError(f"jaargroep '{grade_text}' is geen getal van 1 tot en met 8")
            return _checked(raw, g_grades[0], g_grades[-1])
        if _KLEUTER.search(raw):
            return _checked(raw, 1, 2)
        raise ValueError(
            f"groep '{raw}' is niet te herkennen: schrijf een groepsnummer van 1 tot en met 8 "
            "(bijvoorbeeld 5, 5A of 1/2) of koppel ook de kolom Jaargroep"
        )
    name = "/".join(str(g) for g in grades)
    if suffix:
        name += suffix.upper() if len(suffix) <= 2 else " " + suffix[:1].upper() + suffix[1:]
    return _checked(name, grades[0], grades[-1])


def _grades_and_suffix(raw: str) -> tuple[list[int] | None, str]:
    """The grade numbers and the letter(s) after them; (None, "") when there is no number."""
    rest = _GROUP_WORDS.sub("", raw.strip()).strip()
    m = _GROUP.match(rest)
    if not m:
        if re.search(r"\d", rest):
            raise ValueError(
                f"groep '{raw}' is niet te herkennen: schrijf bijvoorbeeld 5, 5A of 1/2"
            )
        return None, ""
    numbers = [int(n) for n in re.findall(r"\d+", m.group("grades"))]
    wrong = [n for n in numbers if not 1 <= n <= 8]
    if wrong:
        raise ValueError(f"groep '{raw}' bestaat niet in het basisonderwijs (groep 1 tot en met 8)")
    if len(numbers) == 2 and "-" in m.group("grades"):
        low, high = sorted(numbers)
        grades = list(range(low, high + 1))  # "4-6" is groep 4, 5 and 6
    else:
        grades = sorted(set(numbers))
    if grades[-1] - grades[0] + 1 != len(grades):
        raise ValueError(
            f"groep '{raw}' is geen aaneengesloten (combinatie)groep; schrijf bijvoorbeeld 4/5"
        )
    return grades, m.group("suffix")


def _checked(name: str, low: int, high: int) -> ParsedGroup:
    name = " ".join(name.split())
    if len(name) > GROUP_NAME_MAX:
        raise ValueError(f"groepsnaam '{name}' is te lang (hoogstens {GROUP_NAME_MAX} tekens)")
    return ParsedGroup(name, low, high)


# ----------------------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonName:
    """A name split the Dutch way."""

    first_name: str
    tussenvoegsel: str
    last_name: str

    @property
    def full_name(self) -> str:
        """ "Joke de Vries"."""
        return " ".join(p for p in (self.first_name, self.tussenvoegsel, self.last_name) if p)


class TeacherList(tuple[PersonName, ...]):
    """The teachers of a group as an export gave them name by name (EDEXML), not as text.

    Shown as "Anna de Vries / Piet Jansen"; :func:`parse_teachers` takes them as they are.
    """

    def __str__(self) -> str:
        return " / ".join(t.full_name for t in self)


_TEACHER_SEPARATORS = re.compile(r"\s*(?:/|&|\+|;|\|)\s*|\s+en\s+", re.IGNORECASE)
_TITLES = re.compile(
    r"^(?:juf(?:frouw)?|meester|mr|mevr(?:ouw)?|mw|dhr|de heer|hr)\.?\s+", re.IGNORECASE
)
#: Single words that can be (part of) a tussenvoegsel: "van", "der", "de", ...
_TV_WORDS = frozenset(w for tv in TUSSENVOEGSELS for w in tv.split())


def parse_teachers(text: Any) -> list[PersonName]:
    """ "J. de Vries / Jansen, Piet" -> two names; titles like "juf" are left out.

    "Anna de Vries, Piet Jansen" is two teachers too, where "Jansen, Piet" is one.
    """
    if isinstance(text, TeacherList):
        return list(text)
    return list(_parse_teachers_text(cell_text(text)))


def _is_whole_name(part: str) -> bool:
    """ "Anna de Vries" or "P. Jansen": a first name (or initial) and a surname, in that order."""
    words = _TITLES.sub("", part.strip()).split()
    return (
        len(words) >= 2
        and words[0].casefold() not in _TV_WORDS
        and words[-1].casefold() not in _TV_WORDS
    )


def _comma_list(chunk: str) -> list[str]:
    """Split "Anna de Vries, Piet Jansen" on its commas; keep "Jansen, Piet" whole."""
    parts = [p.strip() for p in chunk.split(",") if p.strip()]
    if len(parts) >= 2 and all(_is_whole_name(p) for p in parts):
        return parts
    return [chunk]


@lru_cache(maxsize=1024)
def _parse_teachers_text(raw: str) -> tuple[PersonName, ...]:
    raw = nfc(raw)
    if not raw:
        return ()
    out: list[PersonName] = []
    for chunk in _TEACHER_SEPARATORS.split(raw):
        for part in _comma_list(chunk):
            part = _TITLES.sub("", part.strip()).strip(" ,")
            if not part:
                continue
            first, tv, last = _split_whole_name(part)
            if not first and "," not in part and not tv:
                first, last = last, ""  # "juf Anna": a first name only
            if not (first or last):
                continue
            name = PersonName(first, tv, last)
            if name not in out:
                out.append(name)
    return tuple(out)


def _written_lowercase(tv: str, text: str) -> bool:
    """Whether the tussenvoegsel stands in ``text`` in lower case, as a Dutch one does.

    "El Amrani", "Dos Santos", "De Smet" (Moroccan, Portuguese, Flemish surnames) write the
    particle with a capital: it is part of the surname and must not become "el Amrani".
    """
    return re.search(rf"(?<![^\s,]){re.escape(tv)}(?![^\s,])", text) is not None


def _split_whole_name(text: str) -> tuple[str, str, str]:
    """:func:`split_full_name`, but a capitalised particle stays part of the surname."""
    first, tv, last = split_full_name(text)
    if tv and not _written_lowercase(tv, text):
        found = re.search(rf"(?<![^\s,]){re.escape(tv)}(?![^\s,])", text, re.IGNORECASE)
        written = found.group(0) if found else tv
        last = f"{written} {last}".strip()
        tv = ""
    return first, tv, last


def _split_surname(last_name: str) -> tuple[str, str]:
    """Split a tussenvoegsel off a surname column only when it is written as one (lower case)."""
    tv, rest = _split_last_name(last_name)
    if tv and not _written_lowercase(tv, last_name):
        return "", last_name
    return tv, rest


def pupil_name(
    *,
    full: Any = None,
    last: Any = None,
    tussenvoegsel: Any = None,
    first: Any = None,
    split_surname: bool = True,
) -> PersonName:
    """The pupil's name from whatever columns the export has, in NFC.

    A tussenvoegsel in the surname column ("van der Berg", "Berg, van der") is split off
    unless the export has a column of its own for it (``split_surname=False``); a particle
    written with a capital ("El Amrani", "De Smet") is part of the surname and stays.
    """
    first_name = nfc(cell_text(first))
    tv = nfc(cell_text(tussenvoegsel))
    last_name = nfc(cell_text(last))
    if full is not None and not last_name:
        f_first, f_tv, f_last = _split_whole_name(nfc(cell_text(full)))
        first_name = first_name or f_first
        tv = tv or f_tv
        last_name = f_last
    elif last_name:
        if tv:
            tv_l = tv.lower()
            low = last_name.lower()
            if low.startswith(tv_l + " "):
                last_name = last_name[len(tv) + 1 :].strip()
            elif low.endswith(", " + tv_l) or low.endswith("," + tv_l):
                last_name = last_name[: last_name.rfind(",")].strip()
        elif split_surname:
            tv, last_name = _split_surname(last_name)
    if first_name and not tv and " " in first_name and split_surname:
        # "Sanne van der" in the first name column (ParnasSys' "roepnaam + voorvoegsel").
        trailing, rest = split_trailing_tussenvoegsel(first_name)
        if trailing and rest:
            tv, first_name = trailing, rest
    return PersonName(first_name.strip(), " ".join(tv.split()), last_name.strip(" ,"))


# Surnames repeat in every school; splitting each one once saves most of the work on 10,000 rows.
_split_last_name = lru_cache(maxsize=8192)(split_last_name)


def person_key(first: str, tussenvoegsel: str, last: str) -> tuple[str, str]:
    """A comparison key that ignores case, spacing, accents, Unicode form and where the
    tussenvoegsel was put (see :func:`ib_desktop.names.fold_name`)."""
    return fold_name(first), fold_name(f"{tussenvoegsel} {last}")


_GENDERS = {
    "m": "m", "man": "m", "mannelijk": "m", "j": "m", "jongen": "m", "male": "m", "boy": "m",
    "v": "v", "vrouw": "v", "vrouwelijk": "v", "meisje": "v", "f": "v", "female": "v",
    "girl": "v", "w": "v",
    # EDEXML and the ParnasSys/ESIS exports write the code: 1 = jongen, 2 = meisje.
    "1": "m", "2": "v",
}  # fmt: skip


def parse_gender(text: Any) -> str:
    """ "M", "jongen", "V", "meisje" -> "m" or "v"; anything else is left empty (not an error)."""
    return _GENDERS.get(cell_text(text).casefold().strip("."), "")


_FLOAT_SERIAL = re.compile(r"^\d{4,5}\.0+$")


def parse_cell_date(value: Any, what: str) -> date | None:
    """A date from a cell (text, Excel date or serial); the ValueError names the column."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{what} '{value}' is geen datum")
    if isinstance(value, str):
        if _FLOAT_SERIAL.match(value.strip()):
            value = int(float(value))
        else:
            return _parse_text_date(value, what)
    if isinstance(value, int | float) and not 20000 < value < 80000:
        # A serial outside 1954-2119 is not a date of a pupil: a typo or a wrong column.
        raise ValueError(f"{what} '{cell_text(value)}' is geen datum")
    try:
        return parse_date(value)
    except ValueError as exc:
        text = str(exc)
        if "bestaande" in text:
            raise ValueError(f"{what} '{cell_text(value)}' bestaat niet") from None
        raise ValueError(f"{what} '{cell_text(value)}' is geen datum") from None


@lru_cache(maxsize=16384)
def _parse_text_date(value: str, what: str) -> date | None:
    """Text dates repeat (birthdays, enrolment days); each distinct one is parsed once."""
    try:
        return parse_date(value)
    except ValueError as exc:
        if "bestaande" in str(exc):
            raise ValueError(f"{what} '{value}' bestaat niet") from None
        raise ValueError(f"{what} '{value}' is geen datum") from None


def clean_lvs_id(value: Any) -> str | None:
    """The pupil number as text ("123456" also from an Excel number 123456.0); None if empty."""
    text = cell_text(value).strip()
    return text or None


__all__ = [
    "ParsedGroup",
    "PersonName",
    "TeacherList",
    "clean_lvs_id",
    "parse_cell_date",
    "parse_gender",
    "parse_group",
    "parse_teachers",
    "person_key",
    "pupil_name",
    "split_tussenvoegsel",
]
