"""An interrupted ``pulumi up`` (SIGINT, SIGKILL of the CLI, SIGKILL of its process group) and its recovery.

Parametrised on the program and on the recovery, so the same case runs through the dynamic provider and
the schema-based one (whose orphans ``pulumi import`` adopts). The CLI runs as its own process group, the
program served to it from another process as the Automation API serves it (``--client``), so a signal
reaches exactly what a terminal or a CI runner would hit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_alaya.emulator.state import load_seed

from .restarts import ClientLog

SEED_IDS = {dep["serviceId"] for dep in load_seed(None)["deployments"]}


@dataclass
class RunningUp:
    process: subprocess.Popen[str]
    program: subprocess.Popen[str]

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        out, _ = self.process.communicate(timeout=timeout)
        return self.process.returncode, out

    def kill_all(self) -> None:
        """Whatever is left of this run: provider processes outliving a SIGKILL of the CLI, the program server.

        The CLI starts each plugin in a process group of its own, so a group kill misses them; they stay in
        the CLI's session (``start_new_session`` made one per run), and that is what is ended here."""
        for process in (self.process, self.program):
            for pid in _in_session(process.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            process.wait()
            if process.stdout:
                process.stdout.close()


def _in_session(session: int) -> list[int]:
    """Every process of a session (Linux: field 6 of /proc/PID/stat, after the parenthesised command)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[3]) == session:
            found.append(int(stat.parent.name))
    return found


def up_in_background(engine: Any, stack: Any, program: str, *args: str) -> RunningUp:
    """``pulumi up`` as its own process group, the program (``"module:function"``) served from another."""
    env = {**os.environ, **engine.env}
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("program_server.py")),
                               program], env=env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert server.stdout is not None
    port = int(server.stdout.readline())
    command = ["pulumi", "--non-interactive", "up", "--yes", "--skip-preview", f"--client=127.0.0.1:{port}",
               "--exec-kind", "auto.inline", "--stack", stack.name, *args]
    process = subprocess.Popen(command, cwd=stack.workspace.work_dir, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    return RunningUp(process, server)


def pending_creates(engine: Any, stack: Any) -> list[dict[str, Any]]:
    state = json.loads(engine.export(stack))["deployment"]
    return [op for op in state.get("pending_operations") or [] if op.get("type") == "creating"]


def tracked_ids(engine: Any, stack: Any) -> list[str]:
    return [r["id"] for r in engine.resources(stack) if r.get("id")]


def untracked(emulator: Any, engine: Any, stack: Any) -> set[str]:
    """Deployments the emulator (the console) lists that neither the seed nor the stack accounts for."""
    live = {d["serviceId"] for d in emulator.deployments() if d["status"] != "stopping"}
    return live - SEED_IDS - set(tracked_ids(engine, stack))


def interrupt_up(engine: Any, emulator: Any, stack: Any, program: str, count: int, how: str,
                 recover: Callable[[], None]) -> str:
    """Start ``up`` of ``count`` deployments held in ``starting``; once every create is answered, interrupt it
    (``sigint``, ``sigkill`` the CLI, ``sigkill-group``); run ``recover``; then a second ``up`` must leave each
    program resource tracked once and nothing in the emulator that no stack tracks. Returns the first run's
    output."""
    log = ClientLog()
    os.environ.update(log.env)  # reaches the provider processes the engine starts
    emulator.set_timing(3600, 0.2)  # each create stays in flight (waiting for running) until released below
    run = up_in_background(engine, stack, program)
    try:
        for _ in range(count):
            log.until(lambda line: line.startswith("POST ") and "-> HTTP 200" in line, "a create answered")
        if how == "sigint":
            run.process.send_signal(signal.SIGINT)
        elif how == "sigkill":
            run.process.kill()
        else:
            os.killpg(run.process.pid, signal.SIGKILL)
        made = {d["serviceId"] for d in emulator.deployments()} - SEED_IDS
        assert len(made) == count
        # Let the waits end (a graceful cancel waits for the operations in flight).
        emulator.set_faults({sid: {"override": {"status": "running"}} for sid in made})
        code, out = run.finish()
        assert code != 0, out
        emulator.set_timing(0.2, 0.2)
        recover()
        stack.up()
        ids = tracked_ids(engine, stack)
        assert len(ids) == len(set(ids)) == count, ids
        assert not pending_creates(engine, stack)
        assert not untracked(emulator, engine, stack)
        return out
    finally:
        run.kill_all()
        log.close()
        for key in log.env:
            os.environ.pop(key, None)


def work_dir(stack: Any) -> Path:
    return Path(stack.workspace.work_dir)
