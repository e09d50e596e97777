"""Pulumi programs run as users run them: the real CLI in a project directory, through its language host.

``PulumiProject`` copies a project folder (``Pulumi.yaml`` and the program) to a temporary one, gives it a
private ``PULUMI_HOME`` and a file backend (no network, passphrase secrets), and runs ``pulumi`` there with the
install ``scripts/pulumi-cli.sh`` builds (or the user's own) first on PATH. A program's dependencies
(``npm install``, a virtualenv) are installed once per distinct manifest into the git-ignored ``.cache/`` and
linked into each copy, so repeated tests do not reinstall them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .build_lock import build_lock
from .engine import ROOT, find_cli
from .prerequisites import missing
from _demo.pulumi_env import isolated_pulumi_env

PASSPHRASE = "project-tests-passphrase"
DEPENDENCIES = ROOT / ".cache" / "pulumi-project-deps"
RUNTIME_TOOLS = {"nodejs": "npm", "go": "go", "python": None, "yaml": None}  # besides the language host


def find_engine(*runtimes: str) -> tuple[str | None, str]:
    """(the folder holding ``pulumi`` and the language hosts of ``runtimes``, or None) and why not."""
    cli_dir, why = find_cli()
    if cli_dir is None:
        return None, why
    path = f"{cli_dir}{os.pathsep}{os.environ['PATH']}"
    for runtime in runtimes:
        host = f"pulumi-language-{runtime}"
        if not shutil.which(host, path=path):
            return None, f"no {host} beside {cli_dir} or on PATH (scripts/pulumi-hosts.sh says which are missing)"
        tool = RUNTIME_TOOLS[runtime]
        if tool and not shutil.which(tool):
            return None, f"{runtime} programs need {tool}, which is not on PATH"
    return cli_dir, ""


def engine_or_skip(*runtimes: str) -> str:
    """The engine folder for ``runtimes``; skips the test with one line when there is none, fails under CI."""
    cli_dir, why = find_engine(*runtimes)
    if cli_dir is None:
        missing(f"no Pulumi engine: {why} (put pulumi on PATH or install Go >= 1.26)")
    return cli_dir


class PulumiProject:
    """One copy of a project folder with its own stack, state and ``PULUMI_HOME``."""

    def __init__(self, source: Path, tmp: Path, cli_dir: str, stack: str = "dev",
                 env: dict[str, str] | None = None) -> None:
        self.dir = tmp / source.name
        shutil.copytree(source, self.dir, ignore=shutil.ignore_patterns("node_modules", "venv", "Pulumi.*.yaml"))
        self.stack = stack
        self.env = {**isolated_pulumi_env(tmp, cli_dir, PASSPHRASE), **(env or {})}
        self.run("stack", "init", stack)

    def run(self, *args: str, input: str | None = None, check: bool = True,
            timeout: float = 900) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS --non-interactive`` in the project folder; ``check``: a failure raises with its output."""
        run = subprocess.run(["pulumi", *args, "--non-interactive"], cwd=self.dir, env=self.env, input=input,
                             capture_output=True, text=True, timeout=timeout)
        if check and run.returncode != 0:
            raise AssertionError(f"pulumi {' '.join(args)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
        return run

    def config_set(self, key: str, value: str, secret: bool = False) -> None:
        """``pulumi config set``; a secret's value goes through stdin, never the command line."""
        if secret:
            self.run("config", "set", key, "--secret", input=value)
        else:
            self.run("config", "set", key, value)

    def use_emulator(self, emulator: Any, config: dict[str, str] | None = None) -> None:
        """Stack config pointing the provider at the emulator, as a user sets it (the secret key as a secret),
        plus the program's own ``config``."""
        for key, value in {"alaya:accessKey": emulator.access_key, "alaya:baseUrl": emulator.url,
                           **(config or {})}.items():
            self.config_set(key, value)
        self.config_set("alaya:secretKey", emulator.secret_key, secret=True)

    def up(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *args, check=check)

    def preview(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("preview", *args, check=check)

    def destroy(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "--yes", "--skip-preview", *args, check=check)

    def stack_output(self, show_secrets: bool = False) -> dict[str, Any]:
        reveal = ["--show-secrets"] if show_secrets else []
        outputs: dict[str, Any] = json.loads(self.run("stack", "output", "--json", *reveal).stdout)
        return outputs

    def export(self) -> dict[str, Any]:
        """``pulumi stack export``: the state exactly as stored."""
        state: dict[str, Any] = json.loads(self.run("stack", "export").stdout)
        return state

    def resources(self) -> list[dict[str, Any]]:
        return list(self.export()["deployment"].get("resources") or [])

    def npm_install(self) -> Path:
        """The project's ``package.json`` (and lock) installed once per content, linked as ``node_modules``."""
        manifests = [name for name in ("package.json", "package-lock.json") if (self.dir / name).exists()]
        installed = _cached(f"node-{_digest(self.dir, manifests)}", lambda work: _npm_install(self.dir, manifests,
                                                                                           work))
        (self.dir / "node_modules").symlink_to(installed / "node_modules")
        return installed / "node_modules"

    def virtualenv(self, name: str = "venv", requirements: str = "requirements.txt") -> Path:
        """A virtualenv with ``requirements`` installed once per content, linked as ``name`` (the folder
        ``runtime.options.virtualenv`` names in ``Pulumi.yaml`` or a plugin's ``PulumiPlugin.yaml``; both
        paths relative to the project folder)."""
        key = f"venv-py{sys.version_info.major}.{sys.version_info.minor}-{_digest(self.dir, [requirements])}"
        installed = _cached(key, lambda work: _make_virtualenv(self.dir / requirements, work))
        (self.dir / name).symlink_to(installed)
        return installed


def _digest(folder: Path, names: list[str]) -> str:
    sha = hashlib.sha256()
    for name in names:
        sha.update(Path(name).name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return sha.hexdigest()[:16]


def _cached(key: str, make: Any) -> Path:
    """``DEPENDENCIES/key``, made by ``make(folder)`` in place (a virtualenv cannot move) and marked finished
    last, so a failed or interrupted install is made again rather than taken for a finished one."""
    done = DEPENDENCIES / key
    with build_lock(key):
        if not (done / ".installed").exists():
            shutil.rmtree(done, ignore_errors=True)
            done.mkdir(parents=True)
            make(done)
            (done / ".installed").touch()
    return done


def _npm_install(project: Path, manifests: list[str], work: Path) -> None:
    for name in manifests:
        shutil.copy(project / name, work / name)
    command = "ci" if "package-lock.json" in manifests else "install"
    _check([shutil.which("npm") or "npm", command, "--no-audit", "--no-fund"], work)


def _make_virtualenv(requirements: Path, work: Path) -> None:
    _check([sys.executable, "-m", "venv", str(work)], work)
    _check([str(work / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(requirements)], work)


def _check(command: list[str], cwd: Path) -> None:
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
