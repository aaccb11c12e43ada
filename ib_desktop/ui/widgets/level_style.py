"""How support levels look everywhere: their colour, readable text on it, and Dutch labels.

The school picks a colour per level in the structure editor; every screen that shows a level (the
pupil list, the group overview, the pupil file's timeline) uses these helpers so that a level
looks the same wherever it appears.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from ib_desktop.domain_types import DocumentKind, StaffRole, Tier

FALLBACK_COLOR = "#9e9e9e"


def _tr(text: str) -> str:
    return QCoreApplication.translate("level_style", text)


@cache
def level_color(color: str | None) -> QColor:
    """The level's colour (grey when the stored value is not a colour)."""
    c = QColor(color or FALLBACK_COLOR)
    return c if c.isValid() else QColor(FALLBACK_COLOR)


@cache
def level_brush(color: str | None) -> QBrush:
    """A brush in the level's colour, for a table cell's background."""
    return QBrush(level_color(color))


@cache
def text_color_on(color: str | None) -> QColor:
    """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""
    c = level_color(color)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
    return (
        QColor(Qt.GlobalColor.black)
        if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05)
        else QColor(Qt.GlobalColor.white)
    )


@cache
def text_brush_on(color: str | None) -> QBrush:
    """A brush for text on a cell in the level's colour."""
    return QBrush(text_color_on(color))


@cache
def tint(color: str | None, strength: float = 0.35) -> QColor:
    """A light version of the level colour, for counts in a matrix that must stay readable."""
    c = level_color(color)
    w = 1.0 - strength
    return QColor(
        round(c.red() * strength + 255 * w),
        round(c.green() * strength + 255 * w),
        round(c.blue() * strength + 255 * w),
    )


@cache
def swatch(color: str | None, size: int = 12) -> QIcon:
    """A small square in the level's colour, for lists, combo boxes and legends."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(level_color(color))
    painter.setPen(level_color(color).darker(140))
    painter.drawRoundedRect(0, 0, size - 1, size - 1, 2, 2)
    painter.end()
    return QIcon(pix)


def tier_label(tier: Tier | str) -> str:
    """The samenwerkingsverband's tier in Dutch."""
    return {
        Tier.BASIS: _tr("Basisondersteuning"),
        Tier.EXTRA: _tr("Extra ondersteuning"),
        Tier.GESPECIALISEERD: _tr("Gespecialiseerd onderwijs"),
    }[Tier(tier)]


def role_label(role: StaffRole | str) -> str:
    """Who is responsible, in Dutch."""
    return {
        StaffRole.IB: _tr("Intern begeleider"),
        StaffRole.LEERKRACHT: _tr("Leerkracht"),
        StaffRole.DIRECTIE: _tr("Directie"),
        StaffRole.ONDERWIJSASSISTENT: _tr("Onderwijsassistent"),
        StaffRole.OVERIG: _tr("Anders"),
    }[StaffRole(role)]


def document_label(kind: DocumentKind | str, *, capital: bool = False) -> str:
    """ "korte interventie", "groeidocument", "OPP"."""
    label = {
        DocumentKind.KORTE_INTERVENTIE: _tr("korte interventie"),
        DocumentKind.GROEIDOCUMENT: _tr("groeidocument"),
        DocumentKind.OPP: _tr("OPP"),
    }[DocumentKind(kind)]
    return label[:1].upper() + label[1:] if capital else label


def documents_phrase(kinds: list[str] | tuple[str, ...], joiner: str | None = None) -> str:
    """ "korte interventie of groeidocument" (or with ``joiner`` "en")."""
    labels = [document_label(k) for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    word = joiner if joiner is not None else _tr("of")
    return ", ".join(labels[:-1]) + f" {word} " + labels[-1]


def missing_text(kinds: list[str] | tuple[str, ...]) -> str:
    """ "OPP ontbreekt" / "Korte interventie of groeidocument ontbreekt" for the warning column."""
    phrase = documents_phrase(kinds)
    if not phrase:
        return ""
    return _tr("%s ontbreekt") % (phrase[:1].upper() + phrase[1:])
