"""The password dialog shown at start when the database file is encrypted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.storage import keys


class PasswordDialog(QDialog):
    """Asks for the password until it opens the key (or the user cancels).

    A wrong password is said next to the field and nothing else happens: the database file is
    not touched by trying (only its key file is read).
    """

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(self.tr("Versleutelde database"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("De database '%s' is versleuteld. Geef het wachtwoord om hem te openen.")
            % path.name
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Wachtwoord"))
        self.field.setPlaceholderText(self.tr("Wachtwoord"))
        layout.addWidget(self.field)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout.addWidget(self.error)
        hint = QLabel(
            self.tr(
                "Wachtwoord vergeten? Met de herstelsleutel uit de kluis van de directie kiest u "
                "een nieuw wachtwoord: ib-desktop unlock --recovery-key"
            )
        )
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Openen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.field.setFocus()

    @Slot()
    def accept(self) -> None:
        """Try the password; stay open with a message when it does not fit."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            keys.unlock(self.path, self.field.text())
        except keys.WrongPasswordError:
            self.error.setText(
                self.tr(
                    "Het wachtwoord klopt niet. Let op hoofdletters en de Caps Lock-toets, en "
                    "probeer het opnieuw. De database is niet gewijzigd."
                )
            )
            self.error.show()
            self.adjustSize()
            self.field.selectAll()
            self.field.setFocus()
            return
        except keys.KeyFileError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        super().accept()

    @classmethod
    def unlock(cls, path: Path, parent: QWidget | None = None) -> bool:
        """Run the dialog; True when the database's key is open for this session."""
        dialog = cls(path, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted
