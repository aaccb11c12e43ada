"""Every user-visible text can be translated: pyside6-lupdate reaches it.

The rules (ARCHITECTURE.md, "Texts"): a text shown by a widget goes through ``self.tr("...")``
with a literal; texts kept in tables at module or class level are marked with
``QT_TRANSLATE_NOOP("Context", "...")`` and translated where they are shown; a table column's
title is such a marked text. Nothing is translated at import time (the language is chosen after).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
UI = ROOT / "ib_desktop" / "ui"

#: Qt calls whose arguments are shown to the user.
TEXT_CALLS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setStatusTip", "setTitle",
    "addTab", "setTabText", "setHeaderLabels", "setLabelText", "setWhatsThis", "showMessage",
    "setSpecialValueText", "setSuffix", "setPrefix", "addMenu", "setAccessibleDescription",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton",
    "addRow", "addItem", "addAction",
}  # fmt: skip
#: QMessageBox's static functions (``log.warning`` is a logger, not a message to the user).
MESSAGE_BOX_CALLS = {"information", "warning", "critical", "question"}
TRANSLATE_CALLS = {"tr", "translate"}


def _words(text: str) -> bool:
    """Words a reader sees: markup (tags, attributes, entities) does not count."""
    text = re.sub(r"<[^>]*>?|&\w+;", " ", text)
    return bool(re.search(r"[^\W\d_]{2,}", text))


def _untranslated_text(node: ast.AST) -> bool:
    """A literal (or f-string, or sum of them) with words in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_untranslated_text(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _untranslated_text(node.left) or _untranslated_text(node.right)
    return False


def _name(call: ast.Call) -> str | None:
    """The called name; QMessageBox's functions only when called on QMessageBox."""
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in MESSAGE_BOX_CALLS:
            owner = func.value
            return func.attr if isinstance(owner, ast.Name) and owner.id == "QMessageBox" else None
        return func.attr
    return getattr(func, "id", None)


def _module_level_calls(tree: ast.Module) -> list[ast.Call]:
    """Calls that run on import: not inside a function body."""
    found: list[ast.Call] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.Call):
                found.append(child)
            visit(child)

    visit(tree)
    return found


def problems(source: str, where: str = "<text>") -> list[str]:
    """What lupdate cannot reach in one module's source."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name in TEXT_CALLS or name in MESSAGE_BOX_CALLS:
            found += [
                f"{where}:{node.lineno}: {name}() shows text that is not translated: "
                f"{ast.unparse(arg)[:60]}"
                for arg in node.args
                if _untranslated_text(arg)
            ]
        elif name in TRANSLATE_CALLS and node.args:
            text = node.args[-1] if name == "translate" else node.args[0]
            if isinstance(text, ast.JoinedStr | ast.BinOp):
                found.append(
                    f"{where}:{node.lineno}: {name}() of a built text lupdate cannot read: "
                    f"{ast.unparse(text)[:60]} (translate the literal, then .format())"
                )
        elif name == "Column" and node.args and _untranslated_text(node.args[0]):
            found.append(
                f"{where}:{node.lineno}: a column title must be QT_TRANSLATE_NOOP(...): "
                f"{ast.unparse(node.args[0])[:60]}"
            )
    for call in _module_level_calls(tree):
        if _name(call) in TRANSLATE_CALLS:
            found.append(f"{where}:{call.lineno}: translated at import time")
    return found


def test_every_text_in_the_ui_is_reachable_by_lupdate() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        found += problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        'label.setText("Opslaan")',
        'QMessageBox.warning(self, "IB Desktop", "Niet gelukt")',
        'label.setText(f"<b>{naam}</b> is vertrokken")',
        'QPushButton(f"Verwijder {naam}")',
        'self.tr(f"{n} leerlingen")',
        'COLUMNS = (Column("Naam", str),)',
        'TITLE = QCoreApplication.translate("x", "Titel")',
    ],
)
def test_the_check_finds_what_lupdate_misses(source: str) -> None:
    assert problems(source)


@pytest.mark.parametrize(
    "source",
    [
        'def f(self):\n    label.setText(self.tr("Opslaan"))',
        'def f(self):\n    label.setText(self.tr("{n} leerlingen").format(n=3))',
        'COLUMNS = (Column(QT_TRANSLATE_NOOP("x", "Naam"), str),)',
        'def f():\n    return QCoreApplication.translate("x", LABELS[k])',
        "label.setText(pupil.name)",
    ],
)
def test_the_check_accepts_translated_text(source: str) -> None:
    assert problems(source) == []


def test_the_catalogue_script_collects_the_texts(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_translations
    finally:
        sys.path.remove(str(ROOT / "tools"))
    target = tmp_path / "ib_desktop_fy.ts"
    assert update_translations.main(["--language", "fy", "-o", str(target)]) == 0
    catalogue = target.read_text(encoding="utf-8")
    assert 'language="fy"' in catalogue
    assert catalogue.count("<message") > 1000
    for text in ("Nieuwe leerling…", "Opslaan", "Leerlingnummer"):
        assert f"<source>{text}</source>" in catalogue
