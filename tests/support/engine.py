"""The real Pulumi engine (the official CLI) for tests, on a local file backend with no network.

The CLI is the user's own ``pulumi`` from PATH, else the install ``scripts/pulumi-cli.sh`` builds from Pulumi's
Go modules (the CLI with its Python, Node.js, Go and YAML language hosts). Programs here run through the
Automation API: the engine reaches its in-process language server with ``--client`` (Pulumi's own mechanism
for inline programs); ``pulumi_project.py`` runs project folders through the language hosts instead. Every
other command is the CLI itself, run as a user would.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from .build_lock import build_lock
from _demo.pulumi_env import isolated_pulumi_env

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "engine-tests-passphrase"


def find_cli(build: bool = True) -> tuple[str | None, str]:
    """(folder holding ``pulumi``, or None) and why not; ``build``: build it when there is none yet."""
    found = shutil.which("pulumi")
    if found and shutil.which("pulumi-resource-pulumi-python"):
        return str(Path(found).parent), ""
    built = ROOT / ".cache" / "pulumi-install"  # scripts/pulumi-hosts.sh's folder
    if (built / "pulumi").exists() and not build:
        return str(built), ""
    if not build:
        return None, "no pulumi on PATH and none built yet: ./scripts/pulumi-cli.sh builds one (a few minutes)"
    try:
        with build_lock("pulumi-engine"):
            run = subprocess.run([str(ROOT / "scripts" / "pulumi-cli.sh")], capture_output=True, text=True,
                                 timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"scripts/pulumi-cli.sh could not run: {exc}"
    if run.returncode != 0:
        return None, "scripts/pulumi-cli.sh failed: " + (run.stderr.strip().splitlines() or ["?"])[-1]
    return run.stdout.strip().splitlines()[-1], ""


class Engine:
    """One throwaway PULUMI_HOME and file backend; stacks and CLI commands share them."""

    def __init__(self, cli_dir: str, tmp: Path, emulator: Any) -> None:
        self.tmp = tmp
        self.emulator = emulator
        self.env = {
            **isolated_pulumi_env(tmp, cli_dir, PASSPHRASE, extra_path=[Path(sys.executable).parent]),
            "PULUMI_PYTHON_CMD": sys.executable,  # the dynamic provider's launcher runs this python
        }
        # This process's environment is updated below (the Automation API reads it): blank what the dict leaves out.
        self.env.update({key: "" for key in os.environ if key.startswith("ALAYA_")})
        # The Automation API and its spawned CLI read these from this process's environment too.
        os.environ.update(self.env)

    def workspace(self, project: str, name: str = "dev") -> Path:
        work = self.tmp / f"{project}-{name}"
        work.mkdir(exist_ok=True)
        (work / "Pulumi.yaml").write_text(f"name: {project}\nruntime: python\n")
        return work

    def stack(self, project: str, program: Callable[[], None], name: str = "dev",
              config: dict[str, Any] | None = None, secrets: dict[str, str] | None = None) -> auto.Stack:
        """A stack whose program is ``program``; ``config``/``secrets`` are set with the CLI, as a user would."""
        work = self.workspace(project, name)
        options = auto.LocalWorkspaceOptions(work_dir=str(work), env_vars=self.env,
                                             pulumi_home=self.env["PULUMI_HOME"])
        stack = auto.create_or_select_stack(name, project_name=project, program=program, opts=options)
        settings = {"alaya:accessKey": self.emulator.access_key, "alaya:baseUrl": self.emulator.url,
                    **(config or {})}
        for key, value in settings.items():
            self.cli("config", "set", key, str(value), "--stack", name, cwd=work)
        for key, value in {"alaya:secretKey": self.emulator.secret_key, **(secrets or {})}.items():
            self.cli("config", "set", key, "--secret", "--stack", name, cwd=work, input=value)
        return stack

    def cli(self, *args: str, cwd: Path, input: str | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
        run = subprocess.run(["pulumi", *args, "--non-interactive"], cwd=cwd, env={**os.environ, **self.env},
                             capture_output=True, text=True, input=input, timeout=600)
        if check and run.returncode != 0:
            raise AssertionError(f"pulumi {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
        return run

    def export(self, stack: auto.Stack) -> str:
        """``pulumi stack export`` as text: the state exactly as stored."""
        return self.cli("stack", "export", "--stack", stack.name, cwd=Path(stack.workspace.work_dir)).stdout

    def resources(self, stack: auto.Stack, type_suffix: str = "LoraDeployment") -> list[dict[str, Any]]:
        state = json.loads(self.export(stack))["deployment"]
        return [r for r in state.get("resources", []) if r["type"].endswith(type_suffix)]


def program_file(path: Path) -> Callable[[], None]:
    """Run a Pulumi program file (``__main__.py``) as the program: the file users run, unchanged."""
    def program() -> None:
        runpy.run_path(str(path), run_name="__main__")
    return program
