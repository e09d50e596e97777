"""The Terraform schema and docs are generated from the kind declarations, never retyped: the checked-in files
match the generator, and the schema says what the kinds say (names, required, defaults, sensitive)."""

from __future__ import annotations

import subprocess
import sys

from pulumi_alaya.client.kinds import KINDS
from pulumi_alaya.terraform.durations import seconds
from pulumi_alaya.terraform.names import type_name
from pulumi_alaya.terraform.schema import load, provider_schema_response
from pulumi_alaya.terraform.values import UNKNOWN, decode, encode

from support.tofu import ROOT


def test_the_checked_in_schema_and_docs_are_what_the_generator_writes():
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_terraform.py"), "--check"],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr


def test_every_input_and_output_of_every_kind_is_an_attribute_with_its_rules():
    for kind in KINDS:
        attributes = {a["name"]: a for a in load()["resources"][type_name(kind)]["block"]["attributes"]}
        for item in kind.inputs:
            assert attributes[item.key].get("required", False) == item.required, item.key
            if item.default is not None:
                assert attributes[item.key].get("computed") and "Default: `" in attributes[item.key]["description"]
        for field in kind.outputs:
            assert attributes[field.key].get("sensitive", False) == (field.secret and field.key not in
                                                                    {i.key for i in kind.inputs})
    assert provider_schema_response().provider.block.attributes[1].sensitive  # secret_key


def test_values_keep_unknowns_and_durations_read_as_go_writes_them():
    assert decode(encode({"a": UNKNOWN, "b": [1, "x"], "c": None})) == {"a": UNKNOWN, "b": [1, "x"], "c": None}
    assert seconds("1h30m") == 5400 and seconds("90s") == 90 and seconds("1.5m") == 90
    for bad in ("", "10", "5 m", "0s", "-1s"):
        try:
            seconds(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
