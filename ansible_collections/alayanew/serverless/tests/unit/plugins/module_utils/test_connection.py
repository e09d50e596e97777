# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

import pytest

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    CONNECTION_ARGSPEC,
    client_from_options,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import AlayaInputError
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client.api import (
    DEFAULT_BASE_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
)

DEFAULTS = {name: spec.get("default") for name, spec in CONNECTION_ARGSPEC.items()}


def options(**values):
    merged = {**DEFAULTS, "access_key": "ak", "secret_key": "sk-unit-secret", **values}
    return merged.get


def test_secret_key_is_no_log_and_access_key_explicitly_not():
    assert CONNECTION_ARGSPEC["secret_key"]["no_log"] is True
    assert CONNECTION_ARGSPEC["access_key"]["no_log"] is False


# Every connection option: (its environment fallback, its default). ca_path has neither: unset means the
# system's CA bundle.
FALLBACKS_AND_DEFAULTS = {
    "access_key": (["ALAYA_ACCESS_KEY"], None),
    "secret_key": (["ALAYA_SECRET_KEY"], None),
    "base_url": (["ALAYA_BASE_URL"], DEFAULT_BASE_URL),
    "validate_certs": (None, True),
    "ca_path": (None, None),
    "timeout": (None, DEFAULT_TIMEOUT),
    "retries": (None, DEFAULT_RETRIES),
}


def test_every_connection_option_has_its_fallback_and_the_clients_default():
    assert set(CONNECTION_ARGSPEC) == set(FALLBACKS_AND_DEFAULTS)
    for name, (variables, default) in FALLBACKS_AND_DEFAULTS.items():
        spec = CONNECTION_ARGSPEC[name]
        assert (spec["fallback"][1] if "fallback" in spec else None) == variables, name
        assert spec.get("default") == default, name


def test_client_gets_endpoint_timeout_retries():
    client = client_from_options(options(base_url="http://127.0.0.1:9", timeout=2.5, retries=1))
    assert client.base_url == "http://127.0.0.1:9/api/serverless-infer/v1"
    assert (client.timeout, client.retries, client.verify) == (2.5, 1, True)


def test_ca_path_becomes_the_verify_bundle():
    client = client_from_options(options(ca_path="/etc/ssl/alaya.pem"))
    assert client.verify == "/etc/ssl/alaya.pem"


def test_validate_certs_false_disables_verification():
    assert client_from_options(options(validate_certs=False)).verify is False


@pytest.mark.parametrize("values,match", [
    ({"secret_key": None}, "secret_key is missing"),
    ({"base_url": "http://203.0.113.5"}, "plain http"),
    ({"retries": 99}, "retries must be"),
])
def test_bad_options_are_refused_without_echoing_the_secret(values, match):
    with pytest.raises(AlayaInputError, match=match) as info:
        client_from_options(options(**values))
    assert "sk-unit-secret" not in str(info.value)
