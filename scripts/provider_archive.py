#!/usr/bin/env python3
"""Pack the provider plugin's release files: one archive per platform the engine asks for, and their checksums.

The schema's ``pluginDownloadURL`` (``github://api.github.com/pulumi-alaya``) makes the engine fetch
``pulumi-resource-alaya-v{VERSION}-{os}-{arch}.tar.gz`` from this repository's GitHub release for the machine it
runs on, and install it (``runtime: python``: the Python language host creates the plugin's venv from
``requirements.txt``). The plugin is Python, so the six archives hold the same bytes under six names: the plugin
folder (``PulumiPlugin.yaml``, ``__main__.py``, the ``pulumi-resource-alaya`` launcher that the engine runs
directly where it can), the pulumi-alaya wheel built from this checkout and a ``requirements.txt`` naming it,
so no package index needs to hold pulumi-alaya (its dependencies, pulumi and requests, come from the index).
``pulumi-alaya_{VERSION}_checksums.txt`` lists each archive's sha256 in ``sha256sum`` format, the name
goreleaser gives it in Pulumi's own provider releases.

    provider_archive.py OUT_DIR            # writes the files, prints the archives' paths
    provider_archive.py --verify OUT_DIR   # one line and exit 1 if an archive is missing or its checksum is wrong
"""

from __future__ import annotations

import gzip
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "provider" / "cmd" / "pulumi-resource-alaya"
LAUNCHER = "pulumi-resource-alaya"
# Every (os, arch) pair the engine can ask for (sdk/go/common/workspace/plugins.go, PluginDescriptor.Download).
PLATFORMS = [(os_, arch) for os_ in ("linux", "darwin", "windows") for arch in ("amd64", "arm64")]
# Older Pythons install nothing, so the plugin can start and say what to install (see __main__.py).
PYTHON_MARKER = 'python_version >= "3.11"'


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from pulumi_alaya.client.version import VERSION

    return VERSION


def archive_name(version_: str, os_: str, arch: str) -> str:
    return f"pulumi-resource-alaya-v{version_}-{os_}-{arch}.tar.gz"


def checksums_name(version_: str) -> str:
    return f"pulumi-alaya_{version_}_checksums.txt"


def _add(archive: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, 0  # reproducible: no build time, no owner
    archive.addfile(info, io.BytesIO(data))


def _packed(wheel: Path) -> bytes:
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as archive:
        for name in ("PulumiPlugin.yaml", "__main__.py", "README.md"):
            _add(archive, name, (PLUGIN / name).read_bytes())
        # The launcher the engine runs directly (not through the Python language host) where it can.
        _add(archive, LAUNCHER, (PLUGIN / LAUNCHER).read_bytes(), mode=0o755)
        _add(archive, wheel.name, wheel.read_bytes())
        _add(archive, "requirements.txt", f"./{wheel.name} ; {PYTHON_MARKER}\n".encode())
    # No file name and no time in the gzip header: the same bytes under every platform's name.
    return gzip.compress(tar.getvalue(), mtime=0)


def build(out: Path) -> list[Path]:
    version_ = version()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp, str(ROOT)],
                               capture_output=True, text=True)
        if wheel.returncode != 0:
            last = (wheel.stderr.strip().splitlines() or ["no output"])[-1]
            raise SystemExit(f"provider_archive: building the pulumi-alaya wheel failed ({last}): run "
                             f"'{sys.executable} -m pip wheel --no-deps .' to see why")
        data = _packed(next(Path(tmp).glob("pulumi_alaya-*.whl")))
    archives = [out / archive_name(version_, os_, arch) for os_, arch in PLATFORMS]
    for path in archives:
        path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (out / checksums_name(version_)).write_text("".join(f"{digest}  {path.name}\n" for path in archives))
    return archives


def verify(out: Path) -> list[str]:
    """What is wrong with the release files in ``out``, one line each (empty: ready to attach)."""
    version_ = version()
    sums = out / checksums_name(version_)
    if not sums.exists():
        return [f"{sums.name} is missing in {out}: run scripts/provider_archive.py {out}"]
    listed = {name: digest for digest, name in (line.split(maxsplit=1) for line in sums.read_text().splitlines()
                                                 if line.strip())}
    problems = []
    for os_, arch in PLATFORMS:
        name = archive_name(version_, os_, arch)
        if not (out / name).exists():
            problems.append(f"the {os_}-{arch} archive {name} is missing in {out}: run scripts/provider_archive.py")
        elif listed.get(name) != hashlib.sha256((out / name).read_bytes()).hexdigest():
            problems.append(f"{name}'s sha256 does not match {sums.name}: rebuild both (scripts/provider_archive.py)")
    return problems


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        wrong = verify(Path(sys.argv[2]))
        for line in wrong:
            print(f"provider_archive: {line}", file=sys.stderr)
        sys.exit(1 if wrong else 0)
    if len(sys.argv) != 2:
        sys.exit("usage: provider_archive.py OUT_DIR | --verify OUT_DIR")
    for path in build(Path(sys.argv[1])):
        print(path)
