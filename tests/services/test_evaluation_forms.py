"""Evaluation forms by mail: made, filled in as a PDF reader does (pypdf), read back, applied."""

from __future__ import annotations

import io
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter

from ib_desktop.models import Outcome, Setting, Staff
from ib_desktop.reports.evaluation_forms import evaluation_form_pdf
from ib_desktop.services import plans
from ib_desktop.services.plans import evaluation_forms as ef
from ib_desktop.services.plans.evaluation_forms import FormRefused
from ib_desktop.storage import open_database
from tests.conftest import TODAY


def fill(data: bytes, values: dict[str, str]) -> bytes:
    """Fill fields the way a PDF reader saves them (values in /V, appearances left to it)."""
    writer = PdfWriter(clone_from=io.BytesIO(data))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make(db, teacher_id: int | None = None) -> list[ef.FormContent]:
    with db.session() as s:
        return ef.make_forms(s, db.school_id, today=TODAY, within_days=14, teacher_id=teacher_id)


def busiest(db) -> ef.FormContent:
    """The form with the most goals, over at least two documents."""
    forms = make(db)
    form = max(forms, key=lambda f: (len(f.items), -f.teacher_id))
    assert len(form.items) >= 3
    return form


def target(db, item: ef.FormItem) -> plans.EvaluationTarget:
    with db.session() as s:
        task = plans.load_evaluation_task(s, ef._moment(item.moment))
        return next(t for t in task.targets if t.key == item.target_key)


def apply(db, data: bytes, **kwargs) -> ef.ApplyResult:
    form = ef.read_form(data)
    with db.session() as s:
        return ef.apply_form(s, db.school_id, form, today=TODAY, actor="Test IB-er", **kwargs)


def test_the_form_has_a_text_and_a_choice_field_per_goal_and_the_goal_beside_it(demo_db) -> None:
    content = busiest(demo_db)
    data = evaluation_form_pdf(content)
    reader = PdfReader(io.BytesIO(data))
    fields = reader.get_fields()
    for item in content.items:
        text_field = fields[ef.evaluation_field(item.n)]
        choice = fields[ef.outcome_field(item.n)]
        assert text_field["/FT"] == "/Tx"
        assert int(text_field["/Ff"]) & (1 << 12)  # multiline
        assert "/MaxLen" not in text_field  # long evaluations are not cut off
        assert choice["/FT"] == "/Ch"
        assert {str(o) for o in choice["/Opt"]} == {label for label, _o in ef.OUTCOME_CHOICES}
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Evaluatieformulier" in text
    assert content.teacher_name in text
    for word in ("18 november 2026", "Uitvoering", "Uitkomst"):
        assert word in text
    first = content.items[0]
    assert first.pupil_name in text
    assert first.goal.split()[0] in text


def test_filled_form_is_saved_with_the_teacher_as_evaluator(demo_db) -> None:
    def kinds(form: ef.FormContent) -> dict[str, ef.FormItem]:
        found: dict[str, ef.FormItem] = {}
        for item in form.items:
            found.setdefault(item.target_key.split(":")[0], item)
        return found

    content = max(make(demo_db), key=lambda f: (len(kinds(f)), len(f.items)))
    chosen = kinds(content)
    assert {"groeidoel", "korte_interventie"} <= set(chosen)  # both kinds that keep an evaluator
    items = list(chosen.values())
    long_text = "Eerste regel 😀 met ĳ en Dvořák\r\nTweede regel\n" + "x" * 10_000
    nfd = unicodedata.normalize("NFD", "Ging beter: één keer per dag geoefend")
    texts = [long_text, nfd] + [f"Evaluatie {i}" for i in range(len(items))]
    values: dict[str, str] = {}
    for item, text in zip(items, texts, strict=False):
        values[ef.evaluation_field(item.n)] = text
        values[ef.outcome_field(item.n)] = "deels behaald"
    result = apply(demo_db, fill(evaluation_form_pdf(content), values))
    assert result.saved == len(items)
    for item, text in zip(items, texts, strict=False):
        stored = target(demo_db, item)
        # As typed: all 10,000 characters, emoji, newlines (the reader's CR LF as LF), NFC.
        assert stored.evaluation == unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
        assert stored.outcome == Outcome.DEELS_BEHAALD
        if not item.target_key.startswith("oppdoel"):
            assert stored.evaluated_by_id == content.teacher_id
            assert stored.evaluated_on == TODAY
    # The goals left empty did not change.
    for item in content.items:
        if item not in items:
            assert target(demo_db, item).evaluation == item.evaluation


