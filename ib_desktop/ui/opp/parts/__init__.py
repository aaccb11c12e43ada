"""The 13 pages of the OPP editor, one module per part (or per group of parts that work alike).

``base`` holds what every page shares; ``make_pages`` builds the pages in the order of the parts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ib_desktop.services.opp.parts import PARTS
from ib_desktop.ui.opp.parts.arrangement import ArrangementPage
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.opp.parts.care import CarePage
from ib_desktop.ui.opp.parts.evaluation import EvaluationPage
from ib_desktop.ui.opp.parts.goals import GoalsPage
from ib_desktop.ui.opp.parts.outflow import OutflowPage
from ib_desktop.ui.opp.parts.pupil_file import PupilFilePage
from ib_desktop.ui.opp.parts.signatures import SignaturesPage
from ib_desktop.ui.opp.parts.text_fields import TextFieldsPage
from ib_desktop.ui.opp.parts.views import ViewsPage

PAGE_CLASSES: dict[str, type[PartPage]] = {
    "algemeen": PupilFilePage,
    "schoolloopbaan": PupilFilePage,
    "onderzoek": PupilFilePage,
    "inzet": ArrangementPage,
    "factoren": TextFieldsPage,
    "behoeften": TextFieldsPage,
    "zorg": CarePage,
    "uitstroom": OutflowPage,
    "handelingsdeel": GoalsPage,
    "aanpassingen": TextFieldsPage,
    "zienswijze": ViewsPage,
    "evaluatie": EvaluationPage,
    "handtekeningen": SignaturesPage,
}


def make_pages(parent: QWidget | None = None) -> list[PartPage]:
    """The 13 pages in order."""
    return [PAGE_CLASSES[p.key](p, parent) for p in PARTS]
