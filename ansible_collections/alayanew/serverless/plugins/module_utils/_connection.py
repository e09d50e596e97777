# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection options shared by the module and the lookup: names, argument spec, client construction.

Modules pass ``module.params.get``, lookups pass ``self.get_option``: this code never needs to know which kind
of caller it serves (the pattern of community.hashi_vault's option adapter).
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import AlayaClient, settings
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client.transport import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)

__all__ = ["CONNECTION_ARGSPEC", "HAS_REQUESTS", "REQUESTS_IMPORT_ERROR", "client_from_options"]

CONNECTION_ARGSPEC = dict(
    # An access key is an identifier, not a secret: no_log=False says so explicitly for validate-modules.
    access_key=dict(type='str', no_log=False, fallback=(env_fallback, [settings.ENV_ACCESS_KEY])),
    secret_key=dict(type='str', no_log=True, fallback=(env_fallback, [settings.ENV_SECRET_KEY])),
    base_url=dict(type='str', default=settings.DEFAULT_BASE_URL, fallback=(env_fallback, [settings.ENV_BASE_URL])),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='float', default=settings.DEFAULT_TIMEOUT),
    retries=dict(type='int', default=settings.DEFAULT_RETRIES),
)


def client_from_options(get_option, workers=settings.DEFAULT_CONCURRENCY):
    """Build the core client from option values; the client validates them (before any request)."""
    verify = get_option('ca_path') or get_option('validate_certs')
    return AlayaClient(
        get_option('access_key'),
        get_option('secret_key'),
        get_option('base_url') or settings.DEFAULT_BASE_URL,
        timeout=get_option('timeout'),
        retries=get_option('retries'),
        verify=True if verify is None else verify,
        max_workers=workers,
    )
