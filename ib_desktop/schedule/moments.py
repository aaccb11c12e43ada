"""The kinds of moment, their Dutch labels and order, and the ``Moment`` the engine hands out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from ib_desktop.models import MeetingKind, MomentKind

#: Dutch names of the kinds of moment, for lists, filters, calendars and the command line.
KIND_LABELS: dict[MomentKind, str] = {
    MomentKind.INTERVENTIE: "Korte interventie",
    MomentKind.GROEIDOCUMENT: "Groeidocument",
    MomentKind.OPP_EVALUATIE: "OPP-evaluatie",
    MomentKind.OPP_DOEL: "OPP-doel",
    MomentKind.OUDERGESPREK: "Oudergesprek",
    MomentKind.GROEPSBESPREKING: "Groepsbespreking",
    MomentKind.MDO: "MDO",
    MomentKind.ZORGPLICHT: "Zorgplicht",
}
#: Order of kinds on the same day: deadlines first, then evaluations, then meetings.
KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        [
            MomentKind.ZORGPLICHT,
            MomentKind.OPP_EVALUATIE,
            MomentKind.OPP_DOEL,
            MomentKind.GROEIDOCUMENT,
            MomentKind.INTERVENTIE,
            MomentKind.OUDERGESPREK,
            MomentKind.MDO,
            MomentKind.GROEPSBESPREKING,
        ]
    )
}
#: source_kind values: which record a moment comes from (and which editor opens it).
SOURCE_INTERVENTION = "korte_interventie"
SOURCE_GROWTH = "groeidocument"
SOURCE_OPP = "opp"
SOURCE_MEETING = "meeting"
SOURCE_REGISTRATION = "registration"
SOURCE_LEVEL = "level"
SOURCE_PLANNED = "gepland"  # an EvaluationMoment row planned by hand (source_id is its id)

#: Key prefixes of the moments the engine derives (anything else is planned by hand).
DERIVED_PREFIXES = {
    "interventie": SOURCE_INTERVENTION,
    "groeiperiode": SOURCE_GROWTH,
    "opp": SOURCE_OPP,
    "oudergesprek": SOURCE_LEVEL,
    "meeting": SOURCE_MEETING,
    "zorgplicht": SOURCE_REGISTRATION,
}
# A kindbespreking is shown as a group-level review, an OT or other consultation as a
# multidisciplinary one: MomentKind is a checked column, its title says which meeting it is.
MEETING_KINDS = {
    MeetingKind.GROEPSBESPREKING: MomentKind.GROEPSBESPREKING,
    MeetingKind.KINDBESPREKING: MomentKind.GROEPSBESPREKING,
    MeetingKind.MDO: MomentKind.MDO,
    MeetingKind.OT: MomentKind.MDO,
    MeetingKind.OVERIG: MomentKind.MDO,
    MeetingKind.OUDERGESPREK: MomentKind.OUDERGESPREK,
}
MEETING_TITLES = {
    MeetingKind.GROEPSBESPREKING: "Groepsbespreking",
    MeetingKind.KINDBESPREKING: "Kindbespreking",
    MeetingKind.MDO: "MDO",
    MeetingKind.OT: "OT",
    MeetingKind.OVERIG: "Overleg",
    MeetingKind.OUDERGESPREK: "Oudergesprek",
}
ONE_DAY = timedelta(days=1)
MAX_CHAIN = 60  # safety net for repeating moments; a year of weekly meetings fits


class Moment(NamedTuple):
    """One thing that is due: an evaluation, a meeting or a deadline.

    A named tuple rather than a dataclass: the engine makes 80,000 of them for a
    samenwerkingsverband, and a tuple is made in a fraction of the time.
    """

    key: str  # stable id, e.g. "interventie:12", "opp:5:evaluatie:1", "meeting:88"
    kind: MomentKind
    due: date  # moved to the next school day when it falls in a holiday or weekend
    title: str  # Dutch, e.g. "Evaluatie korte interventie"
    pupil_id: int | None
    group_id: int | None
    responsible_id: int | None  # the staff member who evaluates or is responsible
    source_kind: str  # "korte_interventie" | "groeidocument" | "opp" | "meeting" | ...
    source_id: int | None  # the record (a groeidocument period moment: the document)
    done_on: date | None  # when it was done; None while open

    def is_overdue(self, today: date) -> bool:
        """Not done and its day has passed."""
        return self.done_on is None and self.due < today

    @property
    def is_done(self) -> bool:
        """True when the evaluation was written or the meeting held."""
        return self.done_on is not None

    @property
    def kind_label(self) -> str:
        """The kind in Dutch ("OPP-evaluatie")."""
        return KIND_LABELS[self.kind]

    def sort_key(self) -> tuple[date, int, int, str]:
        """The engine's order: by day, then kind, then pupil, then key."""
        return (self.due, KIND_ORDER[self.kind], self.pupil_id or 0, self.key)
