# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.alayanew.serverless.plugins.lookup import lora_deployment
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import AlayaAuthError, Deployment


class FakeClient:
    def __init__(self, seen, error=None):
        self.seen, self.error = seen, error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def get_deployments(self, ids, wait, wait_timeout):
        self.seen["call"] = (list(ids), wait, wait_timeout)
        if self.error:
            raise self.error
        return [Deployment.from_raw({"serviceId": i, "status": "running", "servedName": ["m"],
                                     "serviceUrl": "https://svc.example/" + i}, i) for i in ids]


@pytest.fixture
def lookup(monkeypatch):
    seen = {}

    def fake_client(get_option, workers):
        names = ("access_key", "secret_key", "base_url", "timeout", "retries", "validate_certs", "wait")
        seen["options"] = {name: get_option(name) for name in names}
        seen["workers"] = workers
        return FakeClient(seen, seen.get("error"))

    monkeypatch.setattr(lora_deployment, "client_from_options", fake_client)
    plugin = lookup_loader.get("alayanew.serverless.lora_deployment")
    return plugin, seen


def test_one_dict_per_term_in_order(lookup):
    plugin, seen = lookup
    result = plugin.run(["a-1", "b-2"], variables={}, access_key="ak", secret_key="sk")
    assert [r["service_id"] for r in result] == ["a-1", "b-2"]
    assert result[0]["model"] == "m" and seen["call"] == (["a-1", "b-2"], False, 600)
    assert seen["workers"] == 16


def test_concurrency_sets_the_client_pool(lookup):
    plugin, seen = lookup
    plugin.run(["a-1"], variables={}, access_key="ak", secret_key="sk", concurrency=64)
    assert seen["workers"] == 64


def test_options_from_vars_env_and_direct(lookup, monkeypatch):
    plugin, seen = lookup
    monkeypatch.setenv("ALAYA_ACCESS_KEY", "env-ak")
    monkeypatch.setenv("ALAYA_SECRET_KEY", "env-sk")
    plugin.run(["a-1"], variables={"alaya_base_url": "http://127.0.0.1:8780", "alaya_retries": 5}, timeout=7)
    assert seen["options"] == {"access_key": "env-ak", "secret_key": "env-sk", "base_url": "http://127.0.0.1:8780",
                               "timeout": 7, "retries": 5, "validate_certs": True, "wait": False}


def test_core_errors_become_lookup_errors(lookup):
    plugin, seen = lookup
    seen["error"] = AlayaAuthError("Alaya API answered HTTP 401 for serviceId 'a-1': unauthorized. Check keys.")
    with pytest.raises(AnsibleLookupError, match="HTTP 401 for serviceId 'a-1'"):
        plugin.run(["a-1"], variables={}, access_key="ak", secret_key="sk")
