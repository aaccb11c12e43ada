"""Importing pupils, groups and teachers from the school's LVS export (CSV or Excel).

The steps, each usable on its own and none of them touching Qt:

1. :func:`read_table` reads the file (any usual encoding and delimiter, or .xlsx);
2. :func:`initial_mapping` / :func:`guess_mapping` map its columns to our fields;
3. :func:`build_plan` compares it with the database (reads only) and says what would happen;
4. :func:`apply_plan` carries the plan out in one transaction, or changes nothing.
"""

from ib_desktop.importer.apply import (
    ImportApplyError,
    ImportCancelledError,
    ImportResult,
    StalePlanError,
    apply_plan,
)
from ib_desktop.importer.columns import (
    FIELD_LABELS,
    IGNORE_LABEL,
    ColumnGuess,
    ColumnMapping,
    Field,
    apply_overrides,
    guess_mapping,
    header_signature,
    initial_mapping,
    load_saved_mapping,
    mapping_problems,
    save_mapping,
)
from ib_desktop.importer.plan import (
    ChangedPupil,
    FieldChange,
    ImportPlan,
    Leaver,
    MappingError,
    NewPupil,
    RejectedRow,
    RowData,
    UnchangedPupil,
    build_plan,
)
from ib_desktop.importer.reading import (
    ImportFileError,
    ImportRefusedError,
    Table,
    cell_text,
    read_table,
)
from ib_desktop.importer.report import format_report, write_rejected_csv

__all__ = [
    "FIELD_LABELS",
    "IGNORE_LABEL",
    "ChangedPupil",
    "ColumnGuess",
    "ColumnMapping",
    "Field",
    "FieldChange",
    "ImportApplyError",
    "ImportCancelledError",
    "ImportFileError",
    "ImportPlan",
    "ImportRefusedError",
    "ImportResult",
    "Leaver",
    "MappingError",
    "NewPupil",
    "RejectedRow",
    "RowData",
    "StalePlanError",
    "Table",
    "UnchangedPupil",
    "apply_overrides",
    "apply_plan",
    "build_plan",
    "cell_text",
    "format_report",
    "guess_mapping",
    "header_signature",
    "initial_mapping",
    "load_saved_mapping",
    "mapping_problems",
    "read_table",
    "save_mapping",
    "write_rejected_csv",
]
