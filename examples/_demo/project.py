"""A Pulumi project folder run as a user runs it: the real CLI in a copy of the folder, on a throwaway stack.

The copy gets a private ``PULUMI_HOME`` and a local file backend with passphrase secrets, so the demo needs no
Pulumi account, writes nothing outside its temporary folder and sends nothing beyond the loopback emulator.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from _demo.pulumi_env import isolated_pulumi_env
from _demo.report import StepFailed

PASSPHRASE = "demo-passphrase"  # encrypts the throwaway stack's secrets; the stack is deleted with the folder


class Project:
    def __init__(self, source: Path, tmp: Path, engine: Path, env: dict[str, str] | None = None) -> None:
        self.dir = tmp / source.name
        shutil.copytree(source, self.dir, ignore=shutil.ignore_patterns("node_modules", "venv", "Pulumi.*.yaml"))
        venv_bin = Path(sys.executable).parent  # pulumi-resource-alaya and the python with pulumi-alaya in it
        self.env = {**isolated_pulumi_env(tmp, engine, PASSPHRASE, extra_path=[venv_bin]), **(env or {})}
        self.run("stack", "init", "dev")

    def use_this_virtualenv(self) -> None:
        """Point ``runtime.options.virtualenv`` at the demo's own venv (it holds pulumi and pulumi-alaya)."""
        settings = self.dir / "Pulumi.yaml"
        settings.write_text(settings.read_text().replace("virtualenv: venv", f"virtualenv: {sys.prefix}"))

    def run(self, *args: str, input: str | None = None) -> str:
        """``pulumi ARGS`` in the project folder; a failure is a StepFailed with pulumi's last lines."""
        run = subprocess.run(["pulumi", *args, "--non-interactive"], cwd=self.dir, env=self.env, input=input,
                             capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            said = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
            raise StepFailed(f"pulumi {args[0]} failed (exit code {run.returncode})", said[-8:])
        return run.stdout

    def configure(self, settings: dict[str, str], secrets: dict[str, str]) -> None:
        for key, value in settings.items():
            self.run("config", "set", key, value)
        for key, value in secrets.items():
            self.run("config", "set", key, "--secret", input=value)  # stdin: never on a command line

    def up(self) -> None:
        self.run("up", "--yes", "--skip-preview")

    def destroy(self) -> None:
        self.run("destroy", "--yes", "--skip-preview")

    def outputs(self, show_secrets: bool = False) -> dict[str, Any]:
        shown: dict[str, Any] = json.loads(self.run("stack", "output", "--json",
                                                    *(["--show-secrets"] if show_secrets else [])))
        return shown
