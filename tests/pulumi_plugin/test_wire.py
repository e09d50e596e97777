"""The plugin's own wire layer (Struct <-> plain values) writes and reads what Pulumi's own classes write and read:
secrets, unknown values and output values round-trip exactly as the engine expects."""

from __future__ import annotations

import subprocess
import sys

import pytest
from google.protobuf import struct_pb2
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime import proto, rpc

from pulumi_alaya.client.kinds import LORA
from pulumi_alaya.plugin import protocol, wire
from pulumi_alaya.plugin.wire import UNKNOWN, Wire

LORA_WIRE = Wire(LORA.inputs, LORA.outputs)
VALUES = {"base_service_id": "base-1", "served_names": ["a", "b"], "wait_timeout": 600, "wait_until_running": True,
          "model_id": UNKNOWN, "name": "", "api_key": "sk-secret", "service_url": UNKNOWN, "offline_update": False}


def pulumis(values: dict, secret: set[str]) -> struct_pb2.Struct:
    """The same map as Pulumi's PropertyValue writes it (an unknown as the SDK's rpc.UNKNOWN)."""
    def one(value):
        if value is UNKNOWN:
            return PropertyValue(rpc.UNKNOWN)
        if isinstance(value, list):
            return PropertyValue([one(item) for item in value])
        return PropertyValue(float(value) if isinstance(value, int) and not isinstance(value, bool) else value)
    return PropertyValue.marshal_map({LORA_WIRE.wire_for[key]: one(value).with_secret(key in secret)
                                      for key, value in values.items()})


def test_the_signatures_are_the_sdks():
    assert (wire.SIG_KEY, wire.SECRET_SIG, wire.OUTPUT_SIG, wire.UNKNOWN_TEXT) == (
        rpc._special_sig_key, rpc._special_secret_sig, rpc._special_output_value_sig, rpc.UNKNOWN)


def test_the_protocol_messages_are_the_sdks_own_classes():
    assert protocol.provider_pb2.CheckRequest is proto.CheckRequest
    assert protocol.provider_pb2.ErrorResourceInitFailed is proto.provider_pb2.ErrorResourceInitFailed


def test_the_protocol_loads_without_importing_the_sdk():
    code = ("import sys; from pulumi_alaya.plugin import protocol; "
            "print(protocol.provider_pb2.CheckRequest.DESCRIPTOR.full_name, "
            "sorted(m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.split(" ", 1) == ["pulumirpc.CheckRequest", "[]\n"]


@pytest.mark.parametrize("secret", [set(), {"served_names", "model_id"}, {"base_service_id", "wait_timeout"}])
def test_written_as_pulumis_classes_write_it(secret):
    # The apiKey is always secret (a secret output); whatever else the program marked secret stays so.
    assert LORA_WIRE.to_wire(VALUES, secret) == pulumis(VALUES, {"api_key", *secret})


def test_read_as_pulumis_classes_read_it():
    written = pulumis(VALUES, {"api_key", "served_names", "model_id"})
    expected = {**VALUES, "wait_timeout": 600.0}
    assert LORA_WIRE.plain(written) == expected
    assert {key for key, value in expected.items() if value is UNKNOWN} == wire.unknown_keys(expected)
    assert LORA_WIRE.secret_keys(written) == {"api_key", "served_names", "model_id"}
    assert LORA_WIRE.plain(PropertyValue.marshal_map({"unknownToUs": PropertyValue("x")})) == {}


def test_output_values_and_nested_secrets_are_read_as_the_sdk_reads_them():
    deps = frozenset({"urn:pulumi:dev::p::t::r"})
    written = PropertyValue.marshal_map({
        "modelId": PropertyValue("m").with_dependencies(deps).with_secret(True),  # an output value, secret
        "name": PropertyValue("n").with_dependencies(deps),  # an output value, not secret
        "servedNames": PropertyValue([PropertyValue("a"), PropertyValue("b").with_secret(True)]),
    })
    read_back = PropertyValue.unmarshal_map(written)
    assert LORA_WIRE.plain(written) == {"model_id": "m", "name": "n", "served_names": ["a", "b"]}
    assert LORA_WIRE.secret_keys(written) == {LORA_WIRE.key_for[k] for k, v in read_back.items()
                                              if v.contains_secret()} == {"model_id", "served_names"}
    unknown_output = struct_pb2.Struct()
    unknown_output.update({"modelId": {wire.SIG_KEY: wire.OUTPUT_SIG}})  # an output value with no value: unknown
    assert LORA_WIRE.plain(unknown_output) == {"model_id": UNKNOWN}


def test_values_no_input_takes_are_refused():
    asset = struct_pb2.Struct()
    asset.update({"name": {wire.SIG_KEY: rpc._special_asset_sig, "text": "x"}})
    with pytest.raises(ValueError, match="signature"):
        LORA_WIRE.plain(asset)
    with pytest.raises(TypeError, match="no wire form for dict"):
        LORA_WIRE.to_wire({"name": {"a": 1}})
