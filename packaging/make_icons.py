"""Render the application icon from its SVG into the sizes each platform wants.

    python packaging/make_icons.py

writes ``ib_desktop/resources/icons/ib-desktop-<N>.png`` (16 to 512 pixels, for Linux and the
window icon), ``ib-desktop.ico`` (Windows: 16-256 in one file) and ``ib-desktop.icns`` (macOS).
Qt's SVG renderer draws the pixels; Pillow (already installed with reportlab) packs ICO and ICNS.
Run it again after changing the SVG and commit the results.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "ib_desktop" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int) -> bytes:
    """The SVG as a PNG of ``size`` x ``size`` pixels."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "ib-desktop.svg"))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {}
    for size in SIZES:
        png = render(size)
        (ICONS / f"ib-desktop-{size}.png").write_bytes(png)
        images[size] = Image.open(io.BytesIO(png)).convert("RGBA")
    images[256].save(ICONS / "ib-desktop.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    images[512].save(ICONS / "ib-desktop.icns")
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