def test_a_form_is_applied_only_once(demo_db) -> None:
    content = busiest(demo_db)
    item = content.items[0]
    data = fill(
        evaluation_form_pdf(content),
        {ef.evaluation_field(item.n): "Goed gegaan", ef.outcome_field(item.n): "behaald"},
    )
    apply(demo_db, data)
    with pytest.raises(FormRefused, match="al ingelezen"):
        apply(demo_db, data)
    # Also when the second copy was re-saved by the teacher with other text.
    changed = fill(data, {ef.evaluation_field(item.n): "Toch anders"})
    with pytest.raises(FormRefused, match="al ingelezen"):
        apply(demo_db, changed)
    assert target(demo_db, item).evaluation == "Goed gegaan"


def test_a_form_from_another_database_is_refused(demo_db, tmp_path: Path) -> None:
    import shutil

    content = busiest(demo_db)
    item = content.items[0]
    data = fill(
        evaluation_form_pdf(content),
        {ef.evaluation_field(item.n): "Goed gegaan", ef.outcome_field(item.n): "behaald"},
    )
    # A copy of the same school made elsewhere gets its own identity.
    other_path = tmp_path / "other.sqlite"
    shutil.copyfile(demo_db.path, other_path)
    other = open_database(other_path)
    try:
        with other.session() as s:
            s.execute(sa.delete(Setting).where(Setting.key == ef.DATABASE_ID_KEY))
        other.school_id = demo_db.school_id  # type: ignore[attr-defined]
        with pytest.raises(FormRefused, match="andere database"):
            apply(other, data)
        assert target(other, item).evaluation == item.evaluation
    finally:
        other.dispose()


def test_an_emptied_field_changes_nothing(demo_db) -> None:
    content = busiest(demo_db)
    item = content.items[0]
    # A goal with an evaluation already written (no outcome yet) is on the form prefilled.
    with demo_db.session() as s:
        task = plans.load_evaluation_task(s, ef._moment(item.moment))
        plans.save_evaluation_task(
            s,
            task,
            {item.target_key: ("Al iets geschreven", Outcome.BEHAALD)},
            evaluated_by_id=content.teacher_id,
            evaluated_on=TODAY,
            today=TODAY,
        )
    with demo_db.session() as s:
        content = ef.make_forms(
            s, demo_db.school_id, today=TODAY, within_days=14, teacher_id=content.teacher_id
        )[0]
    assert item.target_key not in {i.target_key for i in content.items}  # evaluated: not asked
    first, second = content.items[0], content.items[1]
    data = fill(
        evaluation_form_pdf(content),
        {
            ef.evaluation_field(first.n): "",
            ef.outcome_field(first.n): "niet behaald",
            ef.evaluation_field(second.n): "Nieuw",
            ef.outcome_field(second.n): "behaald",
        },
    )
    result = apply(demo_db, data)
    assert [r.status for r in result.review.rows][:2] == [ef.EMPTY, ef.NEW]
    assert target(demo_db, first).evaluation == first.evaluation
    assert target(demo_db, first).outcome == first.outcome
    assert target(demo_db, item).evaluation == "Al iets geschreven"


def test_a_form_with_nothing_filled_in_is_refused_and_can_be_filled_later(demo_db) -> None:
    content = busiest(demo_db)
    data = evaluation_form_pdf(content)
    with pytest.raises(FormRefused, match="niets op te slaan"):
        apply(demo_db, fill(data, {}))
    item = content.items[0]
    filled = fill(data, {ef.evaluation_field(item.n): "Later", ef.outcome_field(item.n): "behaald"})
    assert apply(demo_db, filled).saved == 1


