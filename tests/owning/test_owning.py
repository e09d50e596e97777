"""The rules of owning a deployment (``pulumi_alaya/owning/``) that both providers share, against the emulator.

The engine-level cases live in the provider tests; these hold the rules an interrupted ``pulumi up`` leans on:
a deployment whose create was cut short carries its resource's auto-name, and ``pulumi import`` of it must give
state that the program (which sets no name) matches, neither a replacement nor a rename.
"""

from __future__ import annotations

from pulumi_alaya.client.kinds import LORA
from pulumi_alaya.owning import Owner

BASE = "base-qwen2-7b"


def made(client, name: str) -> str:
    return client.create_lora_deployment(BASE, "m-0", name, ["fleet-0"])


def test_an_import_of_a_deployment_with_the_resources_auto_name_is_auto_named(client):
    owner = Owner(LORA, lambda: client)
    cut_short = made(client, "fleet-0-1a2b3c4d")
    outputs, inputs = owner.read(cut_short, {}, "fleet-0")
    assert inputs["name"] is None and outputs["auto_named"] is True and outputs["name"] == "fleet-0-1a2b3c4d"
    # The same deployment imported under another resource's name, and names a user chose, stay explicit.
    assert owner.read(cut_short, {}, "fleet-1")[1]["name"] == "fleet-0-1a2b3c4d"
    assert owner.read(cut_short, {})[1]["name"] == "fleet-0-1a2b3c4d"
    chosen = made(client, "fleet-0-handmade")
    outputs, inputs = owner.read(chosen, {}, "fleet-0")
    assert inputs["name"] == "fleet-0-handmade" and outputs["auto_named"] is False


def test_an_imported_auto_named_deployment_matches_a_program_without_a_name(client):
    owner = Owner(LORA, lambda: client)
    outputs, _ = owner.read(made(client, "fleet-0-1a2b3c4d"), {}, "fleet-0")
    program = {"base_service_id": BASE, "model_id": "m-0", "served_names": ["fleet-0"]}
    assert owner.diff(outputs, program).changed == []


def test_spelling_out_the_auto_name_a_deployment_has_changes_nothing(client):
    owner = Owner(LORA, lambda: client)
    outputs, _ = owner.read(made(client, "fleet-0-1a2b3c4d"), {}, "fleet-0")
    program = {"base_service_id": BASE, "model_id": "m-0", "served_names": ["fleet-0"]}
    assert owner.diff(outputs, {**program, "name": "fleet-0-1a2b3c4d"}).changed == []
    renamed = owner.diff(outputs, {**program, "name": "fleet-0-renamed"})
    assert renamed.replaces == ["name"] and renamed.delete_before_replace
