#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: base_model_deployment_info
short_description: Read an Alaya NeW serverless base-model deployment
version_added: 0.4.0
description:
  - Reads one base-model deployment (the service LoRA deployments run on) and returns its fields, the
    inference engine, resources and instances included.
  - Optionally waits until the deployment is C(running). A LoRA deployment's serviceId is refused by name.
  - Never changes anything, so it runs the same in check mode.
author:
  - pulumi-alaya contributors (@pulumi-alaya)
options:
  service_id:
    description:
      - The base-model deployment's serviceId.
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
extends_documentation_fragment:
  - alayanew.serverless.connection
  - alayanew.serverless.attributes
notes:
  - The result contains the deployment's apiKey. Set C(no_log=true) on the task to keep it out of the output.
"""

EXAMPLES = r"""
- name: Read a base-model deployment once it is running
  alayanew.serverless.base_model_deployment_info:
    service_id: base-qwen2-7b
    wait: true
  register: base
  no_log: true
"""

RETURN = r"""
deployment:
  description: The base-model deployment.
  returned: success
  type: dict
  contains:
      service_id:
        description: The deployment's serviceId, its ID in the Alaya API.
        type: str
      status:
        description: The deployment's status, starting, running, stopping, stopped or failed (or the API's own
        word for one the docs do not name).
        type: str
      service_url:
        description: The URL that serves the model (POST {serviceUrl}/v1/chat/completions).
        type: str
      api_key:
        description: The key a chat request sends in its apiKey header .
        type: str
      served_name:
        description: Every name a chat request may put in its model field.
        type: list
        elements: str
      model:
        description: The first served name, what a chat request puts in model.
        type: str
      model_id:
        description: The LoRA model that is deployed.
        type: str
      name:
        description: The deployment's display name, unique in its namespace.
        type: str
      namespace:
        description: The VKS namespace the deployment runs in.
        type: str
      openai_base_url:
        description: serviceUrl + /v1, the base URL for OpenAI-compatible SDKs.
        type: str
      vks_id:
        description: The VKS cluster the base model runs in.
        type: str
      mode:
        description: How it was deployed, quickStart or expert.
        type: str
      backend:
        description: The inference engine, vllm or sglang.
        type: str
      backend_version:
        description: The inference engine's version.
        type: str
      backend_args:
        description: Extra command-line arguments of the inference engine.
        type: list
        elements: str
      workers:
        description: Instances (workers) serving the base model.
        type: int
      cpu:
        description: CPU per worker, as Kubernetes writes it (8, 500m).
        type: str
      mem:
        description: Memory per worker, as Kubernetes writes it (32Gi).
        type: str
      gpu_type:
        description: The GPU model per worker (A100).
        type: str
      gpu_count:
        description: GPUs per worker.
        type: int
      lora_models:
        description: The LoRA models running on the base model's instances.
        type: list
        elements: str
      ready_instances:
        description: Instances whose base model is ready (baseModelReady).
        type: int
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    CONNECTION_ARGSPEC,
    HAS_REQUESTS,
    READ_ARGSPEC,
    REQUESTS_IMPORT_ERROR,
    client_from_options,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import AlayaError


def main():
    module = AnsibleModule(
        argument_spec=dict(service_id=dict(type='str', required=True), **READ_ARGSPEC, **CONNECTION_ARGSPEC),
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
    params = module.params
    try:
        client = client_from_options(params.get)
        deployment = client.get_base_deployment(params['service_id'], wait=params['wait'],
                                                wait_timeout=params['wait_timeout'])
    except AlayaError as error:
        module.fail_json(msg=str(error), error=error.to_dict(), changed=False)
    module.exit_json(changed=False, deployment=deployment.to_dict())


if __name__ == '__main__':
    main()
