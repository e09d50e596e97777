#!/usr/bin/env python3
"""Pack the OpenTofu/Terraform provider for this machine's platform into a filesystem mirror folder.

    terraform_mirror.py DIR

writes ``DIR/registry.opentofu.org/alayanew/alaya/terraform-provider-alaya_VERSION_OS_ARCH.zip`` (a packed
filesystem mirror: ``tofu init`` installs from it with ``provider_installation { filesystem_mirror { path = DIR
} }``) and ``DIR/terraform-provider-alaya_VERSION_SHA256SUMS`` (the release's checksum file, ``sha256sum``
format), and prints the zip's path. VERSION is ``pulumi_alaya/client/version.py``'s.

The zip holds the launcher ``terraform-provider-alaya_vVERSION`` (/bin/sh, 0755) and ``lib/``: the provider's
part of pulumi_alaya (client, owning, terraform) and its dependencies, copied from the Python running this
script (grpcio, cffi and cryptography's compiled parts are per CPython minor version and platform: the zip
serves that Python version only, which the launcher looks for and names when missing). Every ``.py`` is
precompiled with unchecked-hash ``.pyc`` (nothing is compiled or written at run time: tofu re-hashes the installed
folder against its lock file). The same checkout and Python give the same bytes (fixed times, sorted entries).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import platform
import py_compile
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pulumi_alaya.client.version import VERSION  # noqa: E402

PROVIDER_ADDRESS = ("registry.opentofu.org", "alayanew", "alaya")
# The rooms the provider runs (ARCHITECTURE.md): the Pulumi front ends, the CLI and the emulator stay out.
ROOMS = ("client", "owning", "terraform")
# What the provider imports besides the standard library (pyproject's `terraform` extra, plus requests).
TOP_REQUIREMENTS = ("requests", "grpcio", "protobuf", "msgpack", "cryptography")
MISSING = ("terraform-provider-alaya: needs Python {want} (python{want}, or python3 of that version, on PATH, or its "
           "path in ALAYA_TERRAFORM_PYTHON); install it and run tofu again")
_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIP = re.compile(r"(^|/)(__pycache__|tests?)(/|$)|\.pyc$|\.pyi$")


def platform_name() -> str:
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower(),
                                                                        platform.machine().lower())
    return f"{sys.platform.removesuffix('2')}_{machine}"  # linux_amd64, darwin_arm64


def zip_name(platform_: str) -> str:
    return f"terraform-provider-alaya_{VERSION}_{platform_}.zip"


def sums_name() -> str:
    return f"terraform-provider-alaya_{VERSION}_SHA256SUMS"


def launcher() -> str:
    """The executable tofu starts: find the Python the zip was built for, or say so in one line (exit 1)."""
    major, minor = sys.version_info[:2]
    want = f"{major}.{minor}"
    check = (f"import sys; sys.version_info[:2] == ({major}, {minor}) or sys.exit(3); sys.path[:0] = [sys.argv[1]]; "
             "import runpy; runpy.run_module('pulumi_alaya.terraform', run_name='__main__')")
    return f"""#!/bin/sh
# terraform-provider-alaya {VERSION}: the Python provider in lib/, run by the Python {want} it was built for.
# -I: no PYTHON* variables, no current folder on the path; -S: no site packages; -B: nothing written here.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
for python in "${{ALAYA_TERRAFORM_PYTHON:-}}" python{want} python3; do
  [ -n "$python" ] && command -v "$python" >/dev/null 2>&1 || continue
  "$python" -I -S -B -c "{check}" "$here/lib"
  status=$?
  [ "$status" -eq 3 ] || exit "$status"
done
echo "{MISSING.format(want=want)}" >&2
exit 1
"""


def requirements_closure() -> list[importlib.metadata.Distribution]:
    """Each installed distribution the provider needs, following their requirements (markers of this Python)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = list(TOP_REQUIREMENTS)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in found:
            continue
        found[name] = importlib.metadata.distribution(name)
        for text in found[name].requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return [found[name] for name in sorted(found)]


def _files() -> dict[str, bytes]:
    """Archive path under lib/ -> bytes, for the provider's rooms and every distribution it needs."""
    files: dict[str, bytes] = {}
    package = ROOT / "pulumi_alaya"
    for path in [package / "__init__.py", package / "py.typed",
                 *(p for room in ROOMS for p in (package / room).rglob("*") if p.is_file())]:
        relative = path.relative_to(ROOT).as_posix()
        if not _SKIP.search(relative):
            files[relative] = path.read_bytes()
    for dist in requirements_closure():
        for entry in dist.files or []:
            relative = entry.as_posix()
            if relative.startswith("..") or _SKIP.search(relative) or relative.endswith("RECORD"):
                continue
            files[relative] = Path(str(dist.locate_file(entry))).read_bytes()
    return files


def _compiled(files: dict[str, bytes]) -> dict[str, bytes]:
    """``__pycache__/*.pyc`` for every module, unchecked-hash: valid without a look at the source's time."""
    compiled = {}
    tag = sys.implementation.cache_tag
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            if not name.endswith(".py"):
                continue
            source = Path(tmp) / name
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(data)
            folder, _, stem = name.rpartition("/")
            target = f"{folder}/__pycache__/{stem[:-3]}.{tag}.pyc" if folder else f"__pycache__/{stem[:-3]}.{tag}.pyc"
            py_compile.compile(str(source), cfile=str(Path(tmp) / "out.pyc"), dfile=name, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            compiled[target] = (Path(tmp) / "out.pyc").read_bytes()
    return compiled


def _entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def package() -> bytes:
    files = _files()
    files.update(_compiled(files))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry(f"terraform-provider-alaya_v{VERSION}", 0o755), launcher())
        for name in sorted(files):
            mode = 0o755 if name.endswith(".so") else 0o644
            archive.writestr(_entry(f"lib/{name}", mode), files[name])
    return out.getvalue()


def write_mirror(folder: Path) -> Path:
    target = folder.joinpath(*PROVIDER_ADDRESS) / zip_name(platform_name())
    target.parent.mkdir(parents=True, exist_ok=True)
    data = package()
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)  # never a half-written zip under the name tofu looks for
    (folder / sums_name()).write_text(f"{hashlib.sha256(data).hexdigest()}  {target.name}\n")
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: terraform_mirror.py DIR", file=sys.stderr)
        return 2
    try:
        print(write_mirror(Path(argv[0])))
    except importlib.metadata.PackageNotFoundError as missing:
        print(f"terraform_mirror: {missing.name} is not installed in {sys.executable}: install pulumi-alaya's "
              "`terraform` extra (pip install 'pulumi-alaya[terraform]') and run it again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
