"""Build the standalone IB Desktop app: one folder that needs no Python.

    python packaging/build.py               # dist/ib-desktop/ (PyInstaller, this platform)
    python packaging/build.py --installer   # and the installer of this platform:
                                            #   Windows: dist/IB-Desktop-<v>-setup.exe (Inno Setup)
                                            #   macOS:   dist/IB-Desktop-<v>.dmg (hdiutil)
                                            #   Linux:   dist/ib-desktop-<v>-linux-x86_64.tar.gz
    python packaging/build.py --smoke-test  # run the built app: demo, print opp, GUI start

The same spec (packaging/ib-desktop.spec) serves every platform; PyInstaller builds for the
system it runs on, so the Windows installer is made on Windows and the .app on a Mac.
Needs: ``pip install -e ".[package]"`` (PyInstaller).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "ib-desktop.spec"


def version() -> str:
    """The version in ib_desktop/__init__.py, without importing the package."""
    for line in (ROOT / "ib_desktop" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("no __version__ in ib_desktop/__init__.py")


def build(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Run PyInstaller; return the app folder.

    Without ``clean`` PyInstaller reuses its cache of analysed libraries in ``work`` and in the
    user's cache folder, which saves most of a rebuild; a release build passes ``--clean``.
    """
    flags = ["--clean"] if clean else []
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", *flags,
                    "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work),
                    str(SPEC)], check=True, cwd=ROOT)
    return dist / "ib-desktop"


def executable(app: Path, name: str = "ib-desktop") -> Path:
    """The program ``name`` inside the built folder."""
    return app / (f"{name}.exe" if os.name == "nt" else name)


def installer(app: Path, dist: Path) -> Path:
    """The platform's installer around the built folder."""
    v = version()
    system = platform.system()
    if system == "Windows":
        iscc = shutil.which("ISCC") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
        subprocess.run([iscc, f"/DAppVersion={v}", f"/DDistDir={app}",
                        str(ROOT / "packaging" / "windows" / "ib-desktop.iss")], check=True)
        return dist / f"IB-Desktop-{v}-setup.exe"
    if system == "Darwin":
        bundle = dist / "IB Desktop.app"
        image = dist / f"IB-Desktop-{v}.dmg"
        subprocess.run(["hdiutil", "create", "-volname", "IB Desktop", "-srcfolder", str(bundle),
                        "-ov", "-format", "UDZO", str(image)], check=True)
        return image
    archive = dist / f"ib-desktop-{v}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(app, arcname="ib-desktop")
        tar.add(ROOT / "packaging" / "linux" / "ib-desktop.desktop",
                arcname="ib-desktop/ib-desktop.desktop")
        tar.add(ROOT / "ib_desktop" / "resources" / "icons" / "ib-desktop-256.png",
                arcname="ib-desktop/ib-desktop.png")
    return archive


def smoke_test(app: Path) -> None:
    """Run the built app as a user would, in an empty home: demo, print opp, GUI start."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
               "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
               "LOCALAPPDATA": str(home / "appdata")}
        env.pop("IB_DESKTOP_DATABASE", None)
        db = home / "demo.sqlite"
        program = str(executable(app))

        def run(*args: str, **extra: str) -> str:
            done = subprocess.run([program, *args], env={**env, **extra}, cwd=home,
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
            return done.stdout

        run("demo", "--pupils", "80", "--database", str(db))
        listing = run("pupils", "--has-opp", "--database", str(db))
        pupil = next(line.split()[0] for line in listing.splitlines()
                     if line.split() and line.split()[0].isdigit())
        run("print", "opp", "--pupil", pupil, "-o", str(home / "opp.pdf"), "--database", str(db))
        if (home / "opp.pdf").read_bytes()[:5] != b"%PDF-":
            raise SystemExit("print opp wrote no PDF")
        run(IB_DESKTOP_QUIT_AFTER="loaded", IB_DESKTOP_DATABASE=str(db))
        print(f"smoke test passed: {app}")


def folder_size(path: Path) -> int:
    """Bytes in the files below ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--installer", action="store_true", help="also build the installer")
    parser.add_argument("--smoke-test", action="store_true", help="run the built app")
    parser.add_argument("--no-build", action="store_true", help="use the folder already built")
    parser.add_argument("--clean", action="store_true", help="no cached analysis (releases)")
    args = parser.parse_args(argv)
    app = args.dist / "ib-desktop"
    if not args.no_build:
        app = build(args.dist, args.work, clean=args.clean)
    print(f"app folder: {app} ({folder_size(app) / 1e6:.0f} MB)")
    if args.installer:
        made = installer(app, args.dist)
        print(f"installer: {made} ({made.stat().st_size / 1e6:.0f} MB)")
    if args.smoke_test:
        smoke_test(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