def test_a_goal_evaluated_meanwhile_is_a_conflict_and_not_overwritten(demo_db) -> None:
    content = busiest(demo_db)
    first, second = content.items[0], content.items[1]
    data = fill(
        evaluation_form_pdf(content),
        {
            ef.evaluation_field(first.n): "Van het formulier",
            ef.outcome_field(first.n): "behaald",
            ef.evaluation_field(second.n): "Ook van het formulier",
            ef.outcome_field(second.n): "niet behaald",
        },
    )
    # Meanwhile the IB-er writes the first goal's evaluation in the app.
    with demo_db.session() as s:
        task = plans.load_evaluation_task(s, ef._moment(first.moment))
        plans.save_evaluation_task(
            s,
            task,
            {first.target_key: ("In het programma", Outcome.DEELS_BEHAALD)},
            evaluated_by_id=None,
            evaluated_on=TODAY,
            today=TODAY,
            actor="Iris IB",
        )
    form = ef.read_form(data)
    with demo_db.session() as s:
        review = ef.review_form(s, demo_db.school_id, form)
    row = next(r for r in review.rows if r.n == first.n)
    assert row.status == ef.CONFLICT
    assert row.stored_text == "In het programma"
    assert row.text == "Van het formulier"
    assert "Iris IB" in row.note
    result = apply(demo_db, data)
    assert result.saved == 1
    assert target(demo_db, first).evaluation == "In het programma"  # not silently overwritten
    assert target(demo_db, second).evaluation == "Ook van het formulier"


def test_a_conflict_is_overwritten_only_when_chosen(demo_db) -> None:
    content = busiest(demo_db)
    first = content.items[0]
    data = fill(
        evaluation_form_pdf(content),
        {ef.evaluation_field(first.n): "Van het formulier", ef.outcome_field(first.n): "behaald"},
    )
    with demo_db.session() as s:
        task = plans.load_evaluation_task(s, ef._moment(first.moment))
        plans.save_evaluation_task(
            s,
            task,
            {first.target_key: ("In het programma", Outcome.DEELS_BEHAALD)},
            evaluated_by_id=None,
            evaluated_on=TODAY,
            today=TODAY,
        )
    apply(demo_db, data, overwrite=[first.n])
    assert target(demo_db, first).evaluation == "Van het formulier"


def test_a_flattened_or_foreign_pdf_is_refused_in_dutch(demo_db, tmp_path: Path) -> None:
    content = busiest(demo_db)
    data = evaluation_form_pdf(content)
    # "Afdrukken als PDF": the same pages without the form.
    writer = PdfWriter()
    original = PdfReader(io.BytesIO(data))
    for page in original.pages:
        writer.add_page(page)
    writer.add_metadata(dict(original.metadata))  # the description survives, the fields do not
    if "/Annots" in writer.pages[0]:
        for page in writer.pages:
            del page["/Annots"]
    flat = io.BytesIO()
    writer.write(flat)
    with pytest.raises(FormRefused, match="invulvelden"):
        ef.read_form(flat.getvalue())
    with pytest.raises(FormRefused, match="geen leesbare PDF"):
        ef.read_form(b"not a pdf at all")
    from ib_desktop.models import ShortIntervention
    from ib_desktop.reports import intervention_pdf

    with demo_db.session() as s:
        other_pdf = intervention_pdf(s, s.scalars(sa.select(ShortIntervention.id)).first())
    with pytest.raises(FormRefused, match="geen evaluatieformulier"):
        ef.read_form(other_pdf)


def test_one_form_per_teacher_with_only_their_open_evaluations(demo_db) -> None:
    forms = make(demo_db)
    assert len({f.teacher_id for f in forms}) == len(forms) >= 2
    with demo_db.session() as s:
        for form in forms:
            tasks = plans.evaluation_tasks(s, demo_db.school_id, form.teacher_id, today=TODAY)
            expected = {
                (t.moment_key, g.key)
                for t in tasks
                if not t.read_only
                for g in t.targets
                if not g.is_evaluated
            }
            assert {(i.moment["key"], i.target_key) for i in form.items} == expected
            assert s.get(Staff, form.teacher_id) is not None
    assert all(i.due <= TODAY + timedelta(days=14) for f in forms for i in f.items)


