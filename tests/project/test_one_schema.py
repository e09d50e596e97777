"""The output fields and the defaults are declared once (pulumi_alaya.client); every surface must agree."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import requests
import yaml

from pulumi_alaya.client import DEFAULT_WAIT_TIMEOUT
from pulumi_alaya.client.models import API_NAMES, FIELDS, OUTPUT_FIELDS, Deployment
from pulumi_alaya.client.settings import DEFAULT_CONCURRENCY, DEFAULT_RETRIES, DEFAULT_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]


def test_the_record_the_api_names_and_the_field_list_agree(client):
    deployment = client.get_deployment("38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
    assert tuple(deployment.to_dict()) == OUTPUT_FIELDS == tuple(API_NAMES)
    assert isinstance(deployment, Deployment)


def test_the_pulumi_resource_and_data_source_declare_every_field():
    from pulumi_alaya import GetLoraDeploymentResult, LoraDeployment

    declared = {name for cls in LoraDeployment.__mro__ for name in getattr(cls, "__annotations__", {})}
    assert set(OUTPUT_FIELDS) <= declared
    params = list(inspect.signature(GetLoraDeploymentResult.__init__).parameters)[1:]
    assert tuple(params) == OUTPUT_FIELDS


def test_the_ansible_modules_document_every_field_and_the_clients_defaults():
    from ansible_collections.alayanew.serverless.plugins.modules import lora_deployment, lora_deployment_info

    documented = yaml.safe_load(lora_deployment_info.RETURN)["deployment"]["contains"]
    assert tuple(documented) == OUTPUT_FIELDS
    for module in (lora_deployment, lora_deployment_info):
        options = yaml.safe_load(module.DOCUMENTATION)["options"]
        assert float(options["wait_timeout"]["default"]) == DEFAULT_WAIT_TIMEOUT
    from ansible_collections.alayanew.serverless.plugins.lookup import lora_deployment as lookup

    assert yaml.safe_load(lookup.DOCUMENTATION)["options"]["concurrency"]["default"] == DEFAULT_CONCURRENCY


def test_the_cli_uses_the_clients_defaults():
    from pulumi_alaya.cli.main import _parser

    args = _parser().parse_args(["lora", "get", "x"])
    assert (args.timeout, args.request_timeout, args.retries, args.concurrency) == (
        DEFAULT_WAIT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_CONCURRENCY)


def test_the_manuals_field_table_lists_every_field_in_order():
    rows = [line for line in (ROOT / "manual" / "concepts.md").read_text().splitlines() if line.startswith("| `")]
    table = [tuple(cell.strip(" `") for cell in row.split("|")[1:3]) for row in rows]
    listed = [pair for pair in table if pair in {(f.api_name, f.key) for f in FIELDS}]
    assert listed == [(f.api_name, f.key) for f in FIELDS]


def test_the_emulator_answers_every_field_the_api_sends(emulator, client):
    """A field the client reads must be one the test double sends, or every test would pass on an empty value."""
    created = client.create_lora_deployment("base-qwen2-7b", "lora-support-v3", "every-field", ["every-field"])
    answer = requests.get(f"{emulator.url}/api/serverless-infer/v1/deployment/{created}", timeout=10,
                          headers={"Authorization": f"plain Credential={emulator.access_key},"
                                                    f"Signature={emulator.secret_key}"}).json()
    record = answer.get("data", answer)
    missing = [f.api_name for f in FIELDS
               if f.source == "api" and not any(record.get(name) for name in (f.api_name, *f.aliases))]
    assert missing == []


def test_what_repeats_the_fields_is_written_from_them():
    """The manual's field table, the Ansible return docs, the dynamic resource's typed fields: gen_fields.py."""
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_fields.py"), "--check"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
