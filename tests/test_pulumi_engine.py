"""The real Pulumi engine against the emulator: preview, up, refresh, destroy, state, StackReference.

Skipped with one line when no engine can be had; under CI (``CI=true``) that is a failure instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pulumi
import pytest
from conftest import SUMMARY, SUPPORT, SUPPORT_KEY
from pulumi import automation as auto
from pulumi_cli import ROOT, Engine, find_cli, program_file

import pulumi_alaya as alaya

EXAMPLE = ROOT / "examples" / "pulumi" / "__main__.py"
CONSUMER = ROOT / "examples" / "pulumi" / "consumer" / "__main__.py"


@pytest.fixture(scope="module")
def engine(emulator_process, tmp_path_factory):
    cli_dir, why = find_cli()
    if cli_dir is None:
        if os.environ.get("CI"):
            pytest.fail(f"no Pulumi engine in CI: {why}")
        pytest.skip(f"no Pulumi engine: {why} (put pulumi on PATH or install Go >= 1.26)")
    saved = dict(os.environ)
    yield Engine(cli_dir, tmp_path_factory.mktemp("engine"), emulator_process)
    os.environ.clear()
    os.environ.update(saved)


def changes(result) -> dict[str, int]:
    summary = getattr(result, "change_summary", None) or result.summary.resource_changes
    return {key: value for key, value in summary.items() if key != "same" and value}


def example_stack(engine, name="dev", service_id=SUPPORT):
    return engine.stack("alaya-lora", program_file(EXAMPLE), name=name, config={"serviceId": service_id})


def test_the_example_as_a_user_runs_it(engine, emulator):
    stack = example_stack(engine, "example")
    work = Path(stack.workspace.work_dir)
    preview = stack.preview()
    assert changes(preview) == {"create": 2}
    assert all(r["method"] == "GET" for r in emulator.requests())  # preview writes nothing
    stack.up()
    shown = json.loads(engine.cli("stack", "output", "--json", "--stack", "example", cwd=work).stdout)
    assert shown["apiKey"] == "[secret]"
    assert shown["serviceUrl"] == f"{emulator.url}/svc/{SUPPORT}" and shown["model"] == "support-bot"
    assert shown["status"] == "running"  # the data source, read in the same program
    revealed = json.loads(engine.cli("stack", "output", "--json", "--show-secrets", "--stack", "example",
                                     cwd=work).stdout)
    assert revealed["apiKey"] == SUPPORT_KEY

    state = engine.export(stack)
    assert SUPPORT_KEY not in state and emulator.secret_key not in state
    assert "ciphertext" in state and "__provider" in state

    assert changes(stack.up()) == {}  # a second up: no diff, the re-pickled provider is no change
    emulator.clear_requests()
    stack.destroy()
    assert not [r for r in emulator.requests() if r["method"] == "DELETE"]
    assert alaya.AlayaClient(emulator.access_key, emulator.secret_key, emulator.url).get_deployment(SUPPORT)


def test_changing_the_service_id_replaces(engine, emulator):
    stack = example_stack(engine, "replace")
    stack.up()
    engine.cli("config", "set", "serviceId", SUMMARY, "--stack", "replace", cwd=Path(stack.workspace.work_dir))
    assert changes(stack.preview()).get("replace") == 1
    stack.destroy()


def test_refresh_drops_a_deleted_deployment_and_keeps_it_through_an_outage(engine, emulator):
    emulator.add_deployments({"serviceId": "refresh-me", "status": "running", "name": "r"})
    stack = example_stack(engine, "refresh", service_id="refresh-me")
    stack.up()
    for fault in ({"times": -1, "status": 503}, {"times": -1, "status": 404, "body": "html"}):
        emulator.set_faults({"refresh-me": fault})
        with pytest.raises(auto.CommandError):
            stack.refresh()
        assert len(engine.resources(stack)) == 1, fault
    emulator.set_faults({"refresh-me": {}})
    delete = alaya.AlayaClient(emulator.access_key, emulator.secret_key, emulator.url)
    delete._api_request("DELETE", "/deployment/refresh-me", "refresh-me")
    stack.refresh()
    assert engine.resources(stack) == []
    stack.destroy()


@pytest.mark.parametrize("fault,service_id,needle", [
    (None, "no-such-deployment", "HTTP 404"),
    ({"times": -1, "status": 403}, SUPPORT, "HTTP 403"),
    (None, "stuck", "after waiting 2s"),
])
def test_errors_show_the_clients_one_line_without_a_traceback(engine, emulator, fault, service_id, needle):
    emulator.add_deployments({"serviceId": "stuck", "status": "starting", "statuses": ["starting"]})
    if fault:
        emulator.set_faults({service_id: fault})

    def program() -> None:
        alaya.LoraDeployment("dep", service_id=service_id, wait_timeout=2)

    stack = engine.stack("alaya-errors", program, name="e" + str(abs(hash(needle)) % 1000))
    with pytest.raises(auto.CommandError) as info:
        stack.up()
    text = str(info.value)
    assert needle in text and service_id in text
    assert "Traceback" not in text and 'File "' not in text
    stack.destroy()


def test_get_reads_an_existing_deployment_without_tracking_it(engine, emulator):
    def program() -> None:
        got = alaya.LoraDeployment.get("got", SUPPORT)
        pulumi.export("gotModel", got.model)
        pulumi.export("gotKey", got.api_key)

    stack = engine.stack("alaya-get", program)
    result = stack.up()
    assert result.outputs["gotModel"].value == "support-bot"
    assert result.outputs["gotKey"].secret
    assert [r.get("external") for r in engine.resources(stack)] == [True]
    stack.destroy()
    assert not [r for r in emulator.requests() if r["method"] == "DELETE"]


def test_the_import_option_is_refused_by_the_sdks_dynamic_provider_server(engine, emulator):
    # pulumi/pulumi#16175, seen here under the real engine: an import's Read carries no __provider, so the
    # SDK's server fails before our code runs. Adopting means naming the serviceId instead (see the README).
    def program() -> None:
        alaya.LoraDeployment("adopted", service_id=SUMMARY, opts=pulumi.ResourceOptions(import_=SUMMARY))

    stack = engine.stack("alaya-import", program)
    with pytest.raises(auto.CommandError, match="KeyError: '__provider'"):
        stack.up()
    stack.destroy()


def test_the_consumer_reads_outputs_through_a_real_stack_reference(engine, emulator):
    producer = example_stack(engine, "producer")
    producer.up()
    consumer = engine.stack("alaya-consumer", program_file(CONSUMER), name="consumer",
                            config={"loraStack": "organization/alaya-lora/producer"})
    outputs = consumer.up().outputs
    assert outputs["chatEndpoint"].value == f"{emulator.url}/svc/{SUPPORT}" and not outputs["chatEndpoint"].secret
    assert outputs["appConfig"].secret and json.loads(outputs["appConfig"].value)["api_key"] == SUPPORT_KEY
    assert SUPPORT_KEY not in engine.export(consumer)
    consumer.destroy()
    producer.destroy()


def test_twenty_deployments_in_parallel(engine, emulator):
    ids = emulator.add_deployments(*[
        {"serviceId": f"par-{n:02d}", "status": "starting" if n % 3 == 0 else "running",
         "statuses": ["starting", "running"] if n % 3 == 0 else ["running"]} for n in range(20)])

    def program() -> None:
        for service_id in ids:
            alaya.LoraDeployment(service_id, service_id=service_id)

    stack = engine.stack("alaya-parallel", program)
    assert changes(stack.up(parallel=10)) == {"create": 21}
    assert sorted(r["outputs"]["status"] for r in engine.resources(stack)) == ["running"] * 20
    assert changes(stack.up(parallel=10)) == {}
    stack.destroy()


def test_the_data_source_honours_depends_on(engine, emulator):
    # Three reads say starting, then running: the resource's wait takes them, so a read ordered after it
    # sees running; a read racing it would see starting.
    emulator.add_deployments({"serviceId": "late", "status": "running",
                              "statuses": ["starting", "starting", "starting", "running"]})

    def program() -> None:
        dep = alaya.LoraDeployment("late", service_id="late")
        after = alaya.get_lora_deployment_output(service_id="late", opts=pulumi.InvokeOutputOptions(depends_on=[dep]))
        pulumi.export("statusAfter", after.status)

    stack = engine.stack("alaya-depends", program)
    assert stack.up().outputs["statusAfter"].value == "running"
    stack.destroy()
