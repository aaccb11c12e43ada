"""Every row the database holds about one pupil, found from the schema rather than listed.

The parents' copy (inzage) and the deletion after the retention period both need "everything
about this pupil". A hand-written list would miss the next table someone adds, so the list is
derived from ``Base.metadata``:

* **owned** tables reach ``pupils`` through their own foreign keys (guardians, OPPs and their
  versions, goals and consents, levels, requests, ...): a row belongs to the pupil it leads to;
* **linked** tables are reached through an association table of an owned kind (a meeting through
  ``meeting_pupils``) and, below them, their children that belong to no pupil themselves (the
  meeting's participants): shared with other pupils, shown but not owned;
* **polymorphic** tables point at a row by a (kind, id) pair instead of a foreign key: the change
  log. They are declared in :data:`POLYMORPHIC_LINKS`; another module adds its own with
  :func:`register_polymorphic`.

Tables about the school rather than a pupil are named in :data:`NOT_ABOUT_A_PUPIL`. A test fails
on any table in none of these groups, so a new table is a decision, not an oversight.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import Base

PUPILS = "pupils"


@dataclass(frozen=True)
class PolymorphicLink:
    """A table whose rows point at another table's row by a kind column and an id column."""

    table: str
    kind_column: str
    id_column: str
    #: kind value -> the table its id refers to
    targets: Mapping[str, str]


#: The change log names its documents by kind ("opp", "groeidocument", ...) and id.
POLYMORPHIC_LINKS: list[PolymorphicLink] = [
    PolymorphicLink(
        "change_log",
        "entity",
        "entity_id",
        {
            "pupil": "pupils",
            "opp": "opps",
            "opp_version": "opp_versions",
            "korte_interventie": "short_interventions",
            "groeidocument": "growth_documents",
        },
    )
]

#: Change-log kinds about the school, not about one pupil.
SCHOOL_ENTITIES = frozenset({"group", "school_year", "staff", "import", "school", "holiday"})

#: Tables about the school, its structure and its people; no pupil's data lives here.
NOT_ABOUT_A_PUPIL = frozenset(
    {
        "accounts",
        "development_areas",
        "goal_bank",  # the school's goals to pick from, no pupil in them
        "group_teachers",
        "groups",
        "holidays",
        "retention_records",  # deliberately without personal data
        "school_years",
        "schools",
        "settings",
        "staff",
        "support_levels",
        "text_blocks",  # the school's standard paragraphs with placeholders
        "support_structures",
    }
)


def register_polymorphic(link: PolymorphicLink) -> None:
    """Declare a table that refers to pupil data by (kind, id), e.g. a log of who saw what."""
    if all(existing.table != link.table for existing in POLYMORPHIC_LINKS):
        POLYMORPHIC_LINKS.append(link)
        _PLANS.clear()


# ---------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """How each table reaches the pupil, derived once per metadata."""

    #: table -> its foreign keys to ``pupils`` or to another owned table
    owned: dict[str, list[sa.ForeignKey]] = field(default_factory=dict)
    #: table -> ("assoc", fk in the association table) or ("child", fk in this table)
    linked: dict[str, list[tuple[str, sa.ForeignKey]]] = field(default_factory=dict)
    polymorphic: dict[str, PolymorphicLink] = field(default_factory=dict)

    def tables(self) -> list[str]:
        """Every table with a path to a pupil: owned, linked and polymorphic."""
        return [*self.owned, *self.linked, *self.polymorphic]


_PLANS: dict[int, Plan] = {}


def _sorted_fks(table: sa.Table) -> list[sa.ForeignKey]:
    return sorted(table.foreign_keys, key=lambda fk: (fk.parent.name, fk.target_fullname))


def plan_for(metadata: sa.MetaData | None = None) -> Plan:
    """The paths from every table to the pupil (cached per metadata object)."""
    metadata = metadata if metadata is not None else Base.metadata
    key = id(metadata)
    if key not in _PLANS:
        _PLANS[key] = _make_plan(metadata)
    return _PLANS[key]


