"""The Pulumi engine the demo's Pulumi steps run: the user's own install, the one built before, or a new build.

A newcomer has none, so the demo builds it with ``scripts/pulumi-cli.sh`` (from Pulumi's Go modules into the
git-ignored ``.cache/``; later runs find it there). That takes minutes, so the demo says what it builds, why and
about how long before it starts, passes the script's progress lines on, and prints a heartbeat when the build
has been silent for a while: a long silent step reads as a hang.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "pulumi-cli.sh"
# Where scripts/pulumi-hosts.sh puts the finished install (its cache folder, as the scripts choose it).
BUILT = Path(os.environ.get("PULUMI_ALAYA_CACHE") or ROOT / ".cache") / "pulumi-install"
# The CLI, the hosts of the two programs the demo runs (Python and YAML) and the dynamic provider's launcher.
NEEDED = ("pulumi", "pulumi-language-python", "pulumi-language-yaml", "pulumi-resource-pulumi-python")
HEARTBEAT_SECONDS = 15
BUILD_NOTICE = """\
    Pulumi runs programs through its engine (the CLI and a language host per language). There is none on PATH
    and none built yet, so the demo builds one now with scripts/pulumi-cli.sh: the Pulumi CLI and its Python,
    Node.js, Go and YAML language hosts, from Pulumi's Go modules into .cache/. About 10 minutes on a fresh
    machine (CLI ~5 min, language hosts ~2 min, YAML host ~3 min); parts built before are reused, and later
    runs of the demo start at once. ./scripts/demo.sh --quick skips the Pulumi steps."""


class EngineUnavailable(Exception):
    """No engine and none could be built; the message says why in one line."""


def find_engine() -> Path | None:
    """The folder holding ``pulumi`` and everything in ``NEEDED``: the user's own install first, then ours."""
    on_path = shutil.which("pulumi")
    for folder in ([Path(on_path).resolve().parent] if on_path else []) + [BUILT]:
        if all(os.access(folder / name, os.X_OK) for name in NEEDED):
            return folder
    return None


def engine(say: Callable[[str], None]) -> Path:
    """An engine folder, built first (with ``say`` telling the user about it) when there is none."""
    found = find_engine()
    if found:
        return found
    say(BUILD_NOTICE)
    built = _build(say)
    missing = [name for name in NEEDED if not os.access(built / name, os.X_OK)]
    if missing:
        raise EngineUnavailable(f"scripts/pulumi-cli.sh built {built} without {', '.join(missing)}")
    return built


def _build(say: Callable[[str], None], script: Path = BUILD_SCRIPT, heartbeat: float = HEARTBEAT_SECONDS) -> Path:
    """Run the build script, passing its stderr lines on (Go's one line per module download counted instead);
    the folder it prints last is the install."""
    started = time.monotonic()
    # Its own process group, so an interrupted demo can stop the script and the go builds under it in one go.
    process = subprocess.Popen([str(script)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None and process.stdout is not None
    threading.Thread(target=_pump, args=(process.stderr, lines), daemon=True).start()
    downloads = 0
    try:
        while (line := _next(lines, heartbeat)) != "":
            if line is None:
                say(f"    ... still building ({_minutes(time.monotonic() - started)} so far"
                    + (f", {downloads} Go modules downloaded)" if downloads else ")"))
            elif line.startswith("go: downloading"):
                downloads += 1
            else:
                say("    " + line.rstrip())
        folder = process.stdout.read().strip().splitlines()
        code = process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
    if code != 0 or not folder:
        raise EngineUnavailable(f"{script.name} failed (exit code {code}); its last lines are above")
    say(f"    ready in {_minutes(time.monotonic() - started)}: {folder[-1]}")
    return Path(folder[-1])


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)
    lines.put("")  # the end of the stream


def _next(lines: queue.Queue[str], heartbeat: float) -> str | None:
    """The next line, "" at the end, or None after ``heartbeat`` seconds of silence."""
    try:
        return lines.get(timeout=heartbeat)
    except queue.Empty:
        return None


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
