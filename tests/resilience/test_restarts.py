"""The emulator restarts: its state file survives ``kill -9`` at any moment, and every surface's wait polls
through the refused connections of the restart and succeeds once it is back (issue 18, item 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pulumi_alaya.client import AlayaClient, AlayaError
from pulumi_alaya.emulator import start_emulator
from pulumi_alaya.emulator import state as emulator_state
from pulumi_alaya.emulator.state import World, load_seed

from support.ansible_runner import ansible_env, tool, write_playbook
from support.restarts import ClientLog, restart_while_waiting, state_file

BASE = "base-qwen2-7b"


def creator(emulator):
    return AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, timeout=5, retries=0)


# -- the state file ---------------------------------------------------------------------------------------

def test_state_file_holds_every_answered_create_after_kill_9(tmp_path):
    state = state_file(tmp_path)
    first = start_emulator(state=str(state))
    answered: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def stream(worker: int) -> None:
        with creator(first) as client:
            for n in range(10_000):
                try:
                    service_id = client.create_lora_deployment(BASE, "lora-x", f"w{worker}-{n}", "x")
                except AlayaError:
                    return  # the emulator is dead: this create may or may not have been made
                with lock:
                    answered.append(service_id)
                    if len(answered) == 40:
                        enough.set()

    with ThreadPoolExecutor(4) as pool:
        streams = [pool.submit(stream, worker) for worker in range(4)]
        assert enough.wait(120)
        first.kill()  # creates from the other streams are in flight, some mid-write
        for future in streams:
            future.result()
    kept = json.loads(state.read_text(encoding="utf-8"))  # whole JSON: never half a file
    ids = [dep["serviceId"] for dep in kept["deployments"]]
    assert len(ids) == len(set(ids)) and set(answered) <= set(ids)
    with start_emulator(state=str(state)) as second:
        known = {dep["serviceId"] for dep in second.deployments()}
        assert set(answered) <= known
        with creator(second) as client:
            assert client.get_deployment(answered[-1]).name.startswith("w")


def test_state_is_written_to_a_synced_temp_file_then_renamed(tmp_path, monkeypatch):
    state = tmp_path / "state.json"
    world = World(load_seed(None), "http://127.0.0.1:1", str(state))
    world.persist()
    before = json.loads(state.read_text(encoding="utf-8"))
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append("fsync folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync file")
        real_fsync(fd)

    def replace(source: str, target: str) -> None:
        # The writer is paused between its write and its rename: a reader now finds the old file, whole.
        assert json.loads(Path(target).read_text(encoding="utf-8")) == before
        assert Path(source).parent == state.parent and Path(source) != state
        written = json.loads(Path(source).read_text(encoding="utf-8"))
        assert len(written["deployments"]) == len(before["deployments"]) + 1
        steps.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(emulator_state.os, "fsync", fsync)
    monkeypatch.setattr(emulator_state.os, "replace", replace)
    problem, _ = world.create_lora({"baseServiceId": BASE, "modelId": "m", "name": "n", "servedName": ["n"]})
    assert problem is None
    assert steps == ["fsync file", "rename", "fsync folder"]
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left behind


# -- waits across a restart, on every surface -----------------------------------------------------------

@pytest.fixture
def restart(tmp_path):
    """(first emulator, state file, client log, the serviceId of a deployment held in starting)."""
    state = state_file(tmp_path)
    first = start_emulator(state=str(state))
    first.set_timing(3600, 1)  # it stays starting here; after the restart it runs within half a second
    with creator(first) as client:
        service_id = client.create_lora_deployment(BASE, "lora-r", "restart-me", "restart-me")
    log = ClientLog()
    alive = [first]
    yield first, state, log, service_id, alive
    log.close()
    for emulator in alive:
        emulator.stop()


def test_python_wait_polls_through_a_restart(restart):
    first, state, log, service_id, alive = restart
    log.in_this_process()
    with AlayaClient(first.access_key, first.secret_key, first.url) as client, ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(client.wait_until_running, service_id, 120)
        alive.append(restart_while_waiting(first, state, log))
        assert waiting.result().status_name == "running"


def test_cli_wait_polls_through_a_restart(restart):
    first, state, log, service_id, alive = restart
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALAYA_", "GITHUB_"))}
    process = subprocess.Popen([sys.executable, "-m", "pulumi_alaya.cli", "lora", "get", service_id, "--wait",
                                "--timeout", "120", "-o", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**env, **first.env, **log.env})
    alive.append(restart_while_waiting(first, state, log))
    out, err = process.communicate(timeout=150)
    assert process.returncode == 0, err
    assert json.loads(out)["status"] == "running" and "is starting" in err


def test_ansible_info_wait_polls_through_a_restart(restart, tmp_path):
    first, state, log, service_id, alive = restart
    play = write_playbook(tmp_path, textwrap.indent(textwrap.dedent(f"""\
        - alayanew.serverless.lora_deployment_info:
            service_id: {service_id}
            wait: true
            wait_timeout: 120
          register: lora
        - ansible.builtin.copy:
            content: "{{{{ lora.deployment | to_json }}}}"
            dest: "{tmp_path}/result.json"
        """), "    "))
    process = subprocess.Popen([tool("ansible-playbook"), str(play)], env=ansible_env(first, **log.env),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    alive.append(restart_while_waiting(first, state, log))
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out
    assert json.loads((tmp_path / "result.json").read_text())["status"] == "running"
