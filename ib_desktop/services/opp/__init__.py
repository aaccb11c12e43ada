"""The OPP: starting one, saving versions, its life cycle, completeness per part, comparison.

``from ib_desktop.services import opp as svc; svc.save_version(...)``: this package names the
API the screens, the reports and the commands use. The rooms behind it:

- :mod:`.data`: the plain dataclasses the editor loads and saves (and their recovery form);
- :mod:`.parts`: the 13 parts as one enum, each with its rule record and completeness check;
- :mod:`.store`: reading a version into plain data, and the guards every write passes;
- :mod:`.saving`: storing the editor's draft (one versioned save);
- :mod:`.lifecycle`: start, besproken, vaststellen and evalueren;
- :mod:`.consent`: part 13's consents and signatures, stored the moment they are given;
- :mod:`.ending`: ending an OPP and undoing that;
- :mod:`.diff`: comparing two versions part by part;
- :mod:`.queries`: lists (a pupil's OPP, the versions, OPPs without consent);
- :mod:`.register`: the OPP-register for the national registry (import it by its own path).
"""

from __future__ import annotations

from ib_desktop.models import OppForm, OppStatus, Outcome, OutflowPerspective, SignatureRole
from ib_desktop.services.opp.consent import (
    add_signature,
    consent_problems,
    custody_guardians,
    record_consent,
    remove_signature,
    signature_problems,
    signer_choices,
)
from ib_desktop.services.opp.data import (
    DATE_FIELDS,
    ENDED_ACTION,
    ENTITY,
    OPP_ENTITY,
    REOPENED_ACTION,
    SCHOOL_SIGNERS,
    TEXT_FIELDS,
    ConsentData,
    ConsentIssue,
    ConversationData,
    GoalData,
    OppNotReady,
    OppPeriod,
    OppVersionData,
    PartStatus,
    SignatureData,
    SignerChoice,
    VersionSummary,
    data_from_dict,
    data_to_dict,
)
from ib_desktop.services.opp.diff import (
    FieldDiff,
    PartDiff,
    Segment,
    diff_data,
    diff_versions,
    first_goal_line,
    part_texts,
    word_diff,
)
from ib_desktop.services.opp.ending import end_opp, end_problems, opp_period, reopen_opp
from ib_desktop.services.opp.lifecycle import (
    carried_goal_date,
    default_next_evaluation,
    evaluate_version,
    fix_version,
    mark_discussed,
    start_opp,
)
from ib_desktop.services.opp.parts import (
    PARTS,
    OppPart,
    PartRule,
    completeness,
    fix_problems,
    mark_not_applicable,
    missing_in_part,
    not_applicable_reason,
    part_statuses,
    required_parts,
)
from ib_desktop.services.opp.queries import (
    list_versions,
    newest_version_id,
    opp_for_pupil,
    opps_without_consent,
)
from ib_desktop.services.opp.saving import CONFLICT_LABELS, save_version
from ib_desktop.services.opp.store import load_version, pupil_part_data

__all__ = [
    "CONFLICT_LABELS",
    "DATE_FIELDS",
    "ENDED_ACTION",
    "ENTITY",
    "OPP_ENTITY",
    "PARTS",
    "REOPENED_ACTION",
    "SCHOOL_SIGNERS",
    "TEXT_FIELDS",
    "ConsentData",
    "ConsentIssue",
    "ConversationData",
    "FieldDiff",
    "GoalData",
    "OppForm",
    "OppNotReady",
    "OppPart",
    "OppPeriod",
    "OppStatus",
    "OppVersionData",
    "Outcome",
    "OutflowPerspective",
    "PartDiff",
    "PartRule",
    "PartStatus",
    "Segment",
    "SignatureData",
    "SignatureRole",
    "SignerChoice",
    "VersionSummary",
    "add_signature",
    "carried_goal_date",
    "completeness",
    "consent_problems",
    "custody_guardians",
    "data_from_dict",
    "data_to_dict",
    "default_next_evaluation",
    "diff_data",
    "diff_versions",
    "end_opp",
    "end_problems",
    "evaluate_version",
    "first_goal_line",
    "fix_problems",
    "fix_version",
    "list_versions",
    "load_version",
    "mark_discussed",
    "mark_not_applicable",
    "missing_in_part",
    "newest_version_id",
    "not_applicable_reason",
    "opp_for_pupil",
    "opp_period",
    "opps_without_consent",
    "part_statuses",
    "part_texts",
    "pupil_part_data",
    "record_consent",
    "remove_signature",
    "reopen_opp",
    "required_parts",
    "save_version",
    "signature_problems",
    "signer_choices",
    "start_opp",
    "word_diff",
]
