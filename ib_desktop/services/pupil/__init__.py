"""The pupil's file: personal data, guardians, care, school career, assessments, meetings, leaving.

Everything the pupil file window saves goes through here, so the rules (no birth date in the
future, no end before its start, no duplicate pupil, a file that is read-only once the pupil has
left) hold for every screen and are tested without Qt. Each function works in the caller's
session; the caller's ``with db.session()`` block makes one user action one transaction. Values
go in and out as small dataclasses; messages are Dutch and keyed by field.

Callers use this package as one service: ``from ib_desktop.services import pupil as svc``.
Inside it:

* :mod:`.labels`: the Dutch words (choices, field names, statuses);
* :mod:`.data`: the dataclasses that go in and out;
* :mod:`.validation`: the checks, keyed by field;
* :mod:`.lookups`: the pupil (gone? read-only?), school year, groups, staff, levels;
* :mod:`.records`: adding a pupil and saving the personal data;
* :mod:`.children`: guardians, care providers, school career and assessments, each described
  once in a spec table that one save, delete and load serve;
* :mod:`.meetings`: the meetings about the pupil;
* :mod:`.staircase`: the level history and deciding or undoing a move;
* :mod:`.overview`: the whole file read for the window;
* :mod:`.lifecycle`: leaving school, coming back, deleting the file after its retention;
* :mod:`.restricted`: who reads sensitive reports and confidential notes (the rest get blanks);
* :mod:`.swv_release`: the release of a report to the samenwerkingsverband;
* :mod:`.parent_views`: the parents' own view on a record (zienswijze ouders);
* :mod:`.listing`: the pupil list of the school (imported as its own module, not from here).
"""

from ib_desktop.models import GrowthDocument, MeetingKind, ShortIntervention
from ib_desktop.services.pupil.children import (
    delete_assessment,
    delete_care_provider,
    delete_guardian,
    delete_history,
    load_assessment,
    load_care_provider,
    load_guardian,
    load_history,
    save_assessment,
    save_care_provider,
    save_guardian,
    save_history,
)
from ib_desktop.services.pupil.data import (
    AssessmentData,
    CareProviderData,
    DocumentRow,
    GuardianData,
    HistoryData,
    LevelHistory,
    LevelInfo,
    LevelStep,
    MeetingData,
    MembershipRow,
    ParentViewData,
    PupilData,
    PupilFile,
    RecordGoneError,
)
from ib_desktop.services.pupil.labels import (
    CARE_SCOPE_LABELS,
    DECLARATION_LABELS,
    DOCUMENT_STATUS_LABELS,
    FIELD_LABELS,
    GENDER_LABELS,
    GUARDIAN_RELATIONS,
    HISTORY_KIND_LABELS,
    LEAVE_KIND_LABELS,
    MEETING_KIND_LABELS,
    OPP_STATUS_LABELS,
    PUPIL_FIELD_LABELS,
    READ_ONLY_MESSAGE,
    LeaveKind,
)
from ib_desktop.services.pupil.lifecycle import (
    RETENTION_YEARS,
    RETENTION_YEARS_SPECIAL,
    check_leave,
    delete_after_for,
    delete_file,
    format_destination,
    leave_school,
    parse_destination,
    reactivate,
    retention_years,
)
from ib_desktop.services.pupil.lookups import (
    current_school_year,
    group_choices,
    school_levels,
    staff_choices,
)
from ib_desktop.services.pupil.meetings import (
    delete_meeting,
    load_meeting,
    meeting_label,
    pupil_meetings,
    save_meeting,
)
from ib_desktop.services.pupil.overview import load_pupil_file, pupil_documents
from ib_desktop.services.pupil.parent_views import (
    ENTITIES as PARENT_VIEW_ENTITIES,
)
from ib_desktop.services.pupil.parent_views import (
    delete_parent_view,
    guardian_choices,
    parent_views_of,
    save_parent_view,
)
from ib_desktop.services.pupil.records import (
    create_pupil,
    full_name_of,
    load_pupil_data,
    pupil_data_from_dict,
    pupil_data_to_dict,
    update_pupil,
)
from ib_desktop.services.pupil.restricted import RestrictedError, role_of
from ib_desktop.services.pupil.staircase import (
    decide_level,
    level_history,
    pupil_level_context,
    undo_last_level_change,
)
from ib_desktop.services.pupil.swv_release import released_for_swv
from ib_desktop.services.pupil.validation import (
    age_on,
    check_assessment,
    check_care_provider,
    check_guardian,
    check_history,
    check_meeting,
    check_pupil,
    clean,
    email_problem,
    find_duplicate,
    phone_problem,
)

__all__ = [
    "CARE_SCOPE_LABELS",
    "DECLARATION_LABELS",
    "DOCUMENT_STATUS_LABELS",
    "FIELD_LABELS",
    "GENDER_LABELS",
    "GUARDIAN_RELATIONS",
    "HISTORY_KIND_LABELS",
    "LEAVE_KIND_LABELS",
    "MEETING_KIND_LABELS",
    "OPP_STATUS_LABELS",
    "PARENT_VIEW_ENTITIES",
    "PUPIL_FIELD_LABELS",
    "READ_ONLY_MESSAGE",
    "RETENTION_YEARS",
    "RETENTION_YEARS_SPECIAL",
    "AssessmentData",
    "CareProviderData",
    "DocumentRow",
    # Models the pupil file's callers (and tests) have long reached through this service.
    "GrowthDocument",
    "GuardianData",
    "HistoryData",
    "LeaveKind",
    "LevelHistory",
    "LevelInfo",
    "LevelStep",
    "MeetingData",
    "MeetingKind",
    "MembershipRow",
    "ParentViewData",
    "PupilData",
    "PupilFile",
    "RecordGoneError",
    "RestrictedError",
    "ShortIntervention",
    "age_on",
    "check_assessment",
    "check_care_provider",
    "check_guardian",
    "check_history",
    "check_leave",
    "check_meeting",
    "check_pupil",
    "clean",
    "create_pupil",
    "current_school_year",
    "decide_level",
    "delete_after_for",
    "delete_assessment",
    "delete_care_provider",
    "delete_file",
    "delete_guardian",
    "delete_history",
    "delete_meeting",
    "delete_parent_view",
    "email_problem",
    "find_duplicate",
    "format_destination",
    "full_name_of",
    "group_choices",
    "guardian_choices",
    "leave_school",
    "level_history",
    "load_assessment",
    "load_care_provider",
    "load_guardian",
    "load_history",
    "load_meeting",
    "load_pupil_data",
    "load_pupil_file",
    "meeting_label",
    "parent_views_of",
    "parse_destination",
    "phone_problem",
    "pupil_data_from_dict",
    "pupil_data_to_dict",
    "pupil_documents",
    "pupil_level_context",
    "pupil_meetings",
    "reactivate",
    "released_for_swv",
    "retention_years",
    "role_of",
    "save_assessment",
    "save_care_provider",
    "save_guardian",
    "save_history",
    "save_meeting",
    "save_parent_view",
    "school_levels",
    "staff_choices",
    "undo_last_level_change",
    "update_pupil",
]