def _make_plan(metadata: sa.MetaData) -> Plan:
    plan = Plan(owned={PUPILS: []})
    tables = metadata.sorted_tables
    changed = True
    while changed:
        changed = False
        for table in tables:
            for fk in _sorted_fks(table):
                parent = fk.column.table.name
                if parent == table.name or parent not in plan.owned:
                    continue
                links = plan.owned.setdefault(table.name, [])
                if fk not in links:
                    links.append(fk)
                    changed = True
    for name in list(plan.owned):
        table = metadata.tables[name]
        pk = set(table.primary_key.columns)
        if not pk or not pk <= {fk.parent for fk in table.foreign_keys}:
            continue
        for fk in _sorted_fks(table):
            target = fk.column.table.name
            if target not in plan.owned:
                plan.linked.setdefault(target, []).append(("assoc", fk))
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table.name in plan.owned or table.name in plan.linked:
                continue
            for fk in _sorted_fks(table):
                if fk.column.table.name in plan.linked:
                    plan.linked.setdefault(table.name, []).append(("child", fk))
                    changed = True
    for link in POLYMORPHIC_LINKS:
        if link.table in metadata.tables:
            plan.polymorphic[link.table] = link
    return plan


def unclassified_tables(metadata: sa.MetaData | None = None) -> set[str]:
    """Tables neither about a pupil (by the walk) nor named as the school's: must be empty."""
    metadata = metadata if metadata is not None else Base.metadata
    plan = plan_for(metadata)
    return set(metadata.tables) - set(plan.tables()) - NOT_ABOUT_A_PUPIL


# ---------------------------------------------------------------------------- the conditions


class _Conditions:
    """The WHERE clause that selects one pupil's rows, per table."""

    def __init__(self, metadata: sa.MetaData, pupil_ids: list[int]) -> None:
        self.metadata = metadata
        self.plan = plan_for(metadata)
        self.pupil_ids = pupil_ids
        self._cache: dict[str, sa.ColumnElement[bool]] = {}

    def where(self, name: str) -> sa.ColumnElement[bool]:
        if name not in self._cache:
            self._cache[name] = self._build(name)
        return self._cache[name]

    def _ids(self, fk: sa.ForeignKey) -> sa.Select[Any]:
        parent = fk.column.table
        return sa.select(parent.c[fk.column.name]).where(self.where(parent.name))

    def _build(self, name: str) -> sa.ColumnElement[bool]:
        table = self.metadata.tables[name]
        if name == PUPILS:
            return table.c.id.in_(self.pupil_ids)
        if name in self.plan.owned:
            return sa.or_(
                *(table.c[fk.parent.name].in_(self._ids(fk)) for fk in self.plan.owned[name])
            )
        if name in self.plan.linked:
            parts: list[sa.ColumnElement[bool]] = []
            for how, fk in self.plan.linked[name]:
                if how == "assoc":
                    assoc = fk.parent.table
                    ids = sa.select(assoc.c[fk.parent.name]).where(self.where(assoc.name))
                    parts.append(table.c[fk.column.name].in_(ids))
                else:
                    parts.append(table.c[fk.parent.name].in_(self._ids(fk)))
            return sa.or_(*parts)
        link = self.plan.polymorphic[name]
        parts = []
        for kind, target_name in sorted(link.targets.items()):
            if target_name not in self.plan.owned:
                continue
            target = self.metadata.tables[target_name]
            (pk,) = target.primary_key.columns
            ids = sa.select(pk).where(self.where(target_name))
            parts.append(
                sa.and_(table.c[link.kind_column] == kind, table.c[link.id_column].in_(ids))
            )
        return sa.or_(*parts) if parts else sa.false()


def _order(table: sa.Table) -> list[sa.Column[Any]]:
    return list(table.primary_key.columns)


def pupil_row_keys(
    session: Session, pupil_id: int, metadata: sa.MetaData | None = None
) -> dict[str, set[tuple[Any, ...]]]:
    """The primary keys of every row about the pupil, per table (empty tables left out)."""
    metadata = metadata if metadata is not None else Base.metadata
    cond = _Conditions(metadata, [pupil_id])
    out: dict[str, set[tuple[Any, ...]]] = {}
    for name in cond.plan.tables():
        table = metadata.tables[name]
        keys = {
            tuple(r) for r in session.execute(sa.select(*_order(table)).where(cond.where(name)))
        }
        if keys:
            out[name] = keys
    return out


