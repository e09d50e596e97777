# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

import contextlib
import json

import pytest

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 (requires_ansible is >=2.17): AnsibleModule reads basic._ANSIBLE_ARGS
    from ansible.module_utils import basic

    @contextlib.contextmanager
    def patch_module_args(args):
        saved, basic._ANSIBLE_ARGS = basic._ANSIBLE_ARGS, json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

from ansible_collections.alayanew.serverless.plugins.module_utils import _deployment_module
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import (
    AlayaNotFoundError,
    Deployment,
)
from ansible_collections.alayanew.serverless.plugins.modules import lora_deployment_info

RAW = {"serviceId": "svc-1", "status": "staring", "serviceUrl": "https://svc.example/x", "apikey": "sk-unit",
       "servedName": "my-lora", "baseServiceId": "base-1", "modelId": "m-1", "name": "n", "namespace": "ns"}


class FakeClient:
    def __init__(self, error=None):
        self.error = error
        self.calls = []

    def deployments(self, kind):
        self.kind = kind.name
        return self

    def get(self, service_id, wait=False, wait_timeout=None):
        self.calls.append((service_id, wait, wait_timeout))
        if self.error:
            raise self.error
        return Deployment.from_raw(dict(RAW, serviceId=service_id), service_id)

    def probe(self, deployment):
        return "Hello from " + deployment.model


def run_module(monkeypatch, capsys, args, client):
    monkeypatch.setattr(_deployment_module, "client_from_options", lambda get: client)
    with patch_module_args(dict({"access_key": "ak", "secret_key": "unit-secret-key"}, **args)):
        with pytest.raises(SystemExit):
            lora_deployment_info.main()
    return json.loads(capsys.readouterr().out)


def test_result_is_shaped_from_the_core_record(monkeypatch, capsys):
    client = FakeClient()
    result = run_module(monkeypatch, capsys, {"service_id": "svc-1", "wait": True, "smoke": True}, client)
    assert client.calls == [("svc-1", True, 600.0)] and client.kind == "lora"
    assert result["changed"] is False
    assert result["smoke_reply"] == "Hello from my-lora"
    assert result["deployment"] == {
        "service_id": "svc-1", "status": "starting", "service_url": "https://svc.example/x", "api_key": "sk-unit",
        "served_name": ["my-lora"], "model": "my-lora", "base_service_id": "base-1", "model_id": "m-1",
        "name": "n", "namespace": "ns", "openai_base_url": "https://svc.example/x/v1",
    }


def test_core_errors_become_one_msg(monkeypatch, capsys):
    error = AlayaNotFoundError("Alaya API answered HTTP 404 for serviceId 'gone': not found. Check the serviceId.",
                               service_id="gone", http_status=404)
    result = run_module(monkeypatch, capsys, {"service_id": "gone"}, FakeClient(error))
    assert result["failed"] is True
    assert result["msg"].startswith("Alaya API answered HTTP 404 for serviceId 'gone'")
    assert result["error"]["error"] == "not_found" and result["error"]["http_status"] == 404


def test_secret_key_is_masked_in_the_invocation(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, {"service_id": "svc-1", "secret_key": "sk-very-secret"}, FakeClient())
    assert "sk-very-secret" not in json.dumps(result)
