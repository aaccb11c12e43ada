"""Write the translation catalogue: every user-visible text of IB Desktop in one .ts file.

    python tools/update_translations.py            # resources/translations/ib_desktop.ts
    python tools/update_translations.py --language fy  # a catalogue for Frisian to fill in

``pyside6-lupdate`` reads the Python sources (``self.tr("...")``, ``QCoreApplication.translate``,
``QT_TRANSLATE_NOOP``) and keeps the translations already in an existing file. A translator
fills the file in Qt Linguist; ``pyside6-lrelease`` turns it into the .qm file the app loads.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ib_desktop"
DEFAULT_DIR = PACKAGE / "resources" / "translations"


def sources() -> list[Path]:
    """The Python files lupdate reads: the whole package but the migrations."""
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and "__pycache__" not in p.parts
    )


def lupdate() -> str:
    """The lupdate program that comes with PySide6."""
    found = shutil.which("pyside6-lupdate")
    if found:
        return found
    import PySide6

    return str(Path(PySide6.__file__).parent / "lupdate")


def update(target: Path, language: str | None = None) -> str:
    """Write or refresh ``target``; returns lupdate's summary."""
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [lupdate(), *map(str, sources()), "-source-language", "nl_NL", "-ts", str(target)]
    if language:
        command[-2:-2] = ["-target-language", language]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return result.stdout + result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", help="target language, e.g. fy (Frisian) or nl_BE")
    parser.add_argument("-o", "--output", type=Path, help="the .ts file to write")
    args = parser.parse_args(argv)
    name = f"ib_desktop_{args.language}.ts" if args.language else "ib_desktop.ts"
    target = args.output or DEFAULT_DIR / name
    print(update(target, args.language).strip())
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
