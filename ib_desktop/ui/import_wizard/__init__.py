"""The import wizard: choose the LVS export, map its columns, preview, import.

All the work is done by :mod:`ib_desktop.importer`; this package only shows it. Nothing is
written to the database before the IB-er presses "Importeren" on the preview page (the
column mapping aside, which is remembered as soon as it is chosen), and the import itself is
one transaction that can be cancelled from the progress dialog without leaving a trace.

The package: ``wizard`` (the wizard and its menu action), one module per page (``file_page``,
``mapping_page``, ``preview_page``, ``done_page``) and the table models (``mapping_model``,
``section_models``). ``ib_desktop.ui.import_wizard:import_action`` is what the menu runs.
"""

from ib_desktop.ui.import_wizard.mapping_model import FieldComboDelegate, MappingTableModel
from ib_desktop.ui.import_wizard.section_models import LeaverModel, SectionModel, TwinModel
from ib_desktop.ui.import_wizard.wizard import ImportWizard, import_action

__all__ = [
    "FieldComboDelegate",
    "ImportWizard",
    "LeaverModel",
    "MappingTableModel",
    "SectionModel",
    "TwinModel",
    "import_action",
]
