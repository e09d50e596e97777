#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: base_model_deployment
short_description: Create, update and delete Alaya NeW serverless base-model deployments
version_added: 0.4.0
description:
  - Deploys a base model (QuickStart) on Alaya NeW serverless inference, the service LoRA deployments run on,
    updates it offline, or deletes it, and returns the same RV(deployment) as
    M(alayanew.serverless.base_model_deployment_info).
  - As for LoRA deployments, the API has no lookup by name; keep the returned RV(service_id) and pass it on later
    runs, which are then idempotent.
  - Updates are offline, they apply only to a C(stopped) deployment; O(restart=true) stops it (and every LoRA on
    it) first and waits until it runs again. O(vks_id) and O(namespace) cannot change in place.
  - The API refuses to delete a base model while LoRA deployments run on it; delete those first.
author:
  - pulumi-alaya contributors (@pulumi-alaya)
options:
  state:
    description:
      - V(present) creates the deployment (without O(service_id)) or brings it to the given settings.
      - V(absent) deletes it; a deployment that is already gone is not an error.
    type: str
    choices: [present, absent]
    default: present
  service_id:
    description:
      - The deployment's serviceId. Required with O(state=absent); with O(state=present) it selects the
        deployment to update instead of creating one.
    type: str
  vks_id:
    description: The VKS cluster to deploy in. Required to create.
    type: str
  namespace:
    description: The VKS namespace to deploy in (a Kubernetes namespace name). Required to create.
    type: str
  name:
    description: Display name, unique in the namespace. Required to create.
    type: str
  served_name:
    description: Names a chat request may put in C(model). Required to create.
    type: list
    elements: str
  model_id:
    description: The base model to deploy. Required to create.
    type: str
  backend:
    description: The inference engine. Required to create.
    type: str
    choices: [vllm, sglang]
  backend_version:
    description: The inference engine's version. Required to create.
    type: str
  backend_args:
    description: Extra arguments of the inference engine, one per item.
    type: list
    elements: str
  workers:
    description: Workers (instances); 1 when created without it.
    type: int
  cpu:
    description: CPU per worker, cores (V(8), V(0.5)) or millicores (V(500m)). Required to create.
    type: str
  mem:
    description: Memory per worker with a Kubernetes unit (V(32Gi)). Required to create.
    type: str
  gpu_type:
    description: The GPU model per worker (V(A100)). Required to create.
    type: str
  gpu_count:
    description: GPUs per worker, a positive whole number. Required to create.
    type: int
  restart:
    description: Allow an update of a deployment that is not C(stopped) by stopping it first and starting it after.
    type: bool
    default: false
  wait:
    description: Wait until the deployment is C(running) after create or update, or gone after delete.
    type: bool
    default: true
  wait_timeout:
    description: Seconds each wait may take.
    type: float
    default: 600
extends_documentation_fragment:
  - alayanew.serverless.connection
  - alayanew.serverless.attributes
attributes:
  check_mode:
    support: full
    details: Reads the deployment (when O(service_id) is given) and never calls a writing endpoint.
  diff_mode:
    support: full
    details: Shows the managed settings before and after.
notes:
  - The result contains the deployment's apiKey. Set C(no_log=true) on the task to keep it out of the output.
"""

EXAMPLES = r"""
- name: Deploy a base model and wait until it runs
  alayanew.serverless.base_model_deployment:
    vks_id: vks-1
    namespace: ns-a
    name: qwen-base
    served_name: [qwen]
    model_id: qwen2-7b
    backend: vllm
    backend_version: 0.6.3
    cpu: "8"
    mem: 32Gi
    gpu_type: A100
    gpu_count: 1
  register: base
  no_log: true

- name: Remove it (after its LoRA deployments)
  alayanew.serverless.base_model_deployment:
    service_id: "{{ base.service_id }}"
    state: absent
"""

RETURN = r"""
service_id:
  description: The deployment's serviceId (the new one after a create).
  returned: when O(state=present), except a create in check mode
  type: str
  sample: base-qwen2-7b
deployment:
  description:
    - The deployment, with the same keys as M(alayanew.serverless.base_model_deployment_info) returns.
    - Empty for a create in check mode and after a delete.
  returned: always
  type: dict
  sample: {service_id: base-qwen2-7b, status: running, backend: vllm, gpu_count: 1}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    CONNECTION_ARGSPEC,
    DEFAULT_WAIT_TIMEOUT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    client_from_options,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import (
    AlayaError,
    AlayaNotFoundError,
    BaseSpec,
)

