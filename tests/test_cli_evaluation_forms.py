"""``ib-desktop print evaluation-forms`` and ``ib-desktop import FORMULIER.pdf``."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from ib_desktop.cli import main
from ib_desktop.services import plans
from ib_desktop.services.plans import evaluation_forms as ef
from tests.conftest import TODAY
from tests.services.test_evaluation_forms import fill


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def demo_path(demo_db) -> str:
    return str(demo_db.path)


def _teachers_with_work(demo_db) -> list[tuple[int, str]]:
    with demo_db.session() as s:
        forms = ef.make_forms(s, demo_db.school_id, today=TODAY, within_days=14)
        s.rollback()
    return [(f.teacher_id, f.teacher_name) for f in forms]


def test_print_writes_one_fillable_pdf_per_teacher(demo_db, demo_path, tmp_path, capsys) -> None:
    folder = tmp_path / "formulieren"
    code, out, err = run(
        capsys, "print", "evaluation-forms", "-o", f"{folder}/", "--within", "2w",
        "--today", "18-11-2026", "--database", demo_path,
    )  # fmt: skip
    assert code == 0, err
    files = sorted(folder.glob("*.pdf"))
    teachers = _teachers_with_work(demo_db)
    assert len(files) == len(teachers) >= 2
    names = {PdfReader(str(f)).get_fields()[ef.META_FIELD]["/V"] for f in files}
    assert len(names) == len(files)  # every form its own id
    for _id, name in teachers:
        assert any(name in f.name for f in files)
        assert name in out


def test_print_for_one_teacher_and_import_dry_run_then_save(
    demo_db, demo_path, tmp_path, capsys
) -> None:
    teacher_id, name = _teachers_with_work(demo_db)[0]
    folder = tmp_path / "uit"
    code, out, err = run(
        capsys, "print", "evaluation-forms", "-o", f"{folder}/", "--teacher", name,
        "--within", "2w", "--today", "18-11-2026", "--database", demo_path,
    )  # fmt: skip
    assert code == 0, err
    (pdf,) = folder.glob("*.pdf")
    assert name in pdf.name
    form = ef.read_form(pdf.read_bytes())
    assert form.teacher_id == teacher_id
    first = form.items[0]
    filled = tmp_path / "ingevuld.pdf"
    filled.write_bytes(
        fill(
            pdf.read_bytes(),
            {
                ef.evaluation_field(first.n): "Via de mail: gaat goed",
                ef.outcome_field(first.n): "behaald",
            },
        )
    )

    def stored() -> str:
        with demo_db.session() as s:
            task = plans.load_evaluation_task(s, ef._moment(first.meta["moment"]))
            return next(t for t in task.targets if t.key == first.meta["target"]).evaluation

    before = stored()
    code, out, err = run(
        capsys, "import", str(filled), "--dry-run", "--date", "18-11-2026", "--database", demo_path
    )
    assert code == 0, err
    for words in ("Via de mail: gaat goed", "[nieuw]", "1 op te slaan"):
        assert words in out
    assert "niets opgeslagen" in out
    assert stored() == before

    code, out, err = run(
        capsys, "import", str(filled), "--date", "18-11-2026", "--database", demo_path
    )
    assert code == 0, err
    assert "1 evaluatie opgeslagen" in out
    assert stored() == "Via de mail: gaat goed"

    code, out, err = run(
        capsys, "import", str(filled), "--date", "18-11-2026", "--database", demo_path
    )
    assert code == 2
    assert "al ingelezen" in err


def test_import_refuses_a_pdf_that_is_no_form(demo_path, tmp_path, capsys) -> None:
    other = tmp_path / "brief.pdf"
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(other))
    c.drawString(100, 700, "Een gewone brief")
    c.save()
    code, out, err = run(capsys, "import", str(other), "--database", demo_path)
    assert code == 2
    assert "geen evaluatieformulier" in err


def test_print_evaluation_forms_needs_a_folder(demo_path, tmp_path, capsys) -> None:
    code, _out, err = run(
        capsys, "print", "evaluation-forms", "-o", str(tmp_path / "een.pdf"),
        "--database", demo_path,
    )  # fmt: skip
    assert code == 2
    assert "map" in err
    code, _out, err = run(
        capsys, "print", "evaluation-forms", "-o", f"{tmp_path}/", "--within", "morgen",
        "--database", demo_path,
    )  # fmt: skip
    assert code == 2
    assert "geen termijn" in err
