"""The SWV packet: the legal order, at most 12 pages, no BSN, no report the parents kept back."""

from __future__ import annotations

import io
import os
import re
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.cli import main
from ib_desktop.models import (
    Assessment,
    ChangeLog,
    GrowthDocument,
    Opp,
    OppVersion,
    Pupil,
    ShortIntervention,
)
from ib_desktop.reports.swv_packet import SECTIONS, swv_packet
from ib_desktop.services.swv_packet import (
    MAX_PAGES,
    latest_fixed_version,
    log_export,
    released_assessment_ids,
)
from tests.conftest import TODAY

SECRET = "GEHEIM-verslag-Ŝ-42"
RELEASED = "Vrijgegeven-conclusie-Ĳsbrand"


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def _pupil_with_fixed_opp(s) -> int:
    return s.scalars(
        sa.select(Opp.pupil_id)
        .join(OppVersion, OppVersion.opp_id == Opp.id)
        .where(OppVersion.fixed_on.is_not(None))
        .order_by(Opp.pupil_id)
    ).first()


def _largest_file(s) -> int:
    """The pupil with the most records behind the packet (documents, assessments, levels)."""
    best = None
    for (pid,) in s.execute(sa.select(Pupil.id)):
        p = s.get(Pupil, pid)
        size = len(p.assessments) + len(p.level_assignments) + len(p.school_history)
        size += s.scalar(sa.select(sa.func.count()).where(ShortIntervention.pupil_id == pid))
        size += s.scalar(sa.select(sa.func.count()).where(GrowthDocument.pupil_id == pid))
        size += 5 * s.scalar(sa.select(sa.func.count()).where(Opp.pupil_id == pid))
        if best is None or size > best[0]:
            best = (size, pid)
    return best[1]


def _elfproef(digits: str) -> bool:
    """The BSN check: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11."""
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def test_an_unreleased_report_stays_out_and_is_named_on_the_cover(demo_db) -> None:
    with demo_db.session() as s:
        pid = _pupil_with_fixed_opp(s)
        s.add(Assessment(pupil_id=pid, date=date(2026, 2, 3), kind="Psychologisch onderzoek",
                         performed_by="Praktijk Dvořák", conclusion=SECRET, sensitive=True))
        s.add(Assessment(pupil_id=pid, date=date(2026, 1, 5), kind="Leesonderzoek",
                         performed_by="Onderwijsbureau", conclusion=RELEASED))  # fmt: skip
    with demo_db.session() as s:
        packet = swv_packet(s, pid, today=TODAY)
        name = s.get(Pupil, pid).full_name
        version = latest_fixed_version(s, pid)
    pages, text = _text(packet.pdf)
    assert SECRET not in text
    assert RELEASED in text
    assert "Psychologisch onderzoek (03-02-2026)" in text  # listed as left out, not its content
    assert "niet vrijgegeven door de ouders" in text
    assert name in text
    # the cover lists the parts; the parts come in the legal order of an onderwijskundig rapport
    cover = PdfReader(io.BytesIO(packet.pdf)).pages[0].extract_text()
    assert "Wat erin zit" in cover
    assert "Wat er niet in zit" in cover
    assert f"Bijlage: OPP versie {version.number}" in cover
    body = text[len(cover):]
    positions = [body.find(title.split(":")[0]) for title in SECTIONS]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    assert pages == packet.pages <= MAX_PAGES


def test_a_sensitive_report_without_a_release_is_not_released(demo_db) -> None:
    with demo_db.session() as s:
        pid = _pupil_with_fixed_opp(s)
        secret = Assessment(pupil_id=pid, date=date(2026, 2, 3), kind="Medisch", sensitive=True,
                            share_with_swv=False)  # fmt: skip
        plain = Assessment(pupil_id=pid, date=date(2026, 2, 4), kind="Toets")
        s.add_all([secret, plain])
        s.flush()
        released = released_assessment_ids(s, pid)
        assert plain.id in released
        assert secret.id not in released


def test_a_sensitive_report_the_parents_released_goes_into_the_packet(demo_db) -> None:
    with demo_db.session() as s:
        pid = _pupil_with_fixed_opp(s)
        released = Assessment(pupil_id=pid, date=date(2026, 2, 3), kind="Psychologisch onderzoek",
                              performed_by="Praktijk Dvořák", conclusion=SECRET, sensitive=True,
                              swv_released_on=date(2026, 3, 1), swv_released_by="IB-er",
                              swv_guardian_name="Ouder Één")  # fmt: skip
        s.add(released)
        s.flush()
        assert released.id in released_assessment_ids(s, pid)
    with demo_db.session() as s:
        packet = swv_packet(s, pid, today=TODAY)
    _, text = _text(packet.pdf)
    assert SECRET in text


