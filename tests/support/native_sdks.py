"""What a user of another language installs, built from this checkout once per content into ``.cache/``.

``provider_archive()`` is the plugin archive a release attaches (``scripts/provider_archive.py``);
``nodejs_sdk_tarball()`` is ``npm pack`` of ``sdk/nodejs`` built as Pulumi's provider repos build it
(``npm install``, ``tsc`` with the generated strict tsconfig, ``package.json`` into ``bin/``, ``npm pack``
there). Each is rebuilt only when its sources change, and marked finished last so an interrupted build is
made again.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .build_lock import SOURCE_TREE, build_lock

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "native-sdks"


def _digest(*folders: Path, skip: tuple[str, ...] = ("node_modules", "bin", "__pycache__")) -> str:
    sha = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not set(p.parts) & set(skip)):
            sha.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


def _run(command: list[str], cwd: Path) -> None:
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed in {cwd}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")


def provider_archive() -> Path:
    folder = CACHE / f"archive-{_digest(ROOT / 'pulumi_alaya', ROOT / 'provider', ROOT / 'scripts')}"
    with build_lock(folder.name):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            with build_lock(SOURCE_TREE):
                _run([sys.executable, str(ROOT / "scripts" / "provider_archive.py"), str(folder)], ROOT)
            (folder / ".done").touch()
    return next(folder.glob("pulumi-resource-alaya-*.tar.gz"))


def nodejs_sdk_tarball() -> Path:
    source = ROOT / "sdk" / "nodejs"
    folder = CACHE / f"nodejs-{_digest(source)}"
    with build_lock(folder.name):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(source, folder, ignore=shutil.ignore_patterns("node_modules", "bin"))
            npm = shutil.which("npm") or "npm"
            _run([npm, "install", "--no-audit", "--no-fund"], folder)
            _run([str(folder / "node_modules" / ".bin" / "tsc"), "--strict"], folder)
            for name in ("package.json", "README.md"):
                shutil.copy(folder / name, folder / "bin" / name)
            _run([npm, "pack", "--pack-destination", str(folder)], folder / "bin")
            (folder / ".done").touch()
    return next(folder.glob("pulumi-alaya-alaya-*.tgz"))
