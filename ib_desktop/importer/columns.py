"""Which column of an export holds what: guessing from Dutch LVS headers, remembering the choice.

Headers differ per system and per school ("Roepnaam", "Voornaam", "roepnaam leerling",
"Geb.datum", "Groepsnaam", "Groepsleerkracht(en)"), so they are compared without case, spaces,
accents or punctuation and scored against a list of known spellings. The user can change every
guess; the final choice is stored per header signature so that next year's export of the same
system is mapped without asking.
"""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import Setting


class Field(enum.StrEnum):
    """What a column can hold; the value is the name used on the command line (``--mapping``)."""

    LVS_ID = "leerlingnummer"
    LAST_NAME = "achternaam"
    TUSSENVOEGSEL = "tussenvoegsel"
    FIRST_NAME = "roepnaam"
    FULL_NAME = "naam"
    BIRTH_DATE = "geboortedatum"
    GENDER = "geslacht"
    GROUP = "groep"
    GRADE = "jaargroep"
    TEACHER = "leerkracht"
    ENROLLED_ON = "inschrijfdatum"
    FIRST_SCHOOL_DAY = "eerste_schooldag"

    @property
    def label(self) -> str:
        """The Dutch name shown in the wizard and the report."""
        return FIELD_LABELS[self]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark a label for translation without Qt (this layer is below ``ui/``).

    ``pyside6-lupdate`` finds the texts by this name; the wizard translates them where shown.
    """
    return text


FIELD_LABELS: dict[Field, str] = {
    Field.LVS_ID: QT_TRANSLATE_NOOP("ImportWizard", "Leerlingnummer (LVS)"),
    Field.LAST_NAME: QT_TRANSLATE_NOOP("ImportWizard", "Achternaam"),
    Field.TUSSENVOEGSEL: QT_TRANSLATE_NOOP("ImportWizard", "Tussenvoegsel"),
    Field.FIRST_NAME: QT_TRANSLATE_NOOP("ImportWizard", "Roepnaam"),
    Field.FULL_NAME: QT_TRANSLATE_NOOP("ImportWizard", "Volledige naam"),
    Field.BIRTH_DATE: QT_TRANSLATE_NOOP("ImportWizard", "Geboortedatum"),
    Field.GENDER: QT_TRANSLATE_NOOP("ImportWizard", "Geslacht"),
    Field.GROUP: QT_TRANSLATE_NOOP("ImportWizard", "Groep"),
    Field.GRADE: QT_TRANSLATE_NOOP("ImportWizard", "Jaargroep"),
    Field.TEACHER: QT_TRANSLATE_NOOP("ImportWizard", "Leerkracht(en)"),
    Field.ENROLLED_ON: QT_TRANSLATE_NOOP("ImportWizard", "Datum inschrijving"),
    Field.FIRST_SCHOOL_DAY: QT_TRANSLATE_NOOP("ImportWizard", "Eerste schooldag"),
}
IGNORE_LABEL = QT_TRANSLATE_NOOP("ImportWizard", "Niet importeren")
#: What ``--mapping KOLOM=-`` may also say to leave a column out.
IGNORE_WORDS = {"", "-", "negeren", "niets", "geen", "overslaan"}

#: Known header spellings per field, normalised (see :func:`normalize_header`), with a weight.
#: An exact match scores the weight; a header that merely contains the spelling scores less.
SYNONYMS: dict[Field, list[tuple[str, int]]] = {
    Field.LVS_ID: [
        ("leerlingnummer", 100), ("leerlingnr", 100), ("llnr", 95), ("llnummer", 95),
        ("lvsid", 100), ("lvsnummer", 100), ("leerlingid", 100), ("leerlingcode", 90),
        ("parnassysid", 100), ("esisid", 100), ("id", 70), ("nummer", 60), ("nr", 55),
        ("volgnummer", 40), ("stamnummer", 90),
    ],
    Field.LAST_NAME: [
        ("achternaam", 100), ("geslachtsnaam", 95), ("familienaam", 95), ("achternaamleerling", 95),
        ("achternaamofficieel", 90), ("naamofficieel", 80), ("achternaamroepnaam", 60),
    ],
    Field.TUSSENVOEGSEL: [
        ("tussenvoegsel", 100), ("tussenvoegsels", 100), ("voorvoegsel", 95),
        ("voorvoegsels", 95), ("tv", 80), ("tussenv", 90), ("voorv", 85),
    ],
    Field.FIRST_NAME: [
        ("roepnaam", 100), ("roepnaamleerling", 100), ("voornaam", 90), ("voornaamleerling", 90),
        ("voornamen", 60), ("voornamenleerling", 60), ("firstname", 80),
    ],
    Field.FULL_NAME: [
        ("naam", 75), ("leerling", 70), ("leerlingnaam", 80), ("naamleerling", 80),
        ("volledigenaam", 90), ("weergavenaam", 80), ("name", 60),
    ],
    Field.BIRTH_DATE: [
        ("geboortedatum", 100), ("gebdatum", 100), ("gebdat", 95), ("geboren", 90),
        ("geboortedag", 90), ("datumgeboorte", 95), ("geboortedatumleerling", 100),
        ("dob", 80), ("birthdate", 80),
    ],
    Field.GENDER: [
        ("geslacht", 100), ("sexe", 90), ("mv", 85), ("jongenmeisje", 90), ("gender", 80),
    ],
    Field.GROUP: [
        ("groep", 100), ("groepsnaam", 100), ("groepnaam", 100), ("klas", 95), ("stamgroep", 95),
        ("basisgroep", 90), ("huidigegroep", 95), ("klasnaam", 95), ("groepleerling", 95),
        ("group", 70), ("unit", 50),
    ],
    Field.GRADE: [
        ("jaargroep", 100), ("leerjaar", 90), ("groepsniveau", 80), ("jaarlaag", 85),
    ],
    Field.TEACHER: [
        ("leerkracht", 100), ("leerkrachten", 100), ("groepsleerkracht", 100),
        ("groepsleerkrachten", 100), ("leerkrachtgroep", 95), ("mentor", 85), ("docent", 80),
        ("stamgroepleider", 90), ("groepsleider", 85), ("teacher", 70),
    ],
    Field.ENROLLED_ON: [
        ("datuminschrijving", 100), ("inschrijfdatum", 100), ("inschrijvingsdatum", 100),
        ("ingeschreven", 85), ("ingeschrevenop", 95), ("datumingeschreven", 95),
        ("instroomdatum", 90), ("datuminstroom", 90), ("datumopschool", 85),
        ("ingangsdatum", 60), ("startdatum", 60),
    ],
    Field.FIRST_SCHOOL_DAY: [
        ("eersteschooldag", 100), ("datumeersteschooldag", 100), ("1eschooldag", 95),
        ("eerstedag", 80),
    ],
}  # fmt: skip

#: Below this score a guess is not made: the column stays "Niet importeren".
MIN_SCORE = 50
SETTING_PREFIX = "import.mapping."


def normalize_header(text: str) -> str:
    """ "Geb. datum " -> "gebdatum": no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", plain.casefold())


