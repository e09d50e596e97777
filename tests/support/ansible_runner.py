"""Run real ansible-playbook / ansible-doc / ansible-galaxy processes against the repo's collection."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLLECTION = REPO / "ansible_collections" / "alayanew" / "serverless"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def ansible_env(emulator, collections_path: Path = REPO, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALAYA_", "ANSIBLE_"))}
    env.update(emulator.env if emulator else {})
    env.update(ANSIBLE_COLLECTIONS_PATH=str(collections_path), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED="0",
               # The editable install puts the repository root on sys.path; only collections_path counts here.
               ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="0")
    env.update(extra)
    return env


def playbook(path: Path, env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool("ansible-playbook"), str(path), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=path.parent)


def write_playbook(tmp_path: Path, tasks: str, play_extra: str = "") -> Path:
    path = tmp_path / "play.yml"
    path.write_text(f"- hosts: localhost\n  gather_facts: false\n{play_extra}  tasks:\n{tasks}")
    return path