@pytest.mark.parametrize(
    ("text", "days"), [("2w", 14), ("2 weken", 14), ("10d", 10), ("10", 10), ("1 week", 7)]
)
def test_within_is_read_in_weeks_or_days(text: str, days: int) -> None:
    assert ef.parse_within(text) == days


def test_within_nonsense_is_refused_in_dutch() -> None:
    with pytest.raises(ValueError, match="geen termijn"):
        ef.parse_within("morgen")


def test_on_postgresql_two_people_applying_one_form_at_once_save_it_once(pg_url) -> None:
    import threading

    from ib_desktop.demo import generate
    from ib_desktop.services.school import get_school

    db = open_database(pg_url)
    try:
        generate(db, pupils=60, seed=7, today=TODAY)
        with db.session() as s:
            db.school_id = get_school(s).id  # type: ignore[attr-defined]
        content = busiest(db)
        item = content.items[0]
        data = fill(
            evaluation_form_pdf(content),
            {ef.evaluation_field(item.n): "Één keer 😀", ef.outcome_field(item.n): "behaald"},
        )
        form = ef.read_form(data)
        outcomes: list[str] = []
        barrier = threading.Barrier(2)

        def laptop() -> None:
            other = open_database(pg_url)
            try:
                barrier.wait()
                with other.session() as s:
                    ef.apply_form(s, db.school_id, form, today=TODAY, actor="Laptop")
                outcomes.append("saved")
            except FormRefused:
                outcomes.append("refused")
            finally:
                other.dispose()

        threads = [threading.Thread(target=laptop) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(outcomes) == ["refused", "saved"]
        assert target(db, item).evaluation == "Één keer 😀"
        with db.session() as s:
            applied = s.scalars(
                sa.select(Setting).where(Setting.key.startswith(ef.APPLIED_PREFIX))
            ).all()
        assert len(applied) == 1
    finally:
        db.dispose()


def test_a_form_re_saved_by_another_program_still_reads(demo_db) -> None:
    content = busiest(demo_db)
    item = content.items[0]
    writer = PdfWriter(clone_from=io.BytesIO(evaluation_form_pdf(content)))
    for page in writer.pages:  # this reader draws the filled-in text itself
        writer.update_page_form_field_values(
            page,
            {ef.evaluation_field(item.n): "Opnieuw bewaard", ef.outcome_field(item.n): "behaald"},
            auto_regenerate=True,
        )
    first = io.BytesIO()
    writer.write(first)
    # Then another program writes the whole document anew (new objects, no document info).
    again = PdfWriter()
    again.append(PdfReader(io.BytesIO(first.getvalue())))
    out = io.BytesIO()
    again.write(out)
    form = ef.read_form(out.getvalue())
    assert form.teacher_id == content.teacher_id
    assert (form.items[0].text, form.items[0].outcome) == ("Opnieuw bewaard", Outcome.BEHAALD)
    assert apply(demo_db, out.getvalue()).saved == 1


def test_another_goal_half_written_in_the_app_does_not_block_the_form(demo_db) -> None:
    from ib_desktop.models import GrowthGoal

    forms = make(demo_db)
    pairs = [
        (a, b)
        for f in forms
        for a in f.items
        for b in f.items
        if a.n < b.n and a.moment["key"] == b.moment["key"] and a.target_key.startswith("groeidoel")
    ]
    assert pairs, "the demo has a groeidocument with two goals to evaluate"
    first, other = pairs[0]
    content = next(f for f in forms if first in f.items)
    data = fill(
        evaluation_form_pdf(content),
        {ef.evaluation_field(first.n): "Via het formulier", ef.outcome_field(first.n): "behaald"},
    )
    # In the app someone started the other goal's evaluation (text, no outcome yet).
    with demo_db.session() as s:
        s.get(GrowthGoal, int(other.target_key.split(":")[1])).evaluation = "Half geschreven"
    assert apply(demo_db, data).saved == 1
    assert target(demo_db, first).evaluation == "Via het formulier"
    assert target(demo_db, other).evaluation == "Half geschreven"
    assert target(demo_db, other).outcome is None
