"""The standalone app (PyInstaller, one folder, no Python needed) builds and runs.

The bundle is built with ``packaging/build.py`` from the current sources and cached per content
hash of everything it is built from, so a second run on the same machine with the same sources
only runs the smoke test. The smoke test is the build script's own: ``demo``, ``print opp`` and
the GUI start under the offscreen platform, from an empty home folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.installed import SOURCE, cache_dir

pytestmark = pytest.mark.slow

INPUTS = ("ib_desktop", "packaging", "pyproject.toml")


def source_hash() -> str:
    """A hash of every file the bundle is built from."""
    digest = hashlib.sha256(sys.version.encode())
    for name in INPUTS:
        root = SOURCE / name
        files = [root] if root.is_file() else sorted(
            p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(SOURCE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="module")
def bundle() -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is missing: it is in the test extra (pip install -e '.[test]')")
    root = cache_dir() / f"bundle-{source_hash()}"
    app = root / "dist" / "ib-desktop"
    if not (root / ".complete").exists():
        for old in cache_dir().glob("bundle-*"):
            shutil.rmtree(old, ignore_errors=True)  # keep one bundle, not one per commit
        # One work folder for every build: PyInstaller reuses what did not change.
        subprocess.run([sys.executable, str(SOURCE / "packaging" / "build.py"),
                        "--dist", str(root / "dist"), "--work", str(cache_dir() / "bundle-work")],
                       check=True, capture_output=True, text=True)
        (root / ".complete").touch()
    return app


def test_bundle_needs_no_python_and_passes_the_smoke_test(bundle: Path) -> None:
    program = bundle / "ib-desktop"
    assert program.is_file()
    assert (bundle / "ib-desktop-gui").is_file()
    done = subprocess.run([sys.executable, str(SOURCE / "packaging" / "build.py"), "--no-build",
                           "--smoke-test", "--dist", str(bundle.parent)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke test passed" in done.stdout


def test_bundle_carries_data_and_leaves_out_unused_qt(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "ib_desktop" / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    migrations = internal / "ib_desktop" / "migrations" / "versions"
    assert (migrations / "0001_initial_schema.py").is_file()
    names = {p.name for p in internal.rglob("*")}
    assert not any(n.startswith(("libQt6WebEngine", "libQt6Quick", "libQt6Qml")) for n in names)
    version = subprocess.run([str(bundle / "ib-desktop"), "--version"], capture_output=True,
                             text=True, timeout=120)
    from ib_desktop import __version__

    assert version.stdout.strip() == f"IB Desktop {__version__}"
