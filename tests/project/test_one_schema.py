"""The output fields and the defaults are declared once (pulumi_alaya.client); every surface must agree."""

from __future__ import annotations

import inspect

import yaml

from pulumi_alaya.client import DEFAULT_WAIT_TIMEOUT
from pulumi_alaya.client.api import DEFAULT_CONCURRENCY, DEFAULT_RETRIES, DEFAULT_TIMEOUT
from pulumi_alaya.client.models import API_NAMES, OUTPUT_FIELDS, Deployment


def test_the_record_the_api_names_and_the_field_list_agree(client):
    deployment = client.get_deployment("38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
    assert tuple(deployment.to_dict()) == OUTPUT_FIELDS == tuple(API_NAMES)
    assert isinstance(deployment, Deployment)


def test_the_pulumi_resource_and_data_source_declare_every_field():
    from pulumi_alaya import GetLoraDeploymentResult, LoraDeployment

    assert set(OUTPUT_FIELDS) <= set(LoraDeployment.__annotations__)
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
