"""The output fields and the defaults are declared once (pulumi_alaya.client); every surface must agree."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from pulumi_alaya.client import DEFAULT_WAIT_TIMEOUT
from pulumi_alaya.client.kinds import KINDS, LORA
from pulumi_alaya.client.models import API_NAMES, FIELDS, OUTPUT_FIELDS, Deployment
from pulumi_alaya.client.settings import DEFAULT_CONCURRENCY, DEFAULT_RETRIES, DEFAULT_TIMEOUT

from support.kind_specimens import specimen

ROOT = Path(__file__).resolve().parents[2]
# Every case that can run for a kind runs for every kind (support/kind_specimens.py has one of each).
BY_KIND = pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)


@BY_KIND
def test_the_record_the_api_names_and_the_field_list_agree(client, kind):
    deployments = client.deployments(kind)
    name = f"schema-{kind.command}"  # its own, so no other test's deployment holds the name
    deployment = deployments.get(deployments.create(deployments.spec(**{**specimen(kind).fields, "name": name})))
    assert tuple(deployment.to_dict()) == tuple(field.key for field in kind.outputs)
    assert tuple(deployment.to_api_dict()) == tuple(field.api_name for field in kind.outputs)
    assert isinstance(deployment, kind.record_type or Deployment)
    if kind is LORA:
        assert tuple(deployment.to_dict()) == OUTPUT_FIELDS == tuple(API_NAMES)


def test_the_pulumi_resource_and_data_source_declare_every_field():
    from pulumi_alaya import GetLoraDeploymentResult, LoraDeployment

    declared = {name for cls in LoraDeployment.__mro__ for name in getattr(cls, "__annotations__", {})}
    assert set(OUTPUT_FIELDS) <= declared
    params = list(inspect.signature(GetLoraDeploymentResult.__init__).parameters)[1:]
    assert tuple(params) == OUTPUT_FIELDS


@BY_KIND
def test_the_ansible_modules_document_every_field_and_the_clients_defaults(kind):
    modules = "ansible_collections.alayanew.serverless.plugins"
    info = importlib.import_module(f"{modules}.modules.{kind.name}_deployment_info")
    documented = yaml.safe_load(info.RETURN)["deployment"]["contains"]
    assert tuple(documented) == tuple(field.key for field in kind.outputs)
    for fragment in ("deployment", "deployment_info"):  # every module's shared options are written there
        options = yaml.safe_load(importlib.import_module(f"{modules}.doc_fragments.{fragment}")
                                 .ModuleDocFragment.DOCUMENTATION)["options"]
        assert float(options["wait_timeout"]["default"]) == DEFAULT_WAIT_TIMEOUT
    from ansible_collections.alayanew.serverless.plugins.lookup import lora_deployment as lookup

    assert yaml.safe_load(lookup.DOCUMENTATION)["options"]["concurrency"]["default"] == DEFAULT_CONCURRENCY


def test_the_cli_uses_the_clients_defaults():
    from pulumi_alaya.cli.main import _parser

    for kind in KINDS:
        args = _parser().parse_args([kind.command, "get", "x"])
        assert (args.wait_timeout, args.request_timeout, args.retries, args.concurrency) == (
            DEFAULT_WAIT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_CONCURRENCY)


def test_the_manuals_field_table_lists_every_field_in_order():
    rows = [line for line in (ROOT / "manual" / "concepts.md").read_text().splitlines() if line.startswith("| `")]
    table = [tuple(cell.strip(" `") for cell in row.split("|")[1:3]) for row in rows]
    listed = [pair for pair in table if pair in {(f.api_name, f.key) for f in FIELDS}]
    assert listed == [(f.api_name, f.key) for f in FIELDS]


@BY_KIND
def test_the_emulator_answers_every_field_the_api_sends(emulator, client, kind):
    """A field the client reads must be one the test double sends, or every test would pass on an empty value."""
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    deployments = client.deployments(kind)
    created = deployments.deploy(deployments.spec(**specimen(kind).fields), wait_timeout=30).service_id
    answer = requests.get(f"{emulator.url}/api/serverless-infer/v1/deployment/{created}", timeout=10,
                          headers={"Authorization": f"plain Credential={emulator.access_key},"
                                                    f"Signature={emulator.secret_key}"}).json()
    record = answer.get("data", answer)
    missing = [f.api_name for f in kind.outputs if f.source == "api"
               and not any(record.get(name) for name in (f.api_name, *f.aliases))]
    assert missing == []


def test_what_repeats_the_fields_is_written_from_them():
    """The manual's field table, the Ansible return docs, the dynamic resource's typed fields: gen_fields.py."""
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_fields.py"), "--check"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
