#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: lora_deployment_info
short_description: Read an Alaya NeW serverless LoRA deployment
version_added: 0.1.0
description:
  - Reads one LoRA (or base-model) deployment of Alaya NeW serverless inference and returns what the next task
    needs to call it, the service URL, the apiKey and the served model name.
  - Optionally waits until the deployment is C(running) and sends one chat completion as a smoke test.
  - Never changes anything, so it runs the same in check mode.
author:
  - pulumi-alaya contributors (@pulumi-alaya)
options:
  service_id:
    description:
      - The deployment's serviceId, as shown in the Alaya console.
    type: str
    required: true
  wait:
    description:
      - Wait until the deployment is C(running). Fails at once if it is C(failed) or C(stopped).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds O(wait) may take.
    type: float
    default: 600
  smoke:
    description:
      - Send one chat completion (C(max_tokens=1)) to the served model and fail unless it answers.
    type: bool
    default: false
  return_api_key:
    description:
      - Return the deployment's apiKey in RV(deployment.api_key).
      - Set V(false) when the key reaches its users another way (External Secrets Operator in a cluster), so that
        it is in no registered variable, log or fact cache; RV(deployment.api_key) is then an empty string.
    type: bool
    default: true
    version_added: 0.4.0
extends_documentation_fragment:
  - alayanew.serverless.connection
  - alayanew.serverless.attributes
notes:
  - The result contains the deployment's apiKey. Set C(no_log=true) on the task to keep it out of the output.
"""

EXAMPLES = r"""
- name: Read a LoRA deployment once it is running
  alayanew.serverless.lora_deployment_info:
    service_id: 38fbfc3d-6a88-4c35-b8b6-9efc83949d47
    wait: true
  register: lora
  no_log: true

- name: Call the served model
  ansible.builtin.uri:
    url: "{{ lora.deployment.service_url }}/v1/chat/completions"
    method: POST
    headers:
      apiKey: "{{ lora.deployment.api_key }}"
    body_format: json
    body:
      model: "{{ lora.deployment.model }}"
      messages: [{role: user, content: hi}]
  no_log: true  # the task's arguments hold the apiKey

- name: Set the endpoint once for every module of the collection
  module_defaults:
    group/alayanew.serverless.alaya:
      base_url: http://127.0.0.1:8780
  block:
    - alayanew.serverless.lora_deployment_info:
        service_id: 38fbfc3d-6a88-4c35-b8b6-9efc83949d47
        smoke: true
"""

RETURN = r"""
deployment:
  description: The deployment.
  returned: success
  type: dict
  contains:
    service_id:
      description: The serviceId.
      type: str
      sample: 38fbfc3d-6a88-4c35-b8b6-9efc83949d47
    status:
      description: One of C(starting), C(running), C(stopping), C(stopped), C(failed), C(unknown).
      type: str
      sample: running
    service_url:
      description: Base URL of the deployment's OpenAI-compatible API.
      type: str
      sample: https://svc.alayanew.com/38fbfc3d
    api_key:
      description: The key a chat request sends in the C(apiKey) header.
      type: str
      sample: sk-...
    served_name:
      description: The model names the deployment serves.
      type: list
      elements: str
      sample: [support-bot]
    model:
      description: The first served name, what a chat request puts in C(model).
      type: str
      sample: support-bot
    base_service_id:
      description: The base-model service the LoRA runs on.
      type: str
      sample: base-qwen2-7b
    model_id:
      description: The model's ID.
      type: str
    name:
      description: The display name.
      type: str
    namespace:
      description: The VKS namespace.
      type: str
    openai_base_url:
      description: C(service_url) plus C(/v1), for OpenAI SDKs.
      type: str
smoke_reply:
  description: The model's answer to the smoke test.
  returned: when O(smoke=true)
  type: str
  sample: Hello from support-bot
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    CONNECTION_ARGSPEC,
    HAS_REQUESTS,
    READ_ARGSPEC,
    REQUESTS_IMPORT_ERROR,
    client_from_options,
    deployment_view,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import AlayaError


def main():
    module = AnsibleModule(
        argument_spec=dict(service_id=dict(type='str', required=True), smoke=dict(type='bool', default=False),
                           return_api_key=dict(type='bool', default=True),
                           **READ_ARGSPEC, **CONNECTION_ARGSPEC),
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
    params = module.params
    result = dict(changed=False)
    try:
        client = client_from_options(params.get)
        deployment = client.read_deployment(params['service_id'], wait=params['wait'],
                                            wait_timeout=params['wait_timeout'])
        if params['smoke']:
            result['smoke_reply'] = client.probe(deployment)
    except AlayaError as error:
        module.fail_json(msg=str(error), error=error.to_dict(), **result)
    module.exit_json(deployment=deployment_view(deployment, module.params), **result)


if __name__ == '__main__':
    main()