def header_scores(header: str) -> dict[Field, int]:
    """How well a header fits each field, 0-100."""
    norm = normalize_header(header)
    scores: dict[Field, int] = {}
    if not norm:
        return scores
    for fld, spellings in SYNONYMS.items():
        best = 0
        for spelling, weight in spellings:
            if norm == spelling:
                best = max(best, weight)
            elif len(spelling) >= 5 and spelling in norm:
                # "Roepnaam (leerling)" still means roepnaam; a longer header means less.
                best = max(best, int(weight * 0.6 + 30 * len(spelling) / len(norm)))
        if best:
            scores[fld] = min(best, 100)
    return scores


def header_row_score(cells: Sequence[str]) -> float:
    """How much a row looks like the header row of a pupil list (to skip title lines)."""
    total = 0.0
    for cell in cells:
        scores = header_scores(cell)
        best = max(scores.values(), default=0)
        if best >= 90:
            total += 1.0
        elif best >= MIN_SCORE:
            total += 0.5
    return total


@dataclass(frozen=True)
class ColumnGuess:
    """One column of the file with the field it was mapped to and how sure the guess is."""

    index: int
    header: str
    field: Field | None
    score: int


#: A column mapping: column index -> field (None: not imported).
ColumnMapping = dict[int, Field | None]


