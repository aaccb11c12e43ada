"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 19:13:52.064329
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "holidays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "region",
            sa.Enum(
                "noord",
                "midden",
                "zuid",
                name="region",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_holidays_end_date_after_start_date"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holidays")),
        sa.UniqueConstraint("region", "start_date", name=op.f("uq_holidays_region_start_date")),
    )
    op.create_table(
        "retention_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("pupil_reference", sa.String(length=80), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("retention_rule", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_records")),
    )
    op.create_table(
        "school_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=9), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("counting_date", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "counting_date >= start_date AND counting_date <= end_date",
            name=op.f("ck_school_years_counting_in_year"),
        ),
        sa.CheckConstraint("end_date > start_date", name=op.f("ck_school_years_end_after_start")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_years")),
        sa.UniqueConstraint("label", name=op.f("uq_school_years_label")),
        sa.UniqueConstraint("start_date", name=op.f("uq_school_years_start_date")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "support_structures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("template_key", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_structures")),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brin", sa.String(length=8), nullable=False),
        sa.Column("swv_name", sa.String(length=200), nullable=False),
        sa.Column(
            "region",
            sa.Enum(
                "noord",
                "midden",
                "zuid",
                name="region",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("support_structure_id", sa.Integer(), nullable=True),
        sa.Column("opp_evaluations_per_year", sa.Integer(), nullable=False),
        sa.Column("zorgplicht_weeks", sa.Integer(), nullable=False),
        sa.Column("zorgplicht_extension_weeks", sa.Integer(), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "opp_evaluations_per_year >= 1", name=op.f("ck_schools_opp_evaluated_yearly")
        ),
        sa.CheckConstraint(
            "zorgplicht_weeks > 0", name=op.f("ck_schools_zorgplicht_weeks_positive")
        ),
        sa.ForeignKeyConstraint(
            ["support_structure_id"],
            ["support_structures.id"],
            name=op.f("fk_schools_support_structure_id_support_structures"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
    )
    op.create_table(
        "support_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "basis",
                "extra",
                "gespecialiseerd",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "responsible_role",
            sa.Enum(
                "ib",
                "leerkracht",
                "directie",
                "onderwijsassistent",
                "overig",
                name="staffrole",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("parent_meeting_weeks", sa.SmallInteger(), nullable=True),
        sa.Column("required_documents", sa.JSON(), nullable=False),
        sa.Column("requires_any", sa.Boolean(), nullable=False),
        sa.Column("color", sa.String(length=9), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "parent_meeting_weeks IS NULL OR parent_meeting_weeks > 0",
            name=op.f("ck_support_levels_meeting_interval_positive"),
        ),
        sa.CheckConstraint("position >= 1", name=op.f("ck_support_levels_position_positive")),
        sa.ForeignKeyConstraint(
            ["structure_id"],
            ["support_structures.id"],
            name=op.f("fk_support_levels_structure_id_support_structures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_levels")),
        sa.UniqueConstraint(
            "structure_id", "name", name=op.f("uq_support_levels_structure_id_name")
        ),
    )
    op.create_table(
        "development_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_development_areas_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_areas")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_development_areas_school_id_name")),
    )
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("grade_low", sa.SmallInteger(), nullable=False),
        sa.Column("grade_high", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "grade_high BETWEEN grade_low AND 8", name=op.f("ck_groups_grade_high_range")
        ),
        sa.CheckConstraint("grade_low BETWEEN 1 AND 8", name=op.f("ck_groups_grade_low_range")),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_groups_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_years.id"],
            name=op.f("fk_groups_school_year_id_school_years"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint(
            "school_id",
            "school_year_id",
            "name",
            name=op.f("uq_groups_school_id_school_year_id_name"),
        ),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("tussenvoegsel", sa.String(length=20), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ib",
                "leerkracht",
                "directie",
                "onderwijsassistent",
                "overig",
                name="staffrole",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_staff_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_table(
        "group_teachers",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_teachers_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_group_teachers_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "staff_id", name=op.f("pk_group_teachers")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "kindbespreking",
                "groepsbespreking",
                "ot",
                "mdo",
                "oudergesprek",
                "overig",
                name="meetingkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_meetings_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_meetings_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_school_date", ["school_id", "date"], unique=False)

    op.create_table(
        "pupils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("lvs_id", sa.String(length=40), nullable=True),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("tussenvoegsel", sa.String(length=20), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("first_school_day", sa.Date(), nullable=True),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "aangemeld",
                "actief",
                "vertrokken",
                name="pupilstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_destination", sa.String(length=200), nullable=False),
        sa.Column("family_composition", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("delete_after", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(status = 'vertrokken') = (left_on IS NOT NULL)", name=op.f("ck_pupils_left_has_date")
        ),
        sa.CheckConstraint(
            "first_school_day IS NULL OR birth_date IS NULL OR first_school_day >= birth_date",
            name=op.f("ck_pupils_first_day_after_birth"),
        ),
        sa.CheckConstraint(
            "left_on IS NULL OR birth_date IS NULL OR left_on >= birth_date",
            name=op.f("ck_pupils_left_after_birth"),
        ),
        sa.CheckConstraint(
            "length(first_name) > 0 AND length(last_name) > 0", name=op.f("ck_pupils_has_name")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_pupils_group_id_groups"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_pupils_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupils")),
        sa.UniqueConstraint(
            "school_id",
            "last_name",
            "tussenvoegsel",
            "first_name",
            "birth_date",
            name=op.f("uq_pupils_school_id_last_name_tussenvoegsel_first_name_birth_date"),
        ),
        sa.UniqueConstraint("school_id", "lvs_id", name=op.f("uq_pupils_school_id_lvs_id")),
    )
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.create_index("ix_pupils_group_id", ["group_id"], unique=False)
        batch_op.create_index("ix_pupils_school_status", ["school_id", "status"], unique=False)

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("performed_by", sa.String(length=200), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column(
            "declaration",
            sa.Enum(
                "dyslexie",
                "dyscalculie",
                name="declaration",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("share_with_swv", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_assessments_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "care_providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "leerling",
                "school",
                "gezin",
                name="carescope",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_care_providers_end_date_after_start_date"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_care_providers_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_providers")),
    )
    with op.batch_alter_table("care_providers", schema=None) as batch_op:
        batch_op.create_index("ix_care_providers_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "evaluation_moments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "interventie",
                "groeidocument",
                "opp_evaluatie",
                "opp_doel",
                "oudergesprek",
                "groepsbespreking",
                "mdo",
                "zorgplicht",
                name="momentkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "behaald",
                "deels_behaald",
                "niet_behaald",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["staff.id"],
            name=op.f("fk_evaluation_moments_done_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_evaluation_moments_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_evaluation_moments_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"],
            ["staff.id"],
            name=op.f("fk_evaluation_moments_responsible_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_evaluation_moments_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_moments")),
        sa.UniqueConstraint("school_id", "key", name=op.f("uq_evaluation_moments_school_id_key")),
    )
    with op.batch_alter_table("evaluation_moments", schema=None) as batch_op:
        batch_op.create_index("ix_evaluation_moments_due", ["school_id", "due_date"], unique=False)

    op.create_table(
        "group_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_memberships_group_id_groups"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_group_memberships_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_years.id"],
            name=op.f("fk_group_memberships_school_year_id_school_years"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_memberships")),
        sa.UniqueConstraint(
            "pupil_id", "school_year_id", name=op.f("uq_group_memberships_pupil_id_school_year_id")
        ),
    )
    op.create_table(
        "growth_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "concept",
                "actief",
                "afgesloten",
                name="documentstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("group_name", sa.String(length=20), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("teacher_name", sa.String(length=200), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_growth_documents_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["staff.id"],
            name=op.f("fk_growth_documents_teacher_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_documents")),
    )
    with op.batch_alter_table("growth_documents", schema=None) as batch_op:
        batch_op.create_index("ix_growth_documents_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "guardians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=False),
        sa.Column("has_custody", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_guardians_has_name")),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_guardians_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardians")),
    )
    with op.batch_alter_table("guardians", schema=None) as batch_op:
        batch_op.create_index("ix_guardians_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "level_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_level_assignments_end_date_after_start_date"),
        ),
        sa.CheckConstraint(
            "length(trim(reason)) > 0", name=op.f("ck_level_assignments_has_reason")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["staff.id"],
            name=op.f("fk_level_assignments_decided_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["support_levels.id"],
            name=op.f("fk_level_assignments_level_id_support_levels"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_level_assignments_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_level_assignments_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_level_assignments")),
    )
    with op.batch_alter_table("level_assignments", schema=None) as batch_op:
        batch_op.create_index("ix_level_assignments_pupil_id", ["pupil_id"], unique=False)
        batch_op.create_index(
            "uq_level_assignments_open",
            ["pupil_id", "area"],
            unique=True,
            sqlite_where=sa.text("end_date IS NULL"),
            postgresql_where=sa.text("end_date IS NULL"),
        )

    op.create_table(
        "meeting_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_participants_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_meeting_participants_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_participants")),
    )
    op.create_table(
        "meeting_pupils",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_pupils_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_meeting_pupils_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "pupil_id", name=op.f("pk_meeting_pupils")),
    )
    with op.batch_alter_table("meeting_pupils", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_pupils_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "opps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_opps_end_date_after_start_date"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_opps_pupil_id_pupils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opps")),
    )
    with op.batch_alter_table("opps", schema=None) as batch_op:
        batch_op.create_index("ix_opps_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("child_name", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("extended_on", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("parents_informed_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "toegelaten",
                "elders",
                "niet_toegelaten",
                "ingetrokken",
                name="registrationdecision",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(decided_on IS NULL) = (decision IS NULL)",
            name=op.f("ck_registrations_decision_has_date"),
        ),
        sa.CheckConstraint(
            "decided_on IS NULL OR received_on IS NULL OR decided_on >= received_on",
            name=op.f("ck_registrations_decided_on_after_received_on"),
        ),
        sa.CheckConstraint(
            "extended_on IS NULL OR received_on IS NULL OR extended_on >= received_on",
            name=op.f("ck_registrations_extended_on_after_received_on"),
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["staff.id"],
            name=op.f("fk_registrations_handled_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_registrations_pupil_id_pupils"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_registrations_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
    )
    op.create_table(
        "school_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "voorschools",
                "basisschool",
                "sbo",
                "so",
                "overig",
                name="historykind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_school_history_end_date_after_start_date"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_school_history_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_history")),
    )
    with op.batch_alter_table("school_history", schema=None) as batch_op:
        batch_op.create_index("ix_school_history_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "short_interventions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "concept",
                "actief",
                "afgesloten",
                name="documentstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("group_name", sa.String(length=20), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("teacher_name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("support_need", sa.Text(), nullable=False),
        sa.Column("execution", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "behaald",
                "deels_behaald",
                "niet_behaald",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("evaluated_by_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_short_interventions_end_date_after_start_date"),
        ),
        sa.CheckConstraint(
            "evaluated_on IS NULL OR start_date IS NULL OR evaluated_on >= start_date",
            name=op.f("ck_short_interventions_evaluated_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluated_by_id"],
            ["staff.id"],
            name=op.f("fk_short_interventions_evaluated_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_short_interventions_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["staff.id"],
            name=op.f("fk_short_interventions_teacher_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_short_interventions")),
    )
    with op.batch_alter_table("short_interventions", schema=None) as batch_op:
        batch_op.create_index("ix_short_interventions_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "growth_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.SmallInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_growth_periods_end_date_after_start_date"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_growth_periods_number_positive")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["growth_documents.id"],
            name=op.f("fk_growth_periods_document_id_growth_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_periods")),
        sa.UniqueConstraint(
            "document_id", "number", name=op.f("uq_growth_periods_document_id_number")
        ),
    )
    op.create_table(
        "opp_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opp_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "concept",
                "besproken",
                "vastgesteld",
                "geevalueerd",
                name="oppstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "form",
            sa.Enum(
                "13_delen",
                "wettelijk",
                name="oppform",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("previous_version_id", sa.Integer(), nullable=True),
        sa.Column("discussed_on", sa.Date(), nullable=True),
        sa.Column("fixed_on", sa.Date(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("next_evaluation_on", sa.Date(), nullable=True),
        sa.Column("frozen_pupil", sa.JSON(), nullable=True),
        sa.Column("general_notes", sa.Text(), nullable=False),
        sa.Column("school_career_notes", sa.Text(), nullable=False),
        sa.Column("assessment_notes", sa.Text(), nullable=False),
        sa.Column("arrangement_kind", sa.String(length=120), nullable=False),
        sa.Column("arrangement_granted_on", sa.Date(), nullable=True),
        sa.Column("arrangement_start", sa.Date(), nullable=True),
        sa.Column("arrangement_end", sa.Date(), nullable=True),
        sa.Column("funding_category", sa.String(length=80), nullable=False),
        sa.Column("funder", sa.String(length=200), nullable=False),
        sa.Column("arrangement_notes", sa.Text(), nullable=False),
        sa.Column("promoting_factors", sa.Text(), nullable=False),
        sa.Column("hindering_factors", sa.Text(), nullable=False),
        sa.Column("need_attention", sa.Text(), nullable=False),
        sa.Column("need_materials", sa.Text(), nullable=False),
        sa.Column("need_space", sa.Text(), nullable=False),
        sa.Column("need_expertise", sa.Text(), nullable=False),
        sa.Column("need_cooperation", sa.Text(), nullable=False),
        sa.Column("youth_act", sa.Text(), nullable=False),
        sa.Column("long_term_care_act", sa.Text(), nullable=False),
        sa.Column("health_insurance", sa.Text(), nullable=False),
        sa.Column("coordination", sa.Text(), nullable=False),
        sa.Column("lead_by", sa.String(length=200), nullable=False),
        sa.Column(
            "outflow",
            sa.Enum(
                "praktijkonderwijs",
                "vmbo-bb",
                "vmbo-kb",
                "vmbo-gt",
                "havo",
                "vwo",
                "vso",
                "so",
                name="outflowperspective",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("outflow_rationale", sa.Text(), nullable=False),
        sa.Column("subject_levels", sa.JSON(), nullable=False),
        sa.Column("adjustments", sa.Text(), nullable=False),
        sa.Column("parents_view", sa.Text(), nullable=False),
        sa.Column("pupil_view", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status NOT IN ('vastgesteld', 'geevalueerd') OR fixed_on IS NOT NULL",
            name=op.f("ck_opp_versions_fixed_has_date"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('vastgesteld', 'geevalueerd') OR frozen_pupil IS NOT NULL",
            name=op.f("ck_opp_versions_fixed_is_frozen"),
        ),
        sa.CheckConstraint(
            "arrangement_end IS NULL OR arrangement_start IS NULL "
            "OR arrangement_end >= arrangement_start",
            name=op.f("ck_opp_versions_arrangement_end_after_arrangement_start"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_opp_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["opp_id"], ["opps.id"], name=op.f("fk_opp_versions_opp_id_opps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["previous_version_id"],
            ["opp_versions.id"],
            name=op.f("fk_opp_versions_previous_version_id_opp_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opp_versions")),
        sa.UniqueConstraint("opp_id", "number", name=op.f("uq_opp_versions_opp_id_number")),
    )
    op.create_table(
        "growth_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("support_need", sa.Text(), nullable=False),
        sa.Column("execution", sa.Text(), nullable=False),
        sa.Column("carried_over_from_id", sa.Integer(), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "behaald",
                "deels_behaald",
                "niet_behaald",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("evaluated_by_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["carried_over_from_id"],
            ["growth_goals.id"],
            name=op.f("fk_growth_goals_carried_over_from_id_growth_goals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["evaluated_by_id"],
            ["staff.id"],
            name=op.f("fk_growth_goals_evaluated_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["growth_periods.id"],
            name=op.f("fk_growth_goals_period_id_growth_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_goals")),
        sa.UniqueConstraint("period_id", "area", name=op.f("uq_growth_goals_period_id_area")),
    )
    with op.batch_alter_table("growth_goals", schema=None) as batch_op:
        batch_op.create_index("ix_growth_goals_period_id", ["period_id"], unique=False)

    op.create_table(
        "opp_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opp_version_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("guardian_name", sa.String(length=200), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guardian_id"],
            ["guardians.id"],
            name=op.f("fk_opp_consents_guardian_id_guardians"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opp_version_id"],
            ["opp_versions.id"],
            name=op.f("fk_opp_consents_opp_version_id_opp_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opp_consents")),
        sa.UniqueConstraint(
            "opp_version_id", "guardian_id", name=op.f("uq_opp_consents_opp_version_id_guardian_id")
        ),
    )
    op.create_table(
        "opp_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opp_version_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("participants", sa.String(length=400), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opp_version_id"],
            ["opp_versions.id"],
            name=op.f("fk_opp_conversations_opp_version_id_opp_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opp_conversations")),
    )
    op.create_table(
        "opp_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opp_version_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("intermediate_goals", sa.Text(), nullable=False),
        sa.Column("evaluation_date", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "behaald",
                "deels_behaald",
                "niet_behaald",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["opp_version_id"],
            ["opp_versions.id"],
            name=op.f("fk_opp_goals_opp_version_id_opp_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opp_goals")),
    )
    with op.batch_alter_table("opp_goals", schema=None) as batch_op:
        batch_op.create_index("ix_opp_goals_opp_version_id", ["opp_version_id"], unique=False)

    op.create_table(
        "opp_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opp_version_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ouder",
                "leerling",
                "leerkracht",
                "ib",
                "directie",
                name="signaturerole",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("image_png", sa.LargeBinary(), nullable=True),
        sa.Column("captured_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guardian_id"],
            ["guardians.id"],
            name=op.f("fk_opp_signatures_guardian_id_guardians"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opp_version_id"],
            ["opp_versions.id"],
            name=op.f("fk_opp_signatures_opp_version_id_opp_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_opp_signatures_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opp_signatures")),
    )


def downgrade() -> None:
    op.drop_table("opp_signatures")
    with op.batch_alter_table("opp_goals", schema=None) as batch_op:
        batch_op.drop_index("ix_opp_goals_opp_version_id")

    op.drop_table("opp_goals")
    op.drop_table("opp_conversations")
    op.drop_table("opp_consents")
    with op.batch_alter_table("growth_goals", schema=None) as batch_op:
        batch_op.drop_index("ix_growth_goals_period_id")

    op.drop_table("growth_goals")
    op.drop_table("opp_versions")
    op.drop_table("growth_periods")
    with op.batch_alter_table("short_interventions", schema=None) as batch_op:
        batch_op.drop_index("ix_short_interventions_pupil_id")

    op.drop_table("short_interventions")
    with op.batch_alter_table("school_history", schema=None) as batch_op:
        batch_op.drop_index("ix_school_history_pupil_id")

    op.drop_table("school_history")
    op.drop_table("registrations")
    with op.batch_alter_table("opps", schema=None) as batch_op:
        batch_op.drop_index("ix_opps_pupil_id")

    op.drop_table("opps")
    with op.batch_alter_table("meeting_pupils", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_pupils_pupil_id")

    op.drop_table("meeting_pupils")
    op.drop_table("meeting_participants")
    with op.batch_alter_table("level_assignments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_level_assignments_open",
            sqlite_where=sa.text("end_date IS NULL"),
            postgresql_where=sa.text("end_date IS NULL"),
        )
        batch_op.drop_index("ix_level_assignments_pupil_id")

    op.drop_table("level_assignments")
    with op.batch_alter_table("guardians", schema=None) as batch_op:
        batch_op.drop_index("ix_guardians_pupil_id")

    op.drop_table("guardians")
    with op.batch_alter_table("growth_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_growth_documents_pupil_id")

    op.drop_table("growth_documents")
    op.drop_table("group_memberships")
    with op.batch_alter_table("evaluation_moments", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_moments_due")

    op.drop_table("evaluation_moments")
    with op.batch_alter_table("care_providers", schema=None) as batch_op:
        batch_op.drop_index("ix_care_providers_pupil_id")

    op.drop_table("care_providers")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_pupil_id")

    op.drop_table("assessments")
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_index("ix_pupils_school_status")
        batch_op.drop_index("ix_pupils_group_id")

    op.drop_table("pupils")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_school_date")

    op.drop_table("meetings")
    op.drop_table("group_teachers")
    op.drop_table("staff")
    op.drop_table("groups")
    op.drop_table("development_areas")
    op.drop_table("support_levels")
    op.drop_table("schools")
    op.drop_table("support_structures")
    op.drop_table("settings")
    op.drop_table("school_years")
    op.drop_table("retention_records")
    op.drop_table("holidays")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_entity")

    op.drop_table("change_log")
