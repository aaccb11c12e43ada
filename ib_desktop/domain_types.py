"""The domain's enumerations, and the rules on them that need no database.

They live outside ``ib_desktop.models`` (which loads SQLAlchemy) so that the first paint of the
pupil list (see ``ib_desktop.quick_list``) can show rows before SQLAlchemy is loaded; the models
re-export them, so ``from ib_desktop.models import PupilStatus`` is the same class.
Enumerations are stored as short strings with a CHECK constraint (``models.base.enum_column``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Protocol


class Region(enum.StrEnum):
    """School holiday region (vakantieregio)."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class StaffRole(enum.StrEnum):
    """What a staff member does in the support work."""

    IB = "ib"
    LEERKRACHT = "leerkracht"
    DIRECTIE = "directie"
    ONDERWIJSASSISTENT = "onderwijsassistent"
    OVERIG = "overig"


class AccountRole(enum.StrEnum):
    """What an account may do (issue 18); the database enforces the same on PostgreSQL.

    The rules per role are written once, in ``ib_desktop.permissions``.
    """

    LEERKRACHT = "leerkracht"
    IB = "ib"
    DIRECTIE = "directie"
    BEHEER = "beheer"  # manages accounts; reads and writes like ib


class PupilStatus(enum.StrEnum):
    """Where the pupil stands with the school."""

    AANGEMELD = "aangemeld"  # registered, zorgplicht running, not yet enrolled
    ACTIEF = "actief"
    VERTROKKEN = "vertrokken"


class Tier(enum.StrEnum):
    """The samenwerkingsverband's three tiers that every school level maps onto."""

    BASIS = "basis"
    EXTRA = "extra"
    GESPECIALISEERD = "gespecialiseerd"


class DocumentKind(enum.StrEnum):
    """The support documents a level can require."""

    KORTE_INTERVENTIE = "korte_interventie"
    GROEIDOCUMENT = "groeidocument"
    OPP = "opp"


class DocumentStatus(enum.StrEnum):
    """Life cycle of a korte interventie or groeidocument."""

    CONCEPT = "concept"
    ACTIEF = "actief"
    AFGESLOTEN = "afgesloten"


class Outcome(enum.StrEnum):
    """Result of evaluating a goal."""

    BEHAALD = "behaald"
    DEELS_BEHAALD = "deels_behaald"
    NIET_BEHAALD = "niet_behaald"


class MeetingKind(enum.StrEnum):
    """Kinds of meeting in the support cycle."""

    KINDBESPREKING = "kindbespreking"
    GROEPSBESPREKING = "groepsbespreking"
    OT = "ot"
    MDO = "mdo"
    OUDERGESPREK = "oudergesprek"
    OVERIG = "overig"


class CareScope(enum.StrEnum):
    """Around whom a care provider works (OPP part 1: bij leerling, school en gezin)."""

    LEERLING = "leerling"
    SCHOOL = "school"
    GEZIN = "gezin"


class HistoryKind(enum.StrEnum):
    """Kinds of entry in a pupil's school career (OPP part 2)."""

    VOORSCHOOLS = "voorschools"
    BASISSCHOOL = "basisschool"
    SBO = "sbo"
    SO = "so"
    OVERIG = "overig"


class Declaration(enum.StrEnum):
    """Declarations that count in the school support profile's figures."""

    DYSLEXIE = "dyslexie"
    DYSCALCULIE = "dyscalculie"


class OppStatus(enum.StrEnum):
    """Life cycle of one OPP version."""

    CONCEPT = "concept"
    BESPROKEN = "besproken"  # besproken met ouders
    VASTGESTELD = "vastgesteld"
    GEEVALUEERD = "geevalueerd"


class OppForm(enum.StrEnum):
    """Which set of parts an OPP must complete."""

    DERTIEN_DELEN = "13_delen"  # the samenwerkingsverband's 13 minimum parts
    WETTELIJK = "wettelijk"  # the law's shorter minimum


class OutflowPerspective(enum.StrEnum):
    """Expected secondary school type (uitstroomperspectief)."""

    PRO = "praktijkonderwijs"
    VMBO_BB = "vmbo-bb"
    VMBO_KB = "vmbo-kb"
    VMBO_GT = "vmbo-gt"
    HAVO = "havo"
    VWO = "vwo"
    VSO = "vso"
    SO = "so"


class SignatureRole(enum.StrEnum):
    """Who signs an OPP (part 13)."""

    OUDER = "ouder"
    LEERLING = "leerling"
    LEERKRACHT = "leerkracht"
    IB = "ib"
    DIRECTIE = "directie"


class MomentKind(enum.StrEnum):
    """Kinds of moment the schedule engine plans."""

    INTERVENTIE = "interventie"
    GROEIDOCUMENT = "groeidocument"
    OPP_EVALUATIE = "opp_evaluatie"
    OPP_DOEL = "opp_doel"
    OUDERGESPREK = "oudergesprek"
    GROEPSBESPREKING = "groepsbespreking"
    MDO = "mdo"
    ZORGPLICHT = "zorgplicht"


class RegistrationDecision(enum.StrEnum):
    """Outcome of the zorgplicht procedure after a written registration."""

    TOEGELATEN = "toegelaten"
    ELDERS = "elders"  # suitable place found at another school
    NIET_TOEGELATEN = "niet_toegelaten"
    INGETROKKEN = "ingetrokken"


class _LevelRule(Protocol):
    """What the document rule reads of a level (a ``SupportLevel`` or a list's ``LevelInfo``)."""

    @property
    def required_documents(self) -> Iterable[str]: ...  # noqa: D102

    @property
    def requires_any(self) -> bool: ...  # noqa: D102


def required_missing(level: _LevelRule, present: Iterable[DocumentKind | str]) -> list[str]:
    """The document kinds a level requires that the pupil lacks (empty when satisfied)."""
    required = [DocumentKind(k) for k in level.required_documents]
    if not required:
        return []
    have = {DocumentKind(k) for k in present}
    if level.requires_any:
        return [] if have.intersection(required) else [k.value for k in required]
    return [k.value for k in required if k not in have]
