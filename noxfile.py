"""The matrix: each Python version pyproject claims, and requires_ansible's oldest ansible-core and the newest.

`nox` runs every session, `nox -s NAME` one (`nox -l` lists them). Each session's venv is synced from uv.lock
as scripts/setup.sh syncs .venv, so the matrix tests the pinned tools; only the Python version and the
ansible-core group differ. The README's test command (scripts/test.sh) stays the single-version run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.11", "3.13"]  # pyproject's classifiers list exactly these (tests/project/test_packaging.py)
OLDEST_ANSIBLE = "2.17"  # meta/runtime.yml's requires_ansible; pyproject's ansible-oldest group pins it
# sanity, units, integration through scripts/run_ansible_test.py
ANSIBLE_TESTS = "tests/ansible_collection/test_ansible_test.py"

nox.options.error_on_missing_interpreters = True


def _select_pyenv_versions() -> None:
    """pyenv's shims answer only for its selected versions: select the installed ones the matrix needs, so
    `python3.13` resolves beside the global 3.11 (nothing to do without pyenv, as on GitHub's runners)."""
    if "PYENV_VERSION" in os.environ or not shutil.which("pyenv"):
        return
    installed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True).stdout.split()
    picked = [max((v for v in installed if v.startswith(f"{wanted}.")), key=lambda v: [int(p) for p in
                  v.split(".") if p.isdigit()], default="") for wanted in PYTHONS]
    os.environ["PYENV_VERSION"] = ":".join(v for v in picked if v) or "system"


def _sync(session: nox.Session, *groups: str) -> None:
    uv = subprocess.run([str(ROOT / "scripts" / "uv.sh")], capture_output=True, text=True, check=True).stdout
    venv = str(session.virtualenv.location)
    session.run_install(uv.strip(), "sync", "--quiet", "--locked", *groups, "--python", f"{session.bin}/python",
                        env={"UV_PROJECT_ENVIRONMENT": venv, "UV_PYTHON_DOWNLOADS": "never"}, external=True)


_select_pyenv_versions()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Types and the Python tests (all but ansible-test, which the ansible sessions run)."""
    _sync(session)
    session.run("mypy")
    session.run("python", "-m", "pytest", "-q", "--ignore", ANSIBLE_TESTS, *session.posargs)


def _ansible(session: nox.Session, *groups: str) -> None:
    """The collection's ansible-test sanity, units and integration (against the emulator) on one ansible-core."""
    _sync(session, *groups)
    session.run("ansible", "--version")
    session.run("python", "-m", "pytest", "-q", ANSIBLE_TESTS, *session.posargs)


# ansible-core 2.20+ needs Python 3.12+, so the newest runs on the newest Python; 2.17 ends at Python 3.12.
@nox.session(name=f"ansible-{OLDEST_ANSIBLE}", python=PYTHONS[0])
def ansible_oldest(session: nox.Session) -> None:
    """requires_ansible's minimum: sanity, units and integration."""
    _ansible(session, "--no-group", "ansible-newest", "--group", "ansible-oldest")


@nox.session(name="ansible-newest", python=PYTHONS[-1])
def ansible_newest(session: nox.Session) -> None:
    """The newest ansible-core: sanity, units and integration."""
    _ansible(session)  # the default groups hold ansible-newest
