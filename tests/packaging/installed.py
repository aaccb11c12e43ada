"""Build the wheel from a copy of the sources and install it into a venv outside the tree.

Shared by the wheel test and the packaging scripts' tests. The venv with the dependencies is
cached per dependency list in the user's cache folder (``IB_DESKTOP_TEST_CACHE`` overrides it), so
a second run on the same machine only re-installs IB Desktop itself; the wheel is always built
fresh from the current sources.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
#: What a wheel is built from: the package and its build description, nothing of the tests.
WHEEL_INPUTS = ("ib_desktop", "pyproject.toml", "README.md")
#: Read at import, before the tests' fixtures point HOME at a temporary folder.
_USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def cache_dir() -> Path:
    """Where the test keeps its venvs and bundles between runs on this machine."""
    override = os.environ.get("IB_DESKTOP_TEST_CACHE")
    path = Path(override) if override else _USER_CACHE / "ib-desktop-tests"
    path.mkdir(parents=True, exist_ok=True)
    return path


def dependencies() -> list[str]:
    """The runtime dependencies the project declares."""
    data = tomllib.loads((SOURCE / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def copy_sources(target: Path) -> Path:
    """Copy what a wheel is built from (no caches, no build leftovers) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in WHEEL_INPUTS:
        src = SOURCE / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=ignore)
        else:
            shutil.copy2(src, target / name)
    return target


def build_wheel(workdir: Path) -> Path:
    """Build the project's wheel from a copy of the sources; return the .whl path."""
    sources = copy_sources(workdir / "src")
    out = workdir / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(sources)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = out.glob("ib_desktop-*.whl")
    return wheel


def venv_with_dependencies(extra: tuple[str, ...] = ()) -> Path:
    """A cached venv holding the project's dependencies (and ``extra``), but not the project."""
    wanted = sorted(dependencies()) + sorted(extra)
    key = hashlib.sha256(("\n".join(wanted) + sys.version).encode()).hexdigest()[:16]
    venv = cache_dir() / f"venv-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", *wanted],
                       check=True, capture_output=True, text=True)
        (venv / ".complete").touch()
    return venv


def install_wheel(venv: Path, wheel: Path) -> None:
    """Install (or replace) IB Desktop from ``wheel`` in ``venv``, without touching its deps."""
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                    "--force-reinstall", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, text=True)


def clean_env(home: Path) -> dict[str, str]:
    """An environment with no trace of the source tree: own home, offscreen Qt, no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "IB_DESKTOP", "XDG_", "VIRTUAL_ENV"))}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONNOUSERSITE="1",
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"))
    return env


def folder_size(path: Path) -> int:
    """Bytes in the files below ``path`` (links not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
