"""Marking texts for translation outside the Qt layer.

The app speaks Dutch; a Frisian or Flemish catalogue can follow because every user-visible text
is reachable by ``pyside6-lupdate`` (``python tools/update_translations.py`` writes the
catalogue). In ``ui/`` that is ``self.tr("...")`` or Qt's own ``QT_TRANSLATE_NOOP``. Labels that
services and reports define (a meeting kind, a status) are marked with the function below: it
changes nothing at run time, but lupdate reads its name and files the text under the context,
and the screen that shows the label translates it with ``QCoreApplication.translate(context,
text)``.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """``text`` itself; marks it for the catalogue under ``context``."""
    return text
