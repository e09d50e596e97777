"""``pulumi up`` interrupted while creates are in flight, then the recovery the README gives (issue 18, item 2),
through both providers (the dynamic ``pulumi_alaya.LoraDeployment`` and the schema-based plugin ``alaya``).

SIGINT (Ctrl-C, or ``kill -INT`` of the CLI): the engine lets the creates in flight finish and records them;
nothing to recover, the next ``up`` creates the rest. SIGKILL of the CLI alone, or of its whole process group
(a CI runner's last step of a cancel kills the process tree): the stack stays locked, the creates stay
pending in the state and their deployments exist unseen. A plain ``up`` would then make them twice (checked
below), so the recovery is ``pulumi cancel``, find the deployments the pending creates made (by name), then
``pulumi refresh --clear-pending-creates`` and, for the dynamic provider, delete them (``pulumi import``
cannot adopt a dynamic resource, pulumi/pulumi#16175); for the native one, ``pulumi import`` each under its
resource name, so the next ``up`` adopts them and creates nothing. ``refresh --import-pending-creates`` looks
like the tool for this but (CLI v3.274.1) drops the pending creates without tracking anything (checked below).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pulumi_alaya_native as alaya_native
import pytest
from pulumi import automation as auto

import pulumi_alaya as alaya
from pulumi_alaya.emulator import start_emulator

from support.interrupt_programs import FLEET_SIZE, fleet, native_fleet
from support.interrupts import interrupt_up, pending_creates, tracked_ids, untracked, work_dir
from support.restarts import ClientLog, restart_while_waiting, state_file

COUNT = FLEET_SIZE
# provider: (the program, and the same served from its own process: see pulumi_interrupts.up_in_background)
FLEETS = {"dynamic": (fleet, "interrupt_programs:fleet"), "native": (native_fleet, "interrupt_programs:native_fleet")}
NATIVE_TYPE = "alaya:index:LoraDeployment"


def made_by_pending_creates(engine, emulator, stack) -> dict[str, str]:
    """What a user finds in the console: for each pending create (its URN), the deployment named
    ``<resource name>-<suffix>`` that the stack lacks."""
    lost = untracked(emulator, engine, stack)
    found = {}
    for op in pending_creates(engine, stack):
        urn = op["resource"]["urn"]
        (found[urn],) = [d["serviceId"] for d in emulator.deployments()
                         if d["serviceId"] in lost and str(d["name"]).startswith(urn.rsplit("::", 1)[1] + "-")]
    return found


def cancel_and_find_orphans(engine, emulator, stack) -> dict[str, str]:
    with pytest.raises(auto.ConcurrentUpdateError, match="pulumi cancel"):  # the killed run's lock is left
        stack.up()
    engine.cli("cancel", "--yes", "--stack", stack.name, cwd=work_dir(stack))
    orphans = made_by_pending_creates(engine, emulator, stack)
    assert len(orphans) == COUNT
    return orphans


def import_each(engine, stack, orphans: dict[str, str]) -> None:
    """``pulumi import`` of each deployment under its resource's name (native provider only)."""
    for urn, service_id in orphans.items():
        engine.cli("import", NATIVE_TYPE, urn.rsplit("::", 1)[1], service_id, "--yes", "--protect=false",
                   "--generate-code=false", "--stack", stack.name, cwd=work_dir(stack))


def recover_after_sigkill(engine, emulator, stack, provider: str) -> list[str]:
    """The README's recovery; the serviceIds the stack holds afterwards (native: adopted) or none (dynamic)."""
    orphans = cancel_and_find_orphans(engine, emulator, stack)
    if provider == "dynamic":
        for service_id in orphans.values():
            deleted = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", "delete", service_id,
                                      "--wait"], env={**os.environ, **emulator.env}, capture_output=True, text=True,
                                     timeout=60)
            assert deleted.returncode == 0, deleted.stderr
    engine.cli("refresh", "--yes", "--clear-pending-creates", "--stack", stack.name, cwd=work_dir(stack))
    if provider == "dynamic":
        return []
    import_each(engine, stack, orphans)
    # Adopted as auto-named (the program sets no name): the next up changes a setting, replaces nothing.
    assert stack.preview().change_summary.get("replace", 0) == 0
    return list(orphans.values())