# Every option that is a BaseSpec field, by the same name.
SPEC_OPTIONS = ('vks_id', 'namespace', 'name', 'served_name', 'model_id', 'backend', 'backend_version',
                'backend_args', 'workers', 'cpu', 'mem', 'gpu_type', 'gpu_count')
OPTIONAL = ('backend_args', 'workers')


def _settings(source):
    view = {option: getattr(source, option) for option in SPEC_OPTIONS}
    return {key: list(value) if isinstance(value, tuple) else value for key, value in view.items()}


def _view(deployment):
    """The settings this module manages, for --diff."""
    if deployment is None:
        return {'state': 'absent'}
    return dict(state='present', service_id=deployment.service_id, **_settings(deployment))


def _given(params):
    return {option: params[option] for option in SPEC_OPTIONS if params[option] is not None}


def _absent(module, client):
    params = module.params
    try:
        before = client.get_base_deployment(params['service_id'])
    except AlayaNotFoundError:
        before = None
    if before is not None and not module.check_mode:
        if client.delete_base_deployment(params['service_id']) and params['wait']:
            client.wait_until_deleted(params['service_id'], params['wait_timeout'])
    return dict(changed=before is not None, deployment={}, diff=dict(before=_view(before), after=_view(None)))


def _create(module, client):
    params = module.params
    missing = [option for option in SPEC_OPTIONS if option not in OPTIONAL and params[option] is None]
    if missing:
        module.fail_json(msg='To create a base-model deployment, set ' + ', '.join(missing)
                         + ' (or give service_id to manage an existing one).')
    spec = BaseSpec.build(**_given(params))  # refuse bad input before any request
    after = dict(state='present', **_settings(spec))
    if module.check_mode:
        return dict(changed=True, deployment={}, diff=dict(before=_view(None), after=after))
    service_id = client.create_base_deployment(spec)
    deployment = client.get_base_deployment(service_id, wait=params['wait'], wait_timeout=params['wait_timeout'])
    return dict(changed=True, service_id=service_id, deployment=deployment.to_dict(),
                diff=dict(before=_view(None), after=_view(deployment)))


def _present(module, client):
    params = module.params
    if not params['service_id']:
        return _create(module, client)
    problems = BaseSpec.problems(**_given(params))
    if problems:  # before any request, as for a create
        module.fail_json(msg=next(iter(problems.values())))
    current = client.get_base_deployment(params['service_id'])
    wanted = BaseSpec.updated(current, _given(params))
    changed = bool(wanted.differences(current))
    deployment = current
    if changed and not module.check_mode:
        deployment = client.update_base_deployment(current.service_id, _given(params), restart=params['restart'],
                                                   wait_timeout=params['wait_timeout'], current=current)
    if params['wait'] and not module.check_mode:
        deployment = client.get_base_deployment(current.service_id, wait=True, wait_timeout=params['wait_timeout'])
    after = _view(deployment)
    if changed and module.check_mode:
        after.update(_settings(wanted))
    return dict(changed=changed, service_id=current.service_id, deployment=deployment.to_dict(),
                diff=dict(before=_view(current), after=after))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            service_id=dict(type='str'),
            vks_id=dict(type='str'),
            namespace=dict(type='str'),
            name=dict(type='str'),
            served_name=dict(type='list', elements='str'),
            model_id=dict(type='str'),
            backend=dict(type='str', choices=['vllm', 'sglang']),
            backend_version=dict(type='str'),
            backend_args=dict(type='list', elements='str'),
            workers=dict(type='int'),
            cpu=dict(type='str'),
            mem=dict(type='str'),
            gpu_type=dict(type='str'),
            gpu_count=dict(type='int'),
            restart=dict(type='bool', default=False),
            wait=dict(type='bool', default=True),
            wait_timeout=dict(type='float', default=DEFAULT_WAIT_TIMEOUT),
            **CONNECTION_ARGSPEC
        ),
        required_if=[('state', 'absent', ('service_id',))],
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
    try:
        client = client_from_options(module.params.get)
        result = _absent(module, client) if module.params['state'] == 'absent' else _present(module, client)
    except AlayaError as error:
        module.fail_json(msg=str(error), error=error.to_dict())
    module.exit_json(**result)


if __name__ == '__main__':
    main()