def guess_mapping(headers: Sequence[str]) -> list[ColumnGuess]:
    """Guess every column's field; each field goes to at most one column, the best scoring."""
    candidates: list[tuple[int, int, Field]] = []
    for index, header in enumerate(headers):
        for fld, score in header_scores(header).items():
            if score >= MIN_SCORE:
                candidates.append((score, index, fld))
    # Highest score first; on a tie the leftmost column (LVS exports put the main one first).
    candidates.sort(key=lambda c: (-c[0], c[1]))
    chosen: dict[int, tuple[Field, int]] = {}
    used: set[Field] = set()
    for score, index, fld in candidates:
        if index in chosen or fld in used:
            continue
        chosen[index] = (fld, score)
        used.add(fld)
    _settle_name_columns(chosen)
    return [
        ColumnGuess(i, h, chosen[i][0] if i in chosen else None, chosen[i][1] if i in chosen else 0)
        for i, h in enumerate(headers)
    ]


def _settle_name_columns(chosen: dict[int, tuple[Field, int]]) -> None:
    """A "Naam" column next to a "Roepnaam" column is the surname, not the full name."""
    fields = {fld: idx for idx, (fld, _s) in chosen.items()}
    full = fields.get(Field.FULL_NAME)
    if full is None or Field.FIRST_NAME not in fields:
        return
    if Field.LAST_NAME in fields:
        del chosen[full]
    else:
        chosen[full] = (Field.LAST_NAME, chosen[full][1])


def mapping_from_guesses(guesses: Iterable[ColumnGuess]) -> ColumnMapping:
    """The plain mapping of a list of guesses."""
    return {g.index: g.field for g in guesses}


