"""Programs under set_mocks: the data source, the consumer's StackReference, what the resource asks the engine for.

The real engine runs the examples end to end in test_pulumi_engine.py; these are the quick checks.
"""

from __future__ import annotations

import asyncio
import json
import runpy
from pathlib import Path

import pulumi
import pytest

from pulumi_alaya.dynamic import configured_provider as alaya_provider
from pulumi_alaya.dynamic.lora_provider import OwnedLoraDeploymentProvider
from pulumi_alaya.owning.provider_config import client_for

from support.seed import SUPPORT, SUPPORT_KEY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "pulumi"


class ProviderBackedMocks(pulumi.runtime.Mocks):
    """Mocks that hand LoraDeployment to the real provider, as the provider server would."""

    def __init__(self, stack_outputs: dict | None = None) -> None:
        self.created: list[tuple[str, dict]] = []
        self.stack_outputs = stack_outputs or {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        if args.typ == "pulumi-python:dynamic/alaya:LoraDeployment":
            inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
            checked = OwnedLoraDeploymentProvider().check({}, inputs)
            assert checked.failures == []
            result = OwnedLoraDeploymentProvider().create(checked.inputs)
            self.created.append((args.name, result.outs))
            return result.id, result.outs
        if args.typ == "pulumi:pulumi:StackReference":
            return args.name, {"name": args.name, "outputs": self.stack_outputs}
        return args.name + "_id", args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


@pytest.fixture(autouse=True)
def _a_current_loop():
    """Pulumi's runtime takes the main thread's current loop, which an earlier test's asyncio.run() may have left
    unset: a new one, left current afterwards as asyncio's own would be."""
    asyncio.set_event_loop(asyncio.new_event_loop())


@pytest.fixture
def mocks(emulator, monkeypatch):
    for key, value in emulator.env.items():
        monkeypatch.setenv(key, value)  # the provider and data source fall back to ALAYA_* without stack config
    client_for.cache_clear()
    alaya_provider._settings[0] = ()
    created = ProviderBackedMocks({"serviceUrl": f"{emulator.url}/svc/{SUPPORT}", "model": "support-bot",
                                   "openaiBaseUrl": f"{emulator.url}/svc/{SUPPORT}/v1", "apiKey": SUPPORT_KEY})
    pulumi.runtime.set_mocks(created, project="alaya-lora", stack="dev", preview=False)
    return created


@pulumi.runtime.test
def test_data_source_marks_only_the_key_secret(mocks):
    from pulumi_alaya import get_lora_deployment_output

    info = get_lora_deployment_output(service_id=SUPPORT)

    async def flags(_):
        return (await info.api_key.is_secret(), await info.service_url.is_secret(), await info.api_key.future(),
                await info.served_name.future())

    def check(values):
        assert values == (True, False, SUPPORT_KEY, ["support-bot"])

    return info.apply(flags).apply(check)


@pulumi.runtime.test
def test_consumer_stack_reads_outputs_through_a_stack_reference(mocks):
    pulumi.runtime.config.set_all_config({"alaya-lora:loraStack": "organization/alaya-lora/dev"})
    program = runpy.run_path(str(EXAMPLES / "consumer" / "__main__.py"))

    def check(rendered):
        assert json.loads(rendered) == {"base_url": f"{mocks.stack_outputs['openaiBaseUrl']}",
                                        "model": "support-bot", "api_key": SUPPORT_KEY}

    return program["app_config"].apply(check)


@pulumi.runtime.test
def test_resource_declares_api_key_a_secret_output(mocks, monkeypatch):
    # Mocks ignore additional_secret_outputs, so check what the resource asks the engine for.
    seen = {}
    original = pulumi.CustomResource.__init__

    def record(self, t, name, props=None, opts=None, *args, **kwargs):
        seen[t] = (opts, dict(props or {}))
        original(self, t, name, props, opts, *args, **kwargs)

    monkeypatch.setattr(pulumi.CustomResource, "__init__", record)
    from pulumi_alaya import LoraDeployment

    dep = LoraDeployment("owned", base_service_id="base-qwen2-7b", model_id="lora-support-v3",
                         served_names=["support-bot"], name="support-bot-lora", adopt_service_id=SUPPORT,
                         wait_until_running=False)
    opts, props = seen["pulumi-python:dynamic/alaya:LoraDeployment"]
    assert opts.additional_secret_outputs == ["api_key"]
    assert "secret_key" not in props and "access_key" not in props  # credentials are never inputs
    return dep.status.apply(lambda status: status == "running" or pytest.fail(status))


def test_every_typed_way_to_build_it_asks_the_engine_for_the_same(monkeypatch):
    # The overloads are for checkers; at run time the args object, keywords (opts given by name or first) and
    # get() must still reach the engine as before. Recorded without registering: only what is asked matters.
    seen: dict[str, tuple[pulumi.ResourceOptions, dict]] = {}
    monkeypatch.setattr(pulumi.CustomResource, "__init__",
                        lambda self, t, name, props=None, opts=None, *a, **k: seen.setdefault(name, (opts, props)))
    from pulumi_alaya import LoraDeployment, LoraDeploymentArgs

    inputs = {"base_service_id": "base-qwen2-7b", "model_id": "m", "served_names": ["s"]}
    LoraDeployment("keywords", opts=pulumi.ResourceOptions(protect=True), **inputs)
    LoraDeployment("opts-first", pulumi.ResourceOptions(protect=True), **inputs)
    LoraDeployment("args", LoraDeploymentArgs(**inputs), pulumi.ResourceOptions(protect=True))
    LoraDeployment.get("read", SUPPORT)
    wanted = {key: value for key, value in seen["keywords"][1].items() if key not in ("__provider", "name_prefix")}
    for name in ("opts-first", "args"):
        opts, props = seen[name]
        assert opts.protect and {key: props[key] for key in wanted} == wanted and props["name_prefix"] == name
    assert seen["read"][0].id == SUPPORT and seen["read"][1]["base_service_id"] is None


def test_a_0_1_program_fails_with_one_line_naming_the_replacement():
    from pulumi_alaya import LoraDeployment

    with pytest.raises(TypeError, match=r"LoraDeployment.get\(name, service_id\)") as info:
        LoraDeployment("chat-lora", service_id=SUPPORT)
    assert "\n" not in str(info.value)


def test_check_names_each_bad_input_of_the_owning_resource():
    checked = OwnedLoraDeploymentProvider().check({}, {
        "base_service_id": "base-qwen2-7b", "model_id": "m", "name": "bad name", "served_names": ["ok", "ok"],
        "wait_timeout": float("nan"), "adopt_service_id": "../x"})
    failures = {f.property: f.reason for f in checked.failures}
    assert set(failures) == {"name", "served_names", "wait_timeout", "adopt_service_id"}
    assert "same name twice" in failures["served_names"] and "finite" in failures["wait_timeout"]
    fine = OwnedLoraDeploymentProvider().check({}, {"base_service_id": "base-qwen2-7b", "model_id": "m",
                                                    "served_names": ["ok"], "name_prefix": "chat"})
    assert fine.failures == []