@pytest.mark.parametrize("provider", list(FLEETS))
@pytest.mark.parametrize("how", ["sigint", "sigkill", "sigkill-group"])
def test_interrupted_up_leaves_each_resource_tracked_once_and_nothing_unseen(engine, emulator, how, provider):
    program, served = FLEETS[provider]
    stack = engine.stack(f"alaya-interrupt-{how}-{provider}", program)
    adopted: list[str] = []
    if how == "sigint":
        recover = lambda: None  # noqa: E731
    else:
        def recover() -> None:
            adopted.extend(recover_after_sigkill(engine, emulator, stack, provider))
    out = interrupt_up(engine, emulator, stack, served, COUNT, how, recover)
    if how == "sigint":
        assert "cancelling" in out and out.count("created") >= COUNT  # the creates in flight were recorded
    elif provider == "native":
        assert sorted(tracked_ids(engine, stack)) == sorted(adopted)  # the orphans themselves, none made again


def test_import_pending_creates_drops_them_without_tracking(engine, emulator):
    # Why the README does not offer `refresh --import-pending-creates URN ID`: this CLI turns each into a pending
    # import that the refresh then drops; the deployment stays unseen. The README's recovery then still works.
    stack = engine.stack("alaya-interrupt-import-pending", native_fleet)

    def try_import_pending_creates() -> None:
        orphans = cancel_and_find_orphans(engine, emulator, stack)
        pairs = [arg for urn, service_id in orphans.items()
                 for arg in ("--import-pending-creates", urn, "--import-pending-creates", service_id)]
        engine.cli("refresh", "--yes", *pairs, "--stack", stack.name, cwd=work_dir(stack))
        assert not pending_creates(engine, stack) and not tracked_ids(engine, stack)
        assert untracked(emulator, engine, stack) == set(orphans.values())
        import_each(engine, stack, orphans)

    interrupt_up(engine, emulator, stack, FLEETS["native"][1], COUNT, "sigkill-group", try_import_pending_creates)


@pytest.mark.parametrize("provider", list(FLEETS))
def test_a_plain_up_after_sigkill_would_duplicate(engine, emulator, provider):
    # Why the README's recovery exists: the engine does not refuse to run with pending creates.
    program, served = FLEETS[provider]
    stack = engine.stack(f"alaya-interrupt-naive-{provider}", program)

    def naive() -> None:
        engine.cli("cancel", "--yes", "--stack", stack.name, cwd=work_dir(stack))
        stack.up()
        assert len(untracked(emulator, engine, stack)) == COUNT and pending_creates(engine, stack)
        recover_after_sigkill_leftovers(engine, emulator, stack)

    interrupt_up(engine, emulator, stack, served, COUNT, "sigkill-group", naive)


def recover_after_sigkill_leftovers(engine, emulator, stack) -> None:
    for service_id in untracked(emulator, engine, stack):
        subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", "delete", service_id],
                       env={**os.environ, **emulator.env}, capture_output=True, timeout=60, check=True)
    engine.cli("refresh", "--yes", "--clear-pending-creates", "--stack", stack.name, cwd=work_dir(stack))


@pytest.mark.parametrize("provider", ["dynamic", "native"])
def test_create_and_wait_polls_through_an_emulator_restart(engine, tmp_path, provider):
    # Issue 18 item 3 through the real engine: the provider's wait meets refused connections, then succeeds.
    sdk = {"dynamic": alaya, "native": alaya_native}[provider]
    state = state_file(tmp_path)
    first = start_emulator(state=str(state))
    first.set_timing(3600, 1)  # starting until the restart; then it runs within half a second
    alive = [first]
    log = ClientLog()
    os.environ.update(log.env)  # reaches the provider process the engine starts

    def program() -> None:
        sdk.LoraDeployment("restarted", base_service_id="base-qwen2-7b", model_id="m", served_names=["r"],
                           wait_timeout=120)

    stack = engine.stack(f"alaya-restart-{provider}", program, config={"alaya:baseUrl": first.url})
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
