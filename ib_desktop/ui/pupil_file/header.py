"""The top of the pupil file: name, facts, level and status chips, and the two banners.

The banner of a pupil who left (read-only file, with Terugzetten / Dossier verwijderen) and the
banner of documents the current level asks for and the pupil lacks.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ib_desktop.dates import long_date
from ib_desktop.models import DocumentKind, PupilStatus
from ib_desktop.services import pupil as pf
from ib_desktop.services.levels import DOCUMENT_LABELS, missing_label
from ib_desktop.ui.pupil_file.level_timeline import text_color_for

GREY_CHIP = "QLabel { background: #eeeeee; color: #333333; border-radius: 6px; padding: 6px 12px; }"


class HeaderMixin:
    """Builds and fills the header and banners of :class:`PupilFileWindow`.

    Uses the window's ``ctx``; the banner buttons call ``_on_reactivate`` and ``_on_delete_file``
    (``lifecycle``) and ``_on_new_document`` (``records_tabs``).
    """

    def _build_banners(self, outer: QVBoxLayout) -> None:
        """The banner of a pupil who left and the banner of missing documents, hidden at first."""
        self.left_banner = self._banner("#fdecea", "#e0a3a0")
        self.left_text = QLabel()
        self.left_text.setWordWrap(True)
        self.left_text.setTextFormat(Qt.TextFormat.RichText)
        self.reactivate_button = QPushButton(
            QCoreApplication.translate("PupilFileWindow", "&Terugzetten naar actief…")
        )
        self.delete_button = QPushButton(
            QCoreApplication.translate("PupilFileWindow", "Dossier &verwijderen…")
        )
        self.reactivate_button.clicked.connect(self._on_reactivate)
        self.delete_button.clicked.connect(self._on_delete_file)
        lay = self.left_banner.layout()
        lay.addWidget(self.left_text, 1)
        lay.addWidget(self.reactivate_button)
        lay.addWidget(self.delete_button)
        outer.addWidget(self.left_banner)
        self.missing_banner = self._banner("#fff4e5", "#f0b35a")
        self.missing_text = QLabel()
        self.missing_text.setWordWrap(True)
        self.missing_text.setTextFormat(Qt.TextFormat.RichText)
        self.missing_banner.layout().addWidget(self.missing_text, 1)
        self.missing_buttons: list[QPushButton] = []
        outer.addWidget(self.missing_banner)

    def _build_header(self) -> QWidget:
        header = QFrame()
        header.setObjectName("pupil-header")
        lay = QHBoxLayout(header)
        lay.setContentsMargins(4, 4, 4, 8)
        left = QVBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("pupil-name")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("pupil-facts")
        self.facts_label.setStyleSheet("color: #444444;")
        left.addWidget(self.name_label)
        left.addWidget(self.facts_label)
        lay.addLayout(left, 1)
        self.level_chip = QLabel()
        self.level_chip.setObjectName("level-chip")
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status-chip")
        for chip in (self.level_chip, self.status_chip):
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(chip, 0, Qt.AlignmentFlag.AlignVCenter)
        return header

    def _banner(self, background: str, border: str) -> QFrame:
        frame = QFrame()
        frame.setStyleSheet(
            "QFrame "
            f"{{ background: {background}; border: 1px solid {border}; border-radius: 4px; }} "
            f"QLabel {{ border: none; }}"
        )
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(10, 6, 10, 6)
        frame.hide()
        return frame

    def _fill_header(self, file: pf.PupilFile) -> None:
        """Title, name, facts, chips and banners after a (re)load."""
        self.setWindowTitle(
            QCoreApplication.translate("PupilFileWindow", "%s - Leerlingdossier[*]")
            % file.full_name
        )
        self.name_label.setText(file.full_name)
        self.facts_label.setText("  ·  ".join(self._facts(file)))
        current = file.levels.current() if file.levels else None
        self._fill_level_chip(file, current)
        self._fill_status_chip(file)
        self._fill_left_banner(file)
        self._fill_missing_banner(file, current)

    def _facts(self, file: pf.PupilFile) -> list[str]:
        facts = []
        if file.group_name:
            group_text = (
                QCoreApplication.translate("PupilFileWindow", "laatst in groep %s")
                if file.read_only
                else QCoreApplication.translate("PupilFileWindow", "groep %s")
            )
            facts.append(group_text % file.group_name)
        if file.teacher_names:
            facts.append(file.teacher_names)
        if file.age is not None:
            facts.append(
                QCoreApplication.translate("PupilFileWindow", "%d jaar (geboren %s)")
                % (file.age, long_date(file.data.birth_date))
            )
        if file.data.lvs_id:
            facts.append(QCoreApplication.translate("PupilFileWindow", "LVS %s") % file.data.lvs_id)
        return facts

    def _fill_level_chip(self, file: pf.PupilFile, current: pf.LevelStep | None) -> None:
        if current is not None and not file.read_only:
            bg = QColor(current.level.color)
            fg = text_color_for(bg)
            self.level_chip.setText(
                QCoreApplication.translate("PupilFileWindow", "Niveau %s\nsinds %s")
                % (current.level.label, long_date(current.start))
            )
            self.level_chip.setStyleSheet(
                f"QLabel {{ background: {bg.name()}; color: {fg.name()}; border-radius: 6px; "
                "padding: 6px 12px; font-weight: bold; }"
            )
            self.level_chip.setToolTip(current.reason)
            self.level_chip.show()
        elif file.read_only and file.levels and file.levels.steps:
            last = file.levels.steps[-1]
            self.level_chip.setText(
                QCoreApplication.translate("PupilFileWindow", "Laatste niveau\n%s")
                % last.level.label
            )
            self.level_chip.setStyleSheet(GREY_CHIP)
            self.level_chip.show()
        else:
            self.level_chip.setText(QCoreApplication.translate("PupilFileWindow", "Geen niveau"))
            self.level_chip.setStyleSheet(GREY_CHIP)

    def _fill_status_chip(self, file: pf.PupilFile) -> None:
        if file.read_only:
            self.status_chip.setText(QCoreApplication.translate("PupilFileWindow", "Vertrokken"))
            self.status_chip.setStyleSheet(
                "QLabel { background: #8e0000; color: white; border-radius: 6px; padding: 6px "
                "12px; font-weight: bold; }"
            )
            return
        status = {
            PupilStatus.ACTIEF: QCoreApplication.translate("PupilFileWindow", "Actief"),
            PupilStatus.AANGEMELD: QCoreApplication.translate("PupilFileWindow", "Aangemeld"),
        }.get(file.status, str(file.status))
        self.status_chip.setText(status)
        self.status_chip.setStyleSheet(
            "QLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7; "
            "border-radius: 6px; padding: 6px 12px; }"
        )

    def _fill_left_banner(self, file: pf.PupilFile) -> None:
        """The banner of a pupil who left: when, where to, and how long the file is kept."""
        if not file.read_only:
            self.left_banner.hide()
            return
        text = QCoreApplication.translate(
            "PupilFileWindow", "<b>Deze leerling heeft de school verlaten</b> op %s"
        ) % long_date(file.left_on)
        if file.left_destination:
            text += (
                QCoreApplication.translate("PupilFileWindow", " (bestemming: %s)")
                % file.left_destination
            )
        text += QCoreApplication.translate("PupilFileWindow", ". Het dossier is alleen-lezen.")
        if file.delete_after:
            if file.delete_after <= self.ctx.today():
                text += QCoreApplication.translate(
                    "PupilFileWindow",
                    " De bewaartermijn is verstreken sinds %s: het dossier kan worden verwijderd.",
                ) % long_date(file.delete_after)
            else:
                text += QCoreApplication.translate(
                    "PupilFileWindow", " Het wordt bewaard tot %s."
                ) % long_date(file.delete_after)
        self.left_text.setText(text)
        self.left_banner.show()

    def _fill_missing_banner(self, file: pf.PupilFile, current: pf.LevelStep | None) -> None:
        """Documents the current level asks for, each with a button to start it."""
        for button in self.missing_buttons:
            button.deleteLater()
        self.missing_buttons = []
        if not file.missing_documents or current is None:
            self.missing_banner.hide()
            return
        self.missing_text.setText(
            QCoreApplication.translate(
                "PupilFileWindow",
                "&#9888; Niveau %s vraagt om een %s; dat ontbreekt nog voor deze leerling.",
            )
            % (current.level.label, missing_label(file.missing_documents))
        )
        for kind in file.missing_documents:
            label = DOCUMENT_LABELS[DocumentKind(kind)]
            button = QPushButton(
                QCoreApplication.translate("PupilFileWindow", "%s starten")
                % (label[:1].upper() + label[1:])
            )
            button.clicked.connect(lambda _=False, k=kind: self._on_new_document(k))
            self.missing_banner.layout().addWidget(button)
            self.missing_buttons.append(button)
        self.missing_banner.show()
