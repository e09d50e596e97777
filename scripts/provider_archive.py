#!/usr/bin/env python3
"""Pack the provider plugin archive for ``pulumi plugin install resource alaya VERSION --file ARCHIVE``.

The archive holds ``provider/cmd/pulumi-resource-alaya/`` (``PulumiPlugin.yaml``, ``__main__.py``), the
pulumi-alaya wheel built from this checkout and a ``requirements.txt`` naming it, so the Python language
host's install step builds the plugin's venv without a package index holding pulumi-alaya (its dependencies,
pulumi and requests, come from the index). Usage: ``provider_archive.py OUT_DIR``; prints the archive's path.
"""

from __future__ import annotations

import io
import platform
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "provider" / "cmd" / "pulumi-resource-alaya"
_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def _version() -> str:
    sys.path.insert(0, str(ROOT))
    from pulumi_alaya import __version__

    return __version__


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, 0  # reproducible: no build time, no owner
    archive.addfile(info, io.BytesIO(data))


def build(out: Path) -> Path:
    version = _version()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "-w", tmp, str(ROOT)], check=True)
        wheel = next(Path(tmp).glob("pulumi_alaya-*.whl"))
        system = platform.system().lower()
        target = out / f"pulumi-resource-alaya-v{version}-{system}-{_ARCH.get(platform.machine(), 'amd64')}.tar.gz"
        with tarfile.open(target, "w:gz") as archive:
            for name in ("PulumiPlugin.yaml", "__main__.py", "README.md"):
                _add(archive, name, (PLUGIN / name).read_bytes())
            _add(archive, wheel.name, wheel.read_bytes())
            _add(archive, "requirements.txt", f"./{wheel.name}\n".encode())
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: provider_archive.py OUT_DIR")
    print(build(Path(sys.argv[1])))