def pupil_rows(
    session: Session, pupil_id: int, metadata: sa.MetaData | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every row about the pupil as plain JSON values, per table, in a stable order.

    Every table with a path to the pupil is present, an empty list where it holds nothing.
    """
    metadata = metadata if metadata is not None else Base.metadata
    cond = _Conditions(metadata, [pupil_id])
    out: dict[str, list[dict[str, Any]]] = {}
    for name in cond.plan.tables():
        table = metadata.tables[name]
        query = sa.select(table).where(cond.where(name)).order_by(*_order(table))
        out[name] = [
            {key: json_value(value) for key, value in row.items()}
            for row in session.execute(query).mappings()
        ]
    return out


def json_value(value: Any) -> Any:
    """A database value as JSON: ISO dates, enum values, base64 for bytes."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def delete_owned_rows(
    session: Session, keys: Mapping[str, set[tuple[Any, ...]]], metadata: sa.MetaData | None = None
) -> int:
    """Delete what is left of the owned rows in ``keys`` (children first); the count deleted.

    For the retention: rows that a cascade does not reach (a registration keeps its child's
    name when the pupil goes, ``ON DELETE SET NULL``) go as well.
    """
    metadata = metadata if metadata is not None else Base.metadata
    plan = plan_for(metadata)
    deleted = 0
    for table in reversed(metadata.sorted_tables):
        wanted = keys.get(table.name)
        if not wanted or (table.name not in plan.owned and table.name not in plan.polymorphic):
            continue
        pk = _order(table)
        rows = list(wanted)
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            match = (
                pk[0].in_([key[0] for key in batch]) if len(pk) == 1 else sa.tuple_(*pk).in_(batch)
            )
            result = session.execute(sa.delete(table).where(match))
            deleted += getattr(result, "rowcount", 0) or 0
    return deleted


def _display(row: Mapping[str, Any]) -> str:
    """A school record (member of staff, group, level) as a reader knows it."""
    if "last_name" in row:
        from ib_desktop.names import dutch_name

        return dutch_name(
            row.get("first_name") or "", row.get("tussenvoegsel") or "", row["last_name"]
        )
    for key in ("name", "label", "title"):
        if row.get(key):
            return str(row[key])
    return ""


def referenced_names(
    session: Session, rows: Mapping[str, list[dict[str, Any]]], metadata: sa.MetaData | None = None
) -> dict[str, dict[str, str]]:
    """The names behind the ids that point outside the pupil (staff, groups, levels).

    So that "level_id 3" reads as the level's name in the copy. Keyed by table, then by id as
    text (JSON keys are text); the school itself is left out (it heads every page).
    """
    metadata = metadata if metadata is not None else Base.metadata
    about = set(plan_for(metadata).tables())
    wanted: dict[str, set[Any]] = {}
    for name, table_rows in rows.items():
        for fk in metadata.tables[name].foreign_keys:
            target = fk.column.table
            if target.name in about or target.name == "schools":
                continue
            ids = {r[fk.parent.name] for r in table_rows if r.get(fk.parent.name) is not None}
            if ids:
                wanted.setdefault(target.name, set()).update(ids)
    out: dict[str, dict[str, str]] = {}
    for name, ids in sorted(wanted.items()):
        table = metadata.tables[name]
        (pk,) = table.primary_key.columns
        found = session.execute(sa.select(table).where(pk.in_(sorted(ids)))).mappings()
        out[name] = {str(r[pk.name]): _display(dict(r)) for r in found}
    return out


def reference_targets(table_name: str, metadata: sa.MetaData | None = None) -> dict[str, str]:
    """Column -> the school table it points at (the names :func:`referenced_names` gives)."""
    metadata = metadata if metadata is not None else Base.metadata
    about = set(plan_for(metadata).tables())
    return {
        fk.parent.name: fk.column.table.name
        for fk in metadata.tables[table_name].foreign_keys
        if fk.column.table.name not in about and fk.column.table.name != "schools"
    }