def header_signature(headers: Sequence[str]) -> str:
    """A short fingerprint of the header row: the same export layout gives the same key."""
    joined = "\x1f".join(normalize_header(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def setting_key(headers: Sequence[str]) -> str:
    """The Setting key under which the mapping of this header row is remembered."""
    return SETTING_PREFIX + header_signature(headers)


def load_saved_mapping(session: Session, headers: Sequence[str]) -> ColumnMapping | None:
    """The mapping chosen last time for exactly this header row, or None."""
    setting = session.get(Setting, setting_key(headers))
    if setting is None or not isinstance(setting.value, dict):
        return None
    saved = setting.value.get("mapping", {})
    mapping: ColumnMapping = {}
    for index, header in enumerate(headers):
        value = saved.get(header, saved.get(normalize_header(header)))
        if value is None:
            mapping[index] = None
            continue
        try:
            mapping[index] = Field(value) if value else None
        except ValueError:
            mapping[index] = None
    return mapping


def save_mapping(
    session: Session, headers: Sequence[str], mapping: Mapping[int, Field | None]
) -> None:
    """Remember the mapping for the next export with the same header row (caller commits)."""
    value = {
        "headers": list(headers),
        "mapping": {h: (mapping.get(i) or "") for i, h in enumerate(headers)},
    }
    key = setting_key(headers)
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value


def initial_mapping(session: Session | None, headers: Sequence[str]) -> tuple[ColumnMapping, bool]:
    """The remembered mapping for these headers when there is one, otherwise the guess.

    Returns the mapping and whether it was remembered.
    """
    if session is not None:
        saved = load_saved_mapping(session, headers)
        if saved is not None:
            return saved, True
    return mapping_from_guesses(guess_mapping(headers)), False


def mapping_problems(mapping: Mapping[int, Field | None]) -> list[str]:
    """Why this mapping cannot be imported (empty when it can), in Dutch."""
    used: dict[Field, int] = {}
    problems: list[str] = []
    twice: list[str] = []
    for fld in mapping.values():
        if fld is None:
            continue
        used[fld] = used.get(fld, 0) + 1
        if used[fld] == 2:
            twice.append(fld.label)
    if Field.LAST_NAME not in used and Field.FULL_NAME not in used:
        problems.append(
            "Er is geen kolom met de achternaam gevonden. Koppel een kolom aan 'Achternaam' "
            "(of aan 'Volledige naam')."
        )
    if Field.FIRST_NAME not in used and Field.FULL_NAME not in used:
        problems.append(
            "Er is geen kolom met de roepnaam gevonden. Koppel een kolom aan 'Roepnaam' "
            "(of aan 'Volledige naam')."
        )
    if Field.BIRTH_DATE not in used and Field.LVS_ID not in used:
        problems.append(
            "Koppel een kolom aan 'Geboortedatum': zonder geboortedatum of leerlingnummer kan "
            "een leerling niet worden herkend."
        )
    if twice:
        problems.append(
            "Deze velden zijn aan meer dan één kolom gekoppeld: " + ", ".join(twice) + "."
        )
    return problems


def parse_field(text: str) -> Field | None:
    """A field named on the command line ("groep", "Geboortedatum", "-" for none)."""
    word = text.strip().casefold()
    if word in IGNORE_WORDS:
        return None
    norm = normalize_header(word)
    for fld in Field:
        if norm in (
            normalize_header(fld.value),
            normalize_header(fld.label),
            normalize_header(fld.name),
        ):
            return fld
    names = ", ".join(f.value for f in Field)
    raise ValueError(
        f"Onbekend veld '{text}'. Kies uit: {names}, of '-' om de kolom over te slaan."
    )


def apply_overrides(
    headers: Sequence[str], mapping: ColumnMapping, overrides: Iterable[str]
) -> ColumnMapping:
    """Apply ``KOLOM=VELD`` choices (column by header text or number) to a mapping.

    A field chosen for one column is taken away from any other column that had it.
    """
    result = dict(mapping)
    for item in overrides:
        column, sep, field_text = item.partition("=")
        if not sep:
            raise ValueError(
                f"'{item}' is geen koppeling; schrijf KOLOM=VELD, bijv. \"Klas=groep\"."
            )
        index = _column_index(headers, column.strip())
        fld = parse_field(field_text)
        if fld is not None:
            for other, f in result.items():
                if f == fld and other != index:
                    result[other] = None
        result[index] = fld
    return result


def _column_index(headers: Sequence[str], column: str) -> int:
    norm = normalize_header(column)
    for i, h in enumerate(headers):
        if h == column:
            return i
    for i, h in enumerate(headers):
        if normalize_header(h) == norm and norm:
            return i
    if column.isdigit() and 1 <= int(column) <= len(headers):
        return int(column) - 1
    names = ", ".join(f"'{h}'" for h in headers)
    raise ValueError(f"Het bestand heeft geen kolom '{column}'. De kolommen zijn: {names}.")


def describe_mapping(headers: Sequence[str], mapping: Mapping[int, Field | None]) -> list[str]:
    """ "Roepnaam -> Roepnaam" lines for the report (only the imported columns)."""
    return [
        f"{headers[i]} -> {fld.label}"
        for i, fld in sorted(mapping.items())
        if fld is not None and i < len(headers)
    ]


def fields_in_use(mapping: Mapping[int, Field | None]) -> dict[Field, int]:
    """Field -> column index for the mapped columns."""
    return {fld: i for i, fld in mapping.items() if fld is not None}


def existing_mappings(session: Session) -> int:
    """How many export layouts are remembered (shown in the wizard's hint)."""
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Setting)
            .where(Setting.key.like(SETTING_PREFIX + "%"))
        )
        or 0
    )
