"""The OPP service: start, completeness per part, life cycle, freezing, evaluation, comparison."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
import sqlalchemy as sa

from ib_desktop.models import (
    Assessment,
    Guardian,
    OppForm,
    OppStatus,
    OppVersion,
    Outcome,
    OutflowPerspective,
    Pupil,
    PupilStatus,
    School,
    SignatureRole,
    Staff,
    StaffRole,
)
from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import PARTS, REQUIRED_GOAL_AREAS
from ib_desktop.validation import (
    ConcurrentEditError,
    ReadOnlyError,
    ValidationError,
    ValidationErrors,
)
from tests.conftest import TODAY

# Demo pupils (seed 7, 120 pupils): 1 has two guardians with gezag and no OPP; 44 has one
# guardian with gezag and one without; 10 has an OPP (concept); 114 has two versions.
FRESH = 1
PARTIAL_CUSTODY = 44


def fill_complete(data: svc.OppVersionData, *, with_evaluation: bool = False) -> svc.OppVersionData:
    """Content that makes parts 2 and 4-12 complete (parts 1 and 3 come from the pupil file)."""
    data.school_career_notes = "Sinds groep 1 op deze school, zonder doublures."
    data.assessment_notes = svc.mark_not_applicable("Er is nog geen onderzoek gedaan.")
    data.arrangement_kind = "Arrangement op de eigen school"
    data.arrangement_granted_on = date(2026, 9, 1)
    data.arrangement_start = date(2026, 9, 1)
    data.arrangement_end = date(2027, 7, 31)
    data.funder = "SWV"
    data.promoting_factors = "Gemotiveerd."
    data.hindering_factors = "Snel afgeleid."
    data.need_attention = "Korte instructie."
    data.need_materials = "Concreet materiaal."
    data.need_space = "Rustige plek."
    data.need_expertise = "Orthopedagoog."
    data.need_cooperation = "Afstemming met thuis."
    data.coordination = svc.mark_not_applicable("Geen hulp buiten school.")
    data.outflow = OutflowPerspective.VMBO_KB
    data.outflow_rationale = "Op basis van toetsen."
    data.subject_levels = {"Rekenen": "1F", "Technisch lezen": "E6"}
    for g in data.goals:
        g.goal = f"Doel voor {g.area}."
        g.intermediate_goals = "- na 8 weken de helft"
        g.evaluation_date = date(2027, 3, 1)
    data.adjustments = "Verlengde instructie."
    data.parents_view = "Ouders steunen de aanpak."
    data.conversations = [
        svc.ConversationData(date=date(2026, 11, 10), participants="ouders", summary="Besproken.")
    ]
    if with_evaluation:
        data.evaluation = "Groei op lezen."
    return data


def ready_version(session, pupil_id: int = FRESH) -> svc.OppVersionData:
    """A started OPP of ``pupil_id`` with all content parts complete, saved."""
    data = svc.start_opp(session, pupil_id, on=TODAY)
    return svc.save_version(session, fill_complete(data))


def sign_and_consent(session, version_id: int) -> svc.OppVersionData:
    data = svc.load_version(session, version_id)
    pupil = svc.pupil_part_data(session, data)
    for g in svc.custody_guardians(pupil):
        svc.record_consent(session, version_id, g["id"], consent=True, on=TODAY)
    ib = session.scalars(sa.select(Staff).where(Staff.role == StaffRole.IB)).first()
    director = session.scalars(sa.select(Staff).where(Staff.role == StaffRole.DIRECTIE)).first()
    svc.add_signature(
        session,
        version_id,
        svc.SignatureData(SignatureRole.IB, ib.full_name, TODAY, staff_id=ib.id),
    )
    return svc.add_signature(
        session,
        version_id,
        svc.SignatureData(SignatureRole.DIRECTIE, director.full_name, TODAY, staff_id=director.id),
    )


def statuses_by_key(session, version_id: int) -> dict[str, svc.PartStatus]:
    return {s.key: s for s in svc.completeness(session, version_id)}


# ------------------------------------------------------------------------------- start


def test_start_opp_creates_concept_with_required_goal_areas(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY)
    assert data.number == 1
    assert data.status == OppStatus.CONCEPT
    assert [g.area for g in data.goals] == list(REQUIRED_GOAL_AREAS)
    assert data.funder.startswith("Samenwerkingsverband")
    with demo_db.session() as s:
        assert svc.opp_for_pupil(s, FRESH) == data.opp_id
        assert s.get(OppVersion, data.id).opp.start_date == TODAY


def test_start_opp_refuses_a_second_running_opp(demo_db) -> None:
    with demo_db.session() as s:
        svc.start_opp(s, FRESH, on=TODAY)
    with demo_db.session() as s, pytest.raises(ValidationError, match="al een lopend OPP"):
        svc.start_opp(s, FRESH, on=TODAY)


# ------------------------------------------------------------------------------- completeness


def test_fresh_opp_is_incomplete_with_dutch_reasons(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY)
        statuses = svc.completeness(s, data.id)
    assert [st.number for st in statuses] == [p.number for p in PARTS]
    by_key = {st.key: st for st in statuses}
    # Pupil 1 has guardians with gezag and a family composition: part 1 is complete.
    assert by_key["algemeen"].complete
    assert not by_key["factoren"].complete
    assert "Beschrijf de bevorderende factoren." in by_key["factoren"].missing
    assert any("Aandacht en tijd" in m for m in by_key["behoeften"].missing)
    assert any("cognitieve ontwikkeling" in m for m in by_key["handelingsdeel"].missing)
    # Part 12 does not apply to a first version.
    assert by_key["evaluatie"].complete
    assert by_key["evaluatie"].not_applicable
    assert not by_key["evaluatie"].required
    assert any("handtekening" in m for m in by_key["handtekeningen"].missing)


def test_filled_parts_become_complete(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        by_key = statuses_by_key(s, data.id)
    incomplete = [k for k, st in by_key.items() if not st.complete]
    assert incomplete == ["handtekeningen"]
    assert by_key["zorg"].not_applicable == "Geen hulp buiten school."
    assert by_key["onderzoek"].not_applicable


def test_not_applicable_needs_a_reason(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        data.coordination = "Niet van toepassing:"
        data = svc.save_version(s, data)
        st = statuses_by_key(s, data.id)["zorg"]
    assert not st.complete
    assert st.missing == ["Geef aan waarom dit deel niet van toepassing is."]


def test_tlv_needs_funding_category(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        data.arrangement_kind = "TLV speciaal basisonderwijs (SBO)"
        data = svc.save_version(s, data)
        assert not statuses_by_key(s, data.id)["inzet"].complete
        data.funding_category = "laag"
        data = svc.save_version(s, data)
        assert statuses_by_key(s, data.id)["inzet"].complete


def test_parts_one_to_three_follow_the_live_pupil_file_of_a_concept(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        assert statuses_by_key(s, data.id)["algemeen"].complete
        pupil = s.get(Pupil, FRESH)
        pupil.family_composition = ""
    with demo_db.session() as s:
        st = statuses_by_key(s, data.id)["algemeen"]
    assert not st.complete
    assert "Beschrijf de gezinssamenstelling in het leerlingdossier." in st.missing


def test_assessment_without_conclusion_is_named(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        data.assessment_notes = ""
        data = svc.save_version(s, data)
        s.add(
            Assessment(
                pupil_id=FRESH,
                date=date(2026, 5, 1),
                kind="Intelligentieonderzoek",
                performed_by="",
            )
        )
    with demo_db.session() as s:
        st = statuses_by_key(s, data.id)["onderzoek"]
    assert "Vul de conclusie in van 'Intelligentieonderzoek'." in st.missing
    assert "Vul in wie 'Intelligentieonderzoek' heeft uitgevoerd." in st.missing


def test_goal_without_date_or_intermediate_goals_is_named(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        data.goals[1].evaluation_date = None
        data.goals.append(svc.GoalData(area="Rekenen", goal="Tafels", intermediate_goals=""))
        data = svc.save_version(s, data)
        st = statuses_by_key(s, data.id)["handelingsdeel"]
    assert "Vul de evaluatiedatum van doel 2 (Sociaal-emotionele ontwikkeling) in." in st.missing
    assert "Vul de tussendoelen van doel 4 (Rekenen) in." in st.missing


def test_legal_form_requires_fewer_parts(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY, form=OppForm.WETTELIJK)
        statuses = svc.completeness(s, data.id)
    required = {st.key for st in statuses if st.required}
    assert required == {"factoren", "uitstroom", "handelingsdeel", "aanpassingen", "handtekeningen"}


# ------------------------------------------------------------------------------- saving


def test_save_round_trip_keeps_children_and_order(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        data.goals.reverse()
        data.goals.append(
            svc.GoalData(
                area="Rekenen", goal="Sommen tot 100", intermediate_goals="-", evaluation_date=TODAY
            )
        )
        saved = svc.save_version(s, data)
    with demo_db.session() as s:
        again = svc.load_version(s, saved.id)
    assert [g.area for g in again.goals] == [
        "Leren leren",
        "Sociaal-emotionele ontwikkeling",
        "Cognitieve ontwikkeling",
        "Rekenen",
    ]
    assert again.subject_levels == {"Rekenen": "1F", "Technisch lezen": "E6"}
    assert again.conversations[0].summary == "Besproken."
    assert again.lock_version > data.lock_version


def test_stale_save_is_refused(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY)
    first = svc.OppVersionData(**{**asdict(data), "goals": data.goals})
    with demo_db.session() as s:
        data.promoting_factors = "A"
        svc.save_version(s, data)
    first.promoting_factors = "B"
    with demo_db.session() as s, pytest.raises(ConcurrentEditError):
        svc.save_version(s, first)
    with demo_db.session() as s:
        assert svc.load_version(s, data.id).promoting_factors == "A"


def test_stale_save_from_a_second_database_connection(demo_db) -> None:
    """Two app instances on one file: the second save is refused, the first is kept."""
    from ib_desktop.storage import open_database

    other = open_database(demo_db.path)
    try:
        with demo_db.session() as s:
            data = svc.start_opp(s, FRESH, on=TODAY)
        with other.session() as s:
            theirs = svc.load_version(s, data.id)
        with demo_db.session() as s:
            data.adjustments = "mine"
            svc.save_version(s, data)
        theirs.adjustments = "theirs"
        with other.session() as s, pytest.raises(ConcurrentEditError):
            svc.save_version(s, theirs)
    finally:
        other.dispose()


def test_refusal_of_consent_needs_a_view(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        with pytest.raises(ValidationErrors) as err:
            svc.record_consent(s, data.id, 1, consent=False, on=TODAY, view="")
    assert "zienswijze van Isa Courtier" in str(err.value)


def test_consent_only_from_guardians_with_gezag(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, PARTIAL_CUSTODY, on=TODAY)
        with pytest.raises(ValidationError, match="geen gezag"):
            svc.record_consent(s, data.id, 82, consent=True, on=TODAY)


# ------------------------------------------------------------------------------- life cycle


def test_fix_refused_naming_part_guardians_and_signatures(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        data.hindering_factors = ""
        data = svc.save_version(s, data)
        with pytest.raises(svc.OppNotReady) as err:
            svc.fix_version(s, data.id, on=TODAY)
    errors = err.value.errors
    assert "deel_5" in errors
    assert "Bevorderende en belemmerende factoren" in errors["deel_5"]
    assert "Beschrijf de belemmerende factoren." in errors["deel_5"]
    assert "Isa Courtier (moeder)" in errors["toestemming_1"]
    assert "Daan Sarneel (vader)" in errors["toestemming_2"]
    assert "intern begeleider" in errors["handtekening_ib"]
    assert "directie" in errors["handtekening_directie"]
    assert "besproken" in errors
    assert err.value.parts == [5, 13]


def test_refused_consent_keeps_opp_unfixed_and_listed(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        svc.mark_discussed(s, data.id, on=TODAY)
        sign_and_consent(s, data.id)
        svc.record_consent(
            s, data.id, 2, consent=False, on=TODAY, view="Vader wil eerst een second opinion."
        )
        with pytest.raises(svc.OppNotReady) as err:
            svc.fix_version(s, data.id, on=TODAY)
    assert (
        "Daan Sarneel (vader) heeft op 18-11-2026 geen toestemming gegeven"
        in err.value.errors["toestemming_2"]
    )
    with demo_db.session() as s:
        issues = svc.opps_without_consent(s, demo_db.school_id)
        assert s.get(OppVersion, data.id).status == OppStatus.BESPROKEN
    assert [(i.pupil_id, i.guardian_name, i.view) for i in issues] == [
        (FRESH, "Daan Sarneel", "Vader wil eerst een second opinion.")
    ]
    # Once the father consents after all, the OPP leaves the list and can be fixed.
    with demo_db.session() as s:
        svc.record_consent(s, data.id, 2, consent=True, on=TODAY)
        assert svc.opps_without_consent(s, demo_db.school_id) == []
        assert svc.fix_version(s, data.id, on=TODAY).status == OppStatus.VASTGESTELD


def test_guardian_without_gezag_is_not_asked_for_consent(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s, PARTIAL_CUSTODY)
        data.assessment_notes = svc.mark_not_applicable("geen onderzoek")
        data = svc.save_version(s, data)
        svc.mark_discussed(s, data.id, on=TODAY)
        sign_and_consent(s, data.id)
        fixed = svc.fix_version(s, data.id, on=TODAY)
    assert [c.guardian_id for c in fixed.consents] == [81]
    assert fixed.status == OppStatus.VASTGESTELD


def fixed_version(demo_db) -> svc.OppVersionData:
    with demo_db.session() as s:
        data = ready_version(s)
        svc.mark_discussed(
            s, data.id, on=TODAY, participants="moeder, vader, IB-er", summary="Plan doorgenomen."
        )
        sign_and_consent(s, data.id)
        return svc.fix_version(s, data.id, on=TODAY)


def test_fix_freezes_and_sets_next_evaluation(demo_db) -> None:
    fixed = fixed_version(demo_db)
    assert fixed.status == OppStatus.VASTGESTELD
    assert fixed.fixed_on == TODAY
    # Two evaluations a year (the demo school): about half a year later.
    assert fixed.next_evaluation_on == date(2027, 5, 18)
    assert fixed.frozen_pupil["pupil"]["full_name"] == "Jake Sarneel"
    assert [g["name"] for g in fixed.frozen_pupil["guardians"]] == ["Isa Courtier", "Daan Sarneel"]
    assert any(c.summary == "Plan doorgenomen." for c in fixed.conversations)


def test_next_evaluation_follows_school_rhythm_and_never_exceeds_a_year(demo_db) -> None:
    assert svc.default_next_evaluation(date(2026, 1, 31), 2) == date(2026, 7, 31)
    assert svc.default_next_evaluation(date(2026, 1, 10), 1) == date(2027, 1, 10)
    assert svc.default_next_evaluation(date(2026, 1, 10), 4) == date(2026, 4, 10)
    with demo_db.session() as s:
        s.get(School, demo_db.school_id).opp_evaluations_per_year = 1
        data = ready_version(s)
        svc.mark_discussed(s, data.id, on=TODAY)
        sign_and_consent(s, data.id)
        with pytest.raises(svc.OppNotReady) as err:
            svc.fix_version(s, data.id, on=TODAY, next_evaluation_on=date(2027, 12, 1))
        assert "ten minste eens per jaar" in err.value.errors["next_evaluation_on"]
        fixed = svc.fix_version(s, data.id, on=TODAY)
    assert fixed.next_evaluation_on == date(2027, 11, 18)


def test_frozen_version_refuses_edits(demo_db) -> None:
    fixed = fixed_version(demo_db)
    fixed.adjustments = "anders"
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="vastgesteld"):
        svc.save_version(s, fixed)
    with demo_db.session() as s, pytest.raises(ReadOnlyError):
        svc.mark_discussed(s, fixed.id, on=TODAY)
    with demo_db.session() as s, pytest.raises(ReadOnlyError):
        svc.record_consent(s, fixed.id, 1, consent=True, on=TODAY)
    with demo_db.session() as s:
        assert svc.load_version(s, fixed.id).adjustments == "Verlengde instructie."


def test_evaluation_requires_each_goal_result(demo_db) -> None:
    fixed = fixed_version(demo_db)
    first = fixed.goals[0]
    with demo_db.session() as s, pytest.raises(ValidationErrors) as err:
        svc.evaluate_version(
            s, fixed.id, on=date(2027, 5, 18), results={first.id: (Outcome.BEHAALD, "")}
        )
    assert f"doel_{fixed.goals[1].id}" in err.value.errors
    assert "sociaal-emotionele ontwikkeling" in err.value.errors[f"doel_{fixed.goals[1].id}"]


def test_concept_cannot_be_evaluated(demo_db) -> None:
    with demo_db.session() as s:
        data = ready_version(s)
        with pytest.raises(ValidationError, match="Alleen een vastgestelde versie"):
            svc.evaluate_version(s, data.id, on=TODAY, results={})


def evaluate(demo_db, fixed: svc.OppVersionData) -> svc.OppVersionData:
    results = {g.id: (Outcome.DEELS_BEHAALD, "Halverwege.") for g in fixed.goals}
    with demo_db.session() as s:
        return svc.evaluate_version(s, fixed.id, on=date(2027, 5, 18), results=results)


def test_evaluation_makes_version_two_and_version_one_stays_unchanged(demo_db) -> None:
    fixed = fixed_version(demo_db)
    new = evaluate(demo_db, fixed)
    with demo_db.session() as s:
        v1_before = asdict(svc.load_version(s, fixed.id))
    assert new.number == 2
    assert new.status == OppStatus.CONCEPT
    assert new.previous_version_id == fixed.id
    assert new.adjustments == fixed.adjustments
    assert new.outflow == fixed.outflow
    assert [g.goal for g in new.goals] == [g.goal for g in fixed.goals]
    assert all(g.outcome is None and g.result == "" for g in new.goals)
    assert new.conversations == []
    assert new.consents == []
    assert new.signatures == []
    assert [g.outcome for g in new.previous_goals] == [Outcome.DEELS_BEHAALD] * 3
    assert v1_before["status"] == OppStatus.GEEVALUEERD
    assert v1_before["evaluated_on"] == date(2027, 5, 18)

    # Part 12 is now required and missing.
    with demo_db.session() as s:
        st = statuses_by_key(s, new.id)["evaluatie"]
    assert st.required
    assert not st.complete

    # Edit the pupil file and version 2: version 1 (content and frozen pupil data) is unchanged.
    with demo_db.session() as s:
        s.get(Guardian, 1).name = "Isa Courtier-Jansen"
        s.get(Pupil, FRESH).family_composition = "Woont bij moeder."
        new.adjustments = "Nieuwe aanpassingen."
        new.goals[0].goal = "Nieuw doel."
        new.evaluation = "Groei op lezen."
        svc.save_version(s, new)
    with demo_db.session() as s:
        v1_after = asdict(svc.load_version(s, fixed.id))
        v2 = svc.load_version(s, new.id)
        assert svc.pupil_part_data(s, v2)["guardians"][0]["name"] == "Isa Courtier-Jansen"
    assert v1_after == v1_before
    assert v1_after["frozen_pupil"]["guardians"][0]["name"] == "Isa Courtier"
    assert v1_after["frozen_pupil"]["pupil"]["family_composition"] != "Woont bij moeder."


def test_evaluated_version_cannot_be_evaluated_twice(demo_db) -> None:
    fixed = fixed_version(demo_db)
    evaluate(demo_db, fixed)
    with demo_db.session() as s, pytest.raises(ValidationError, match="al geëvalueerd"):
        svc.evaluate_version(s, fixed.id, on=date(2027, 6, 1), results={})


def test_list_versions(demo_db) -> None:
    fixed = fixed_version(demo_db)
    evaluate(demo_db, fixed)
    with demo_db.session() as s:
        versions = svc.list_versions(s, fixed.opp_id)
        assert svc.newest_version_id(s, fixed.opp_id) == versions[-1].id
    assert [(v.number, v.status) for v in versions] == [
        (1, OppStatus.GEEVALUEERD),
        (2, OppStatus.CONCEPT),
    ]
    assert versions[0].fixed_on == TODAY


# ------------------------------------------------------------------------------- comparison


def test_word_diff_marks_insertions_and_deletions() -> None:
    segments = svc.word_diff(
        "korte instructie in de groep", "lange instructie in een klein groepje"
    )
    ops = [(s.op, s.text) for s in segments]
    assert ("delete", "korte") in ops
    assert ("insert", "lange") in ops
    assert ("equal", " instructie in ") in ops
    assert "".join(s.text for s in segments if s.op != "insert") == "korte instructie in de groep"
    assert (
        "".join(s.text for s in segments if s.op != "delete")
        == "lange instructie in een klein groepje"
    )


def test_diff_versions_shows_changed_parts_only(demo_db) -> None:
    fixed = fixed_version(demo_db)
    new = evaluate(demo_db, fixed)
    with demo_db.session() as s:
        new.need_space = "Een eigen werkplek bij het raam."
        new.evaluation = "Groei op lezen."
        svc.save_version(s, new)
        diffs = svc.diff_versions(s, fixed.id, new.id)
    changed = {d.number: d for d in diffs if d.changed}
    assert 6 in changed
    assert 12 in changed
    field = next(c for c in changed[6].changes if c.label == "Ruimtelijke omgeving")
    assert field.old == "Rustige plek."
    assert field.new == "Een eigen werkplek bij het raam."
    assert 5 not in changed
    assert 10 not in changed
    # The goals moved to the next evaluation date (part 9); the results of version 1 are shown
    # in part 12 of version 2, not as deletions in part 9.
    assert 9 in changed
    assert all("Resultaat" not in c.old for c in changed[9].changes)
    results = next(c for c in changed[12].changes if c.label == "Resultaten van de vorige versie")
    assert "Behaald" not in results.old
    assert "Deels behaald (Halverwege.)" in results.new


def test_opps_without_consent_ignores_older_versions(demo_db) -> None:
    with demo_db.session() as s:
        issues = svc.opps_without_consent(s, demo_db.school_id)
    assert issues == []


def test_recovery_payload_round_trip(demo_db) -> None:
    import json

    fixed = fixed_version(demo_db)
    fixed.signatures[0].image_png = b"\x89PNG fake"
    payload = json.loads(json.dumps(svc.data_to_dict(fixed)))
    assert svc.data_from_dict(payload) == fixed


def test_signer_choices(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, PARTIAL_CUSTODY, on=TODAY)
        choices = svc.signer_choices(s, data, svc.pupil_part_data(s, data))
    roles = {(c.role, c.name) for c in choices}
    assert (SignatureRole.OUDER, "Victoria Gruijl") in roles
    assert (SignatureRole.OUDER, "Imran Draaisma") not in roles
    assert any(c.role == SignatureRole.IB for c in choices)
    assert any(c.role == SignatureRole.DIRECTIE for c in choices)


def test_opp_of_a_pupil_who_left_is_read_only(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY)
        pupil = s.get(Pupil, FRESH)
        pupil.status = PupilStatus.VERTROKKEN
        pupil.left_on = TODAY
    data.adjustments = "na vertrek"
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="verlaten"):
        svc.save_version(s, data)
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="verlaten"):
        svc.start_opp(s, FRESH, on=TODAY)


def test_consent_and_signature_stand_apart_from_the_draft(demo_db) -> None:
    """Issue 15: legal acts are stored on their own; a stale draft keeps them, no conflict."""
    with demo_db.session() as s:
        draft = ready_version(s)
    with demo_db.session() as s:
        ib = s.scalars(sa.select(Staff).where(Staff.role == StaffRole.IB)).first()
        svc.record_consent(s, draft.id, 1, consent=True, on=TODAY, today=TODAY)
        stored = svc.add_signature(
            s, draft.id, svc.SignatureData(SignatureRole.IB, ib.full_name, TODAY, staff_id=ib.id)
        )
    assert stored.lock_version == draft.lock_version
    # The editor that loaded the version before the acts saves its text: no conflict, acts kept.
    draft.adjustments = "Later opgeslagen."
    with demo_db.session() as s:
        saved = svc.save_version(s, draft)
    assert saved.adjustments == "Later opgeslagen."
    assert [c.guardian_id for c in saved.consents] == [1]
    assert [x.role for x in saved.signatures] == [SignatureRole.IB]
    with demo_db.session() as s, pytest.raises(ValidationErrors, match="toekomst"):
        svc.record_consent(s, draft.id, 2, consent=True, on=date(2026, 12, 1), today=TODAY)
    with demo_db.session() as s:
        svc.remove_signature(s, draft.id, saved.signatures[0].id)
    with demo_db.session() as s:
        assert svc.load_version(s, draft.id).signatures == []


def test_new_version_carries_each_goals_own_date(demo_db) -> None:
    """Issue 15: evaluating used to reset every goal to one date in the new version."""
    with demo_db.session() as s:
        data = ready_version(s)
        data.goals[0].evaluation_date = date(2027, 3, 1)  # passed at the evaluation
        data.goals[1].evaluation_date = date(2027, 6, 20)  # still ahead
        data.goals[2].evaluation_date = date(2026, 12, 1)
        data = svc.save_version(s, data)
        svc.mark_discussed(s, data.id, on=TODAY)
        sign_and_consent(s, data.id)
        fixed = svc.fix_version(s, data.id, on=TODAY)
    new = evaluate(demo_db, fixed)  # evaluated on 18-05-2027, two evaluations a year
    assert [g.evaluation_date for g in new.goals] == [
        date(2027, 9, 1),  # its own rhythm: half a year after its own date
        date(2027, 6, 20),
        date(2027, 6, 1),
    ]
    assert svc.carried_goal_date(None, date(2027, 5, 18), 2) == date(2027, 11, 18)


def test_legal_acts_and_backdated_levels_on_postgresql(pg_url) -> None:
    """Issue 15 on PostgreSQL: acts stored apart from the draft; a level placed in the history."""
    from ib_desktop.services import levels as level_service
    from ib_desktop.services import pupil as pf
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import open_database

    db = open_database(pg_url)
    other = open_database(pg_url)
    try:
        with db.session() as s:
            school_id = create_school(s, "De Test", brin="99ZZ", swv_name="SWV", today=TODAY).id
            data = pf.PupilData(
                first_name="Pim", last_name="Post", birth_date=date(2017, 2, 3),
                enrolled_on=date(2023, 8, 28),
            )  # fmt: skip
            pupil = pf.create_pupil(s, school_id, data, today=TODAY)
            pf.save_guardian(s, pupil.id, pf.GuardianData(name="Ans Post", relation="moeder"))
            pid = pupil.id
        with db.session() as s:
            draft = svc.start_opp(s, pid, on=TODAY)
            guardian = svc.custody_guardians(svc.pupil_part_data(s, draft))[0]["id"]
        with other.session() as s:  # another laptop records the consent
            svc.record_consent(s, draft.id, guardian, consent=True, on=TODAY, today=TODAY)
        draft.adjustments = "Na de toestemming opgeslagen."
        with db.session() as s:
            saved = svc.save_version(s, draft)  # loaded before the consent: no conflict
        assert saved.adjustments == "Na de toestemming opgeslagen."
        assert [c.guardian_id for c in saved.consents] == [guardian]

        with db.session() as s:
            pupil = s.get(Pupil, pid)
            steps = s.get(School, school_id).support_structure.levels
            level_service.change_level(s, pupil, steps[1], date(2025, 9, 1), "extra", today=TODAY)
            level_service.change_level(
                s, pupil, steps[2], date(2024, 3, 4), "later vastgelegd", today=TODAY
            )
        with db.session() as s:
            history = pf.level_history(s, pid, today=TODAY).steps
        assert [(st.level.position, st.start, st.end) for st in history] == [
            (1, date(2023, 8, 28), date(2024, 3, 4)),
            (3, date(2024, 3, 4), date(2025, 9, 1)),
            (2, date(2025, 9, 1), None),
        ]
    finally:
        other.dispose()
        db.dispose()
