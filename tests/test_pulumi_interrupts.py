"""``pulumi up`` interrupted while creates are in flight, then the recovery the README gives (issue 18, item 2).

SIGINT (Ctrl-C, or ``kill -INT`` of the CLI): the engine lets the creates in flight finish and records them;
nothing to recover, the next ``up`` creates the rest. SIGKILL of the CLI alone, or of its whole process group
(a CI runner's last step of a cancel kills the process tree): the stack stays locked, the creates stay
pending in the state and their deployments exist unseen. A plain ``up`` would then make them twice (checked
below), so the recovery is ``pulumi cancel``, delete (or adopt) the deployments the pending creates made,
``pulumi refresh --clear-pending-creates``, then ``up``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import test_pulumi_engine
from interrupt_programs import FLEET_SIZE, fleet
from pulumi import automation as auto
from pulumi_interrupts import interrupt_up, pending_creates, untracked, work_dir
from restarts import ClientLog, restart_while_waiting, state_file

import pulumi_alaya as alaya
from pulumi_alaya.emulator import start_emulator

COUNT = FLEET_SIZE
FLEET = "interrupt_programs:fleet"  # served from its own process: see pulumi_interrupts.up_in_background
engine = test_pulumi_engine.engine  # the same module-scoped engine fixture


def made_by_pending_creates(engine, emulator, stack) -> list[str]:
    """What a user finds in the console: deployments named ``<resource name>-<suffix>`` the stack lacks."""
    names = [op["resource"]["urn"].rsplit("::", 1)[1] + "-" for op in pending_creates(engine, stack)]
    lost = untracked(emulator, engine, stack)
    return [d["serviceId"] for d in emulator.deployments()
            if d["serviceId"] in lost and str(d["name"]).startswith(tuple(names))]


def recover_after_sigkill(engine, emulator, stack) -> None:
    """The README's recovery for the dynamic provider (``pulumi import`` cannot adopt it, pulumi/pulumi#16175)."""
    work = work_dir(stack)
    with pytest.raises(auto.ConcurrentUpdateError, match="pulumi cancel"):  # the killed run's lock is left
        stack.up()
    engine.cli("cancel", "--yes", "--stack", stack.name, cwd=work)
    orphans = made_by_pending_creates(engine, emulator, stack)
    assert len(orphans) == COUNT
    for service_id in orphans:
        deleted = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", "delete", service_id, "--wait"],
                                 env={**os.environ, **emulator.env}, capture_output=True, text=True, timeout=60)
        assert deleted.returncode == 0, deleted.stderr
    engine.cli("refresh", "--yes", "--clear-pending-creates", "--stack", stack.name, cwd=work)


@pytest.mark.parametrize("how", ["sigint", "sigkill", "sigkill-group"])
def test_interrupted_up_leaves_each_resource_tracked_once_and_nothing_unseen(engine, emulator, how):
    stack = engine.stack(f"alaya-interrupt-{how}", fleet)
    recover = (lambda: None) if how == "sigint" else (lambda: recover_after_sigkill(engine, emulator, stack))
    out = interrupt_up(engine, emulator, stack, FLEET, COUNT, how, recover)
    if how == "sigint":
        assert "cancelling" in out and out.count("created") >= COUNT  # the creates in flight were recorded


def test_a_plain_up_after_sigkill_would_duplicate(engine, emulator):
    # Why the README's recovery exists: the engine does not refuse to run with pending creates.
    stack = engine.stack("alaya-interrupt-naive", fleet)

    def naive() -> None:
        engine.cli("cancel", "--yes", "--stack", stack.name, cwd=work_dir(stack))
        stack.up()
        assert len(untracked(emulator, engine, stack)) == COUNT and pending_creates(engine, stack)
        recover_after_sigkill_leftovers(engine, emulator, stack)

    interrupt_up(engine, emulator, stack, FLEET, COUNT, "sigkill-group", naive)


def recover_after_sigkill_leftovers(engine, emulator, stack) -> None:
    for service_id in untracked(emulator, engine, stack):
        subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", "delete", service_id],
                       env={**os.environ, **emulator.env}, capture_output=True, timeout=60, check=True)
    engine.cli("refresh", "--yes", "--clear-pending-creates", "--stack", stack.name, cwd=work_dir(stack))


def test_create_and_wait_polls_through_an_emulator_restart(engine, tmp_path):
    # Issue 18 item 3 through the real engine: the provider's wait meets refused connections, then succeeds.
    state = state_file(tmp_path)
    first = start_emulator(state=str(state))
    first.set_timing(3600, 1)  # starting until the restart; then it runs within half a second
    alive = [first]
    log = ClientLog()
    os.environ.update(log.env)  # reaches the provider process the engine starts

    def program() -> None:
        alaya.LoraDeployment("restarted", base_service_id="base-qwen2-7b", model_id="m", served_names=["r"],
                             wait_timeout=120)

    stack = engine.stack("alaya-restart", program, config={"alaya:baseUrl": first.url})
    try:
        with ThreadPoolExecutor(1) as pool:
            up = pool.submit(stack.up)
            alive.append(restart_while_waiting(first, state, log))
            up.result(timeout=300)
        (resource,) = engine.resources(stack)
        assert resource["outputs"]["status"] == "running"
        assert resource["id"] in {d["serviceId"] for d in alive[-1].deployments()}
    finally:
        log.close()
        for key in log.env:
            os.environ.pop(key, None)
        for emulator in alive:
            emulator.stop()
