# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: lora_deployment
short_description: Read Alaya NeW serverless LoRA deployments
version_added: 0.1.0
description:
  - Returns one dict per serviceId, with the same fields as the C(deployment) that
    M(alayanew.serverless.lora_deployment_info) returns.
  - Reads many deployments concurrently over one pooled HTTP session.
  - Never displays the values it returns; the dicts contain the apiKey, so set C(no_log) on tasks that show them.
author:
  - pulumi-alaya contributors (@pulumi-alaya)
options:
  _terms:
    description: One or more serviceIds.
    type: list
    elements: str
    required: true
  wait:
    description: Wait until each deployment is C(running).
    type: bool
    default: false
  wait_timeout:
    description: Seconds O(wait) may take.
    type: float
    default: 600
  concurrency:
    description:
      - How many deployments are read at once. The client backs off on HTTP 429, so raise it for many IDs on a
        slow API (1000 IDs at 100 ms take at least 6 s at the default 16).
    type: int
    default: 16
    version_added: 0.2.0
extends_documentation_fragment:
  - alayanew.serverless.connection
  - alayanew.serverless.connection.plugins
"""

EXAMPLES = r"""
- name: Read two deployments in one go (keys from ALAYA_ACCESS_KEY / ALAYA_SECRET_KEY)
  ansible.builtin.set_fact:
    deps: "{{ lookup('alayanew.serverless.lora_deployment', sid1, sid2) }}"
  no_log: true

- name: One endpoint
  ansible.builtin.debug:
    msg: "{{ lookup('alayanew.serverless.lora_deployment', sid1, base_url='http://127.0.0.1:8780').service_url }}"
"""

RETURN = r"""
_raw:
  description: One dict per serviceId (the same fields as the module's C(deployment)).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.lookup import LookupBase

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    HAS_REQUESTS,
    client_from_options,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import AlayaError


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        # Options come from the task (direct), then vars, env and ansible.cfg (see the PLUGINS fragment).
        self.set_options(var_options=variables, direct=kwargs)
        if not HAS_REQUESTS:
            raise AnsibleLookupError(missing_required_lib('requests'))
        try:
            client = client_from_options(self.get_option, workers=self.get_option('concurrency'))
            with client:
                deployments = client.get_deployments(terms, wait=self.get_option('wait'),
                                                     wait_timeout=self.get_option('wait_timeout'))
        except AlayaError as error:
            raise AnsibleLookupError(str(error)) from None
        return [deployment.to_dict() for deployment in deployments]
