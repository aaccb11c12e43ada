"""What a user gets from ``pip install ib-desktop``: a wheel in a fresh venv, not the source tree.

The wheel is built from a copy of the sources, installed into a venv outside the tree, and run
from a folder with no trace of the sources: ``init``, ``demo``, ``info``, ``print opp`` and the
GUI under the offscreen platform. Round 1 only worked as an editable install because the data
files lay beside the package.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.packaging.installed import (
    build_wheel,
    clean_env,
    install_wheel,
    venv_with_dependencies,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(venv, wheel): the freshly built wheel installed into a venv outside the source tree."""
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    venv = venv_with_dependencies()
    install_wheel(venv, wheel)
    return venv, wheel


def run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "ib-desktop"), *args], cwd=cwd,
                          env=clean_env(cwd / "home"), capture_output=True, text=True, timeout=240)


def test_wheel_carries_the_data_files(installed: tuple[Path, Path]) -> None:
    _venv, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("ib_desktop/resources/structures/vier-niveaus.json",
                   "ib_desktop/resources/structures/vijf-niveaus.json",
                   "ib_desktop/resources/development_areas.json",
                   "ib_desktop/resources/holidays/2026-2027.json",
                   "ib_desktop/resources/fonts/DejaVuSans.ttf",
                   "ib_desktop/resources/spelling/nl.aff",
                   "ib_desktop/resources/spelling/nl.dic",
                   "ib_desktop/resources/spelling/LICENSE-OpenTaal",
                   "ib_desktop/resources/spelling/domain_words.txt",
                   "ib_desktop/migrations/script.py.mako",
                   "ib_desktop/migrations/versions/0001_initial_schema.py"):
        assert needed in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_package_is_not_the_source_tree(installed: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    venv, _wheel = installed
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import ib_desktop, ib_desktop.resources as r;"
                          "print(ib_desktop.__file__);"
                          "print(r.resource_path('fonts', 'DejaVuSans.ttf'))"],
                         cwd=tmp_path, env=clean_env(tmp_path / "home"), capture_output=True,
                         text=True, check=True)
    module, font = out.stdout.split()
    assert str(venv) in module
    assert str(venv) in font
    assert Path(font).is_file()


def test_spell_checking_works_from_the_wheel(installed: tuple[Path, Path], tmp_path: Path) -> None:
    venv, _wheel = installed
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "from ib_desktop.spelling import SpellChecker;"
                          "c = SpellChecker();"
                          "assert c.load();"
                          "print([m.word for m in c.misspellings('Hij kan rekennen en lezen.')])"],
                         cwd=tmp_path, env=clean_env(tmp_path / "home"), capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["['rekennen']"]


def test_commands_work_from_the_wheel(installed: tuple[Path, Path], tmp_path: Path) -> None:
    venv, _wheel = installed
    school = tmp_path / "school.sqlite"
    done = run(venv, tmp_path, "init", "--school", "Basisschool Wiel", "--database", str(school))
    assert done.returncode == 0, done.stderr
    info = run(venv, tmp_path, "info", "--database", str(school))
    assert info.returncode == 0, info.stderr
    assert "Basisschool Wiel" in info.stdout

    demo = tmp_path / "demo.sqlite"
    made = run(venv, tmp_path, "demo", "--pupils", "40", "--database", str(demo))
    assert made.returncode == 0, made.stderr
    pupils = run(venv, tmp_path, "pupils", "--has-opp", "--database", str(demo))
    assert pupils.returncode == 0, pupils.stderr
    pupil_id = next(line.split()[0] for line in pupils.stdout.splitlines()
                    if line.split() and line.split()[0].isdigit())
    pdf = tmp_path / "opp.pdf"
    printed = run(venv, tmp_path, "print", "opp", "--pupil", pupil_id, "-o", str(pdf),
                  "--database", str(demo))
    assert printed.returncode == 0, printed.stderr
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Ontwikkelingsperspectiefplan" in text or "OPP" in text
    assert len(PdfReader(pdf).pages) >= 2


@pytest.mark.parametrize("script", ["ib-desktop", "ib-desktop-gui"])
def test_gui_starts_from_the_wheel(installed: tuple[Path, Path], tmp_path: Path,
                                   script: str) -> None:
    venv, _wheel = installed
    demo = tmp_path / "demo.sqlite"
    assert run(venv, tmp_path, "demo", "--pupils", "20", "--database", str(demo)).returncode == 0
    env = clean_env(tmp_path / "home")
    env["IB_DESKTOP_QUIT_AFTER"] = "loaded"
    env["IB_DESKTOP_DATABASE"] = str(demo)
    started = subprocess.run([str(venv / "bin" / script)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=240)
    assert started.returncode == 0, started.stderr
    assert "Traceback" not in started.stderr


def test_no_qt_addons_in_the_installed_environment(installed: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    """The 500 MB PySide6-Addons wheel (QtWebEngine and friends) is not pulled in."""
    venv, _wheel = installed
    out = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
                         cwd=tmp_path, env=clean_env(tmp_path / "home"), capture_output=True,
                         text=True, check=True)
    names = {line.split("==")[0].lower().replace("_", "-") for line in out.stdout.splitlines()}
    assert "pyside6-essentials" in names
    assert "pyside6-addons" not in names
    assert "pyside6" not in names

