"""A real ``tofu`` (built by scripts/opentofu.sh) driving the provider installed from a filesystem mirror that
scripts/terraform_mirror.py packs: the way a Terraform user installs it, with nothing but 127.0.0.1 reached."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from _demo.tofu import ROOT, cli_config, tofu_built, tofu_path, write_mirror
from support.prerequisites import missing

__all__ = ["BASE", "PROVIDER_BLOCK", "ROOT", "Tofu", "cli_config", "lora_block", "tofu_or_skip", "write_mirror"]
PROVIDER_BLOCK = """terraform {
  required_providers {
    alaya = { source = "alayanew/alaya" }
  }
}
"""

BASE = "base-qwen2-7b"  # the emulator seed's running base model


def lora_block(name: str = "x", *, model: str = "lora-x", served: str = "x-one", extra: str = "") -> str:
    """An ``alaya_lora_deployment`` on the seed's base model."""
    return f"""resource "alaya_lora_deployment" "{name}" {{
  base_service_id = "{BASE}"
  model_id        = "{model}"
  served_names    = ["{served}"]
{extra}}}
"""


def tofu_or_skip() -> Path:
    """The built tofu; skips with one line when there is none (fails under CI, whose test.sh builds it)."""
    if tofu_built():
        return tofu_path()
    missing(f"no tofu in {tofu_path().parent}: run scripts/opentofu.sh (Go >= 1.26, ~6-10 min once)")


class Tofu:
    """One working folder with its own configuration, state and environment."""

    def __init__(self, folder: Path, config: Path, emulator: Any, tofu: Path) -> None:
        self.dir = folder
        self.dir.mkdir(parents=True, exist_ok=True)
        self.tofu = tofu
        self.env = {"PATH": os.environ["PATH"], "HOME": str(folder), "TF_CLI_CONFIG_FILE": str(config),
                    "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", **emulator.env}

    def write(self, text: str, name: str = "main.tf") -> None:
        (self.dir / name).write_text(text)

    def copy_from(self, source: Path) -> None:
        for path in source.glob("*.tf"):
            shutil.copy(path, self.dir / path.name)

    def run(self, *args: str, expect: int | None = 0, env: dict[str, str] | None = None,
            timeout: float = 240) -> subprocess.CompletedProcess[str]:
        """``tofu ARGS`` (no colour, no input); ``expect``: the exit code it must end with (None: any)."""
        flags = ["-no-color", "-input=false"] if args[0] in ("init", "plan", "apply", "destroy", "import") else []
        command = [str(self.tofu), args[0], *flags, *args[1:]]  # flags before ADDR ID (import wants them first)
        run = subprocess.run(command, cwd=self.dir, env={**self.env, **(env or {})}, capture_output=True,
                             text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if expect is not None and run.returncode != expect:
            raise AssertionError(f"tofu {' '.join(args)} exited {run.returncode}, not {expect}:\n"
                                 f"{run.stdout[-6000:]}\n{run.stderr[-6000:]}")
        return run

    def init(self) -> subprocess.CompletedProcess[str]:
        return self.run("init")

    def apply(self, *args: str, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
        return self.run("apply", "-auto-approve", *args, expect=expect)

    def plan_code(self, *args: str) -> tuple[int, str]:
        """``plan -detailed-exitcode``: 0 no changes, 2 changes, 1 an error; and what it printed."""
        run = self.run("plan", "-detailed-exitcode", *args, expect=None)
        return run.returncode, run.stdout + run.stderr

    def state(self) -> dict[str, Any]:
        import json

        return dict(json.loads(self.run("show", "-json").stdout))

    def resource(self, address: str) -> dict[str, Any]:
        """The values of one resource in the state (``tofu show -json``)."""
        found = self.state().get("values", {}).get("root_module", {}).get("resources", [])
        for item in found:
            if item["address"] == address:
                return dict(item["values"])
        raise AssertionError(f"{address} is not in the state: {[item['address'] for item in found]}")
