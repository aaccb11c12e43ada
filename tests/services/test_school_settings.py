"""The school tab's and the development-areas tab's rules."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ib_desktop.models import ChangeLog, DevelopmentArea, Region
from ib_desktop.services.school_settings import (
    AreaDraft,
    brin_problem,
    check_school_settings,
    load_areas,
    load_school_settings,
    save_areas,
    save_school_settings,
)
from ib_desktop.validation import ValidationErrors


@pytest.mark.parametrize(
    ("brin", "ok"),
    [
        ("12AB", True),
        ("12ab", True),
        ("12AB01", True),
        ("", True),
        ("1A2B", False),
        ("123", False),
        ("12ABC", False),
        ("AB12", False),
    ],
)
def test_brin(brin, ok) -> None:
    assert (brin_problem(brin) == "") is ok


def test_save_school_settings_logs_each_change(school_db) -> None:
    with school_db.session() as s:
        data = load_school_settings(s, school_db.school_id)
        data.name = "  OBS Het Kompas "
        data.brin = "34cd"
        data.region = Region.ZUID
        saved = save_school_settings(s, school_db.school_id, data, actor="IB")
        log = s.scalars(sa.select(ChangeLog).where(ChangeLog.entity == "school")).all()
    assert (saved.name, saved.brin, saved.region) == ("OBS Het Kompas", "34CD", Region.ZUID)
    assert {e.field for e in log} == {"name", "brin", "region"}


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [("name", " ", "name"), ("opp_evaluations_per_year", 0, "opp_evaluations_per_year"),
     ("zorgplicht_weeks", 0, "zorgplicht_weeks"), ("logo_png", b"GIF89a", "logo")],
)  # fmt: skip
def test_bad_school_settings(school_db, field, value, key) -> None:
    with school_db.session() as s:
        data = load_school_settings(s, school_db.school_id)
    setattr(data, field, value)
    assert key in check_school_settings(data)
    with pytest.raises(ValidationErrors), school_db.session() as s:
        save_school_settings(s, school_db.school_id, data)


def test_areas_rename_swap_reorder_and_deactivate(school_db) -> None:
    with school_db.session() as s:
        areas = load_areas(s, school_db.school_id)
    names = [a.name for a in areas]
    areas[0].name, areas[1].name = areas[1].name, areas[0].name
    areas[2].active = False
    areas.append(AreaDraft(name="Motoriek"))
    areas.insert(0, areas.pop())
    with school_db.session() as s:
        saved = save_areas(s, school_db.school_id, areas)
    assert [a.name for a in saved][:3] == ["Motoriek", names[1], names[0]]
    assert [a.active for a in saved][3] is False


def test_areas_cannot_be_deleted_or_duplicated(school_db) -> None:
    with school_db.session() as s:
        areas = load_areas(s, school_db.school_id)
    with pytest.raises(ValidationErrors) as info, school_db.session() as s:
        save_areas(s, school_db.school_id, areas[1:])
    assert "uit" in info.value.errors["areas"]
    areas[1].name = areas[0].name.upper()
    with pytest.raises(ValidationErrors) as info, school_db.session() as s:
        save_areas(s, school_db.school_id, areas)
    assert "1.name" in info.value.errors
    with school_db.session() as s:
        assert s.scalar(sa.select(sa.func.count(DevelopmentArea.id))) == len(areas)