def test_the_largest_file_fits_in_twelve_pages_and_carries_no_bsn(demo_db) -> None:
    with demo_db.session() as s:
        pid = _largest_file(s)
        # make it larger still: a long career of interventions with long untidy texts
        for i in range(40):
            start = date(2020, 9, 1) + timedelta(weeks=8 * i)
            s.add(ShortIntervention(
                pupil_id=pid, start_date=start, end_date=start + timedelta(weeks=6),
                goal=f"Doel {i}: " + "lezen met begrip 📚 en ŉ lange zin " * 40,
                evaluation="Geëvalueerd: " + "ging goed, soms niet " * 60,
            ))  # fmt: skip
        for i in range(25):
            s.add(Assessment(pupil_id=pid, date=date(2019, 1, 1) + timedelta(days=60 * i),
                             kind=f"Toets {i}", conclusion="Conclusie " * 120))  # fmt: skip
    with demo_db.session() as s:
        packet = swv_packet(s, pid, today=TODAY)
    pages, text = _text(packet.pdf)
    assert pages <= MAX_PAGES
    assert packet.shortened
    assert "zie dossier" in text
    assert "ingekort" in text  # the cover says the packet was shortened
    assert "BSN" in text
    assert "wordt nooit meegestuurd" in text
    for digits in re.findall(r"(?<!\d)\d{9}(?!\d)", text.replace(" ", "")):
        assert not _elfproef(digits), f"a BSN-like number in the packet: {digits}"


def test_a_pupil_without_a_fixed_opp_gets_a_packet_that_says_so(demo_db) -> None:
    with demo_db.session() as s:
        with_opp = set(s.scalars(sa.select(Opp.pupil_id)))
        pid = s.scalars(sa.select(Pupil.id).where(Pupil.id.not_in(with_opp))).first()
        packet = swv_packet(s, pid, today=TODAY)
    _pages, text = _text(packet.pdf)
    assert "er is geen vastgesteld OPP" in text
    assert "Bijlage" not in text


def test_the_export_is_logged(demo_db) -> None:
    with demo_db.session() as s:
        pid = _pupil_with_fixed_opp(s)
        packet = swv_packet(s, pid, today=TODAY)
        log_export(s, packet.data, pages=packet.pages, actor="Marieke")
    with demo_db.session() as s:
        row = s.scalars(
            sa.select(ChangeLog).where(ChangeLog.entity == "pupil", ChangeLog.entity_id == pid)
            .order_by(ChangeLog.id.desc())
        ).first()
    assert row.action == "geëxporteerd"
    assert row.actor == "Marieke"
    assert "SWV-pakket" in row.summary
    assert "Weggelaten: BSN" in row.summary


def test_print_swv_packet_writes_a_private_file_and_logs_it(demo_db, tmp_path, capsys) -> None:
    with demo_db.session() as s:
        pid = _pupil_with_fixed_opp(s)
        before = s.scalar(sa.select(sa.func.count(ChangeLog.id)))
    path = demo_db.path
    demo_db.dispose()
    out = tmp_path / "swv.pdf"
    code = main(["print", "swv-packet", "--pupil", str(pid), "-o", str(out),
                 "--database", str(path), "--today", "18-11-2026"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "weggelaten" in capsys.readouterr().out
    assert os.stat(out).st_mode & 0o077 == 0
    assert _text(out.read_bytes())[0] <= MAX_PAGES
    from ib_desktop.storage import open_database

    db = open_database(path)
    with db.session() as s:
        assert s.scalar(sa.select(sa.func.count(ChangeLog.id))) == before + 1
    db.dispose()
    code = main(["print", "swv-packet", "--pupil", str(pid), "--sensitive", "-o", str(out),
                 "--database", str(path)])  # fmt: skip
    assert code == 2
    assert "--sensitive" in capsys.readouterr().err


def test_the_packet_on_postgresql(pg_url: str) -> None:
    """The same services on PostgreSQL: a fixed OPP's packet fits, leaves out, and is logged."""
    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database

    db = open_database(pg_url)
    try:
        generate(db, pupils=40, seed=7, today=TODAY)
        with db.session() as s:
            pid = _pupil_with_fixed_opp(s)
            s.add(Assessment(pupil_id=pid, date=date(2026, 2, 3), kind="Medisch verslag",
                             conclusion=SECRET, sensitive=True))  # fmt: skip
        with db.session() as s:
            packet = swv_packet(s, pid, today=TODAY)
            log_export(s, packet.data, pages=packet.pages, actor="PG")
        pages, text = _text(packet.pdf)
        assert pages <= MAX_PAGES
        assert SECRET not in text
        assert "Medisch verslag (03-02-2026)" in text
        with db.session() as s:
            assert s.scalar(
                sa.select(sa.func.count(ChangeLog.id)).where(ChangeLog.actor == "PG")
            ) == 1
    finally:
        db.dispose()
