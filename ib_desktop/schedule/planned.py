"""Moments planned by hand, and done moments the engine no longer derives (``EvaluationMoment``
rows whose key no derived moment used)."""

from __future__ import annotations

from ib_desktop.schedule.moments import DERIVED_PREFIXES, KIND_LABELS, SOURCE_LEVEL, SOURCE_PLANNED
from ib_desktop.schedule.rows import PupilGroups, Run


def hand_planned_moments(run: Run, pupil_group: PupilGroups) -> None:
    """The overrides left after every source had its turn.

    A left-over row with a derived key is kept only when it was done (its document was closed
    or removed: nothing left to do otherwise); any other key is a moment planned by hand.
    """
    pupil_group.load(
        [ov.pupil_id for k, ov in run.overrides.items() if k not in run.used and ov.pupil_id]
    )
    for key, ov in run.overrides.items():
        if key in run.used:
            continue
        if ov.pupil_id is not None and ov.pupil_id not in pupil_group:
            continue
        prefix, _, rest = key.partition(":")
        if prefix in DERIVED_PREFIXES:
            if ov.done_on is None:
                continue  # its document was closed or removed: nothing left to do
            source = DERIVED_PREFIXES[prefix]
            head = rest.split(":", 1)[0]
            source_id = int(head) if head.isdigit() and source != SOURCE_LEVEL else None
        else:
            source, source_id = SOURCE_PLANNED, ov.id
        run.emit(
            key,
            ov.kind,
            ov.due,
            ov.title or KIND_LABELS[ov.kind],
            ov.pupil_id,
            ov.group_id if ov.group_id is not None else pupil_group.get(ov.pupil_id or 0),
            ov.responsible_id,
            source,
            source_id,
            ov.done_on,
        )
