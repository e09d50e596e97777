#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: lora_deployment
short_description: Create, update and delete Alaya NeW serverless LoRA deployments
version_added: 0.2.0
description:
  - Deploys a fine-tuned LoRA model on a running base-model service of Alaya NeW serverless inference, updates
    it, or deletes it, and returns what the next task needs to call it (the same RV(deployment) as
    M(alayanew.serverless.lora_deployment_info) returns).
  - The API has no lookup by name, so a deployment is identified by O(service_id). Without O(service_id),
    O(state=present) creates a new deployment every time it runs; keep the returned RV(service_id) (in your
    inventory or a fact) and pass it on later runs, which are then idempotent.
  - Updates are offline, as the API requires, they apply only to a C(stopped) deployment. To change a running
    one, set O(restart=true), the module then stops it, updates it and waits until it runs again (the served
    model is away meanwhile); without it such a change fails before anything is written.
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
  base_service_id:
    description:
      - serviceId of the running base-model deployment the LoRA runs on. Required to create.
    type: str
  model_id:
    description:
      - The LoRA model to deploy. Required to create.
    type: str
  name:
    description:
      - Display name, unique in the base service's namespace (1-63 characters from A-Z a-z 0-9 - _). Required to
        create.
    type: str
  served_name:
    description:
      - Names a chat request may put in C(model); the first is the C(model) of RV(deployment). Required to create.
    type: list
    elements: str
  restart:
    description:
      - Allow an update of a deployment that is not C(stopped) by stopping it first and starting it after.
    type: bool
    default: false
  wait:
    description:
      - Wait until the deployment is C(running) after create or update, or gone after delete.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds each wait may take.
    type: float
    default: 600
  return_api_key:
    description:
      - Return the deployment's apiKey in the result's C(deployment.api_key).
      - Set V(false) when the key reaches its users another way (External Secrets Operator in a cluster), so that
        it is in no registered variable, log or fact cache; C(deployment.api_key) is then an empty string.
    type: bool
    default: true
    version_added: 0.4.0
extends_documentation_fragment:
  - alayanew.serverless.connection
  - alayanew.serverless.attributes
attributes:
  check_mode:
    support: full
    details: Reads the deployment (when O(service_id) is given) and never calls a writing endpoint.
  diff_mode:
    support: full
    details: Shows the managed settings (state, base_service_id, model_id, name, served_name) before and after.
notes:
  - The result contains the deployment's apiKey. Set C(no_log=true) on the task to keep it out of the output.
"""

EXAMPLES = r"""
- name: Deploy a LoRA on a base-model service and wait until it runs
  alayanew.serverless.lora_deployment:
    base_service_id: base-qwen2-7b
    model_id: lora-support-v3
    name: support-bot-lora
    served_name: [support-bot]
  register: lora
  no_log: true

- name: Keep the serviceId for later runs (the API cannot look it up by name)
  ansible.builtin.copy:
    content: "{{ lora.service_id }}"
    dest: ./support-bot.service-id
    mode: "0600"

- name: Serve another model version (stops, updates and restarts it)
  alayanew.serverless.lora_deployment:
    service_id: "{{ lora.service_id }}"
    model_id: lora-support-v4
    restart: true
  no_log: true

- name: Remove it
  alayanew.serverless.lora_deployment:
    service_id: "{{ lora.service_id }}"
    state: absent
"""

RETURN = r"""
service_id:
  description: The deployment's serviceId (the new one after a create).
  returned: when O(state=present), except a create in check mode
  type: str
  sample: 38fbfc3d-6a88-4c35-b8b6-9efc83949d47
deployment:
  description:
    - The deployment, with the same keys as M(alayanew.serverless.lora_deployment_info) returns.
    - Empty for a create in check mode and after a delete.
  returned: always
  type: dict
  sample: {service_id: 38fbfc3d-6a88-4c35-b8b6-9efc83949d47, status: running, model: support-bot}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    CONNECTION_ARGSPEC,
    DEFAULT_WAIT_TIMEOUT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    client_from_options,
    deployment_view,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client import (
    AlayaError,
    AlayaNotFoundError,
    LoraSpec,
)

SPEC_OPTIONS = ('base_service_id', 'model_id', 'name', 'served_name')


def _view(deployment):
    """The settings this module manages, for --diff."""
    if deployment is None:
        return {'state': 'absent'}
    return {'state': 'present', 'service_id': deployment.service_id, 'base_service_id': deployment.base_service_id,
            'model_id': deployment.model_id, 'name': deployment.name, 'served_name': list(deployment.served_name)}


def _absent(module, client):
    params = module.params
    try:
        before = client.get_deployment(params['service_id'])
    except AlayaNotFoundError:
        before = None
    if before is not None and not module.check_mode:
        if client.delete_deployment(params['service_id']) and params['wait']:
            client.wait_until_deleted(params['service_id'], params['wait_timeout'])
    return dict(changed=before is not None, deployment={}, diff=dict(before=_view(before), after=_view(None)))


def _create(module, client):
    params = module.params
    missing = [option for option in SPEC_OPTIONS if not params[option]]
    if missing:
        module.fail_json(msg='To create a deployment, set ' + ', '.join(missing)
                         + ' (or give service_id to manage an existing one).')
    spec = LoraSpec.build(*(params[option] for option in SPEC_OPTIONS))  # refuse bad input before any request
    after = dict(state='present', **{option: getattr(spec, option) for option in SPEC_OPTIONS})
    after['served_name'] = list(spec.served_name)
    if module.check_mode:
        return dict(changed=True, deployment={}, diff=dict(before=_view(None), after=after))
    service_id = client.create_lora_deployment(spec.base_service_id, spec.model_id, spec.name, spec.served_name)
    deployment = client.read_deployment(service_id, wait=params['wait'], wait_timeout=params['wait_timeout'])
    return dict(changed=True, service_id=service_id, deployment=deployment_view(deployment, module.params),
                diff=dict(before=_view(None), after=_view(deployment)))


def _present(module, client):
    params = module.params
    if not params['service_id']:
        return _create(module, client)
    current = client.get_deployment(params['service_id'])
    wanted = LoraSpec.updated(current, **{option: params[option] for option in SPEC_OPTIONS})
    changed = bool(wanted.differences(current))
    deployment = current
    if changed and not module.check_mode:
        deployment = client.update_lora_deployment(
            current.service_id, base_service_id=wanted.base_service_id, model_id=wanted.model_id, name=wanted.name,
            served_name=wanted.served_name, restart=params['restart'], wait_timeout=params['wait_timeout'],
            current=current)
    if params['wait'] and not module.check_mode:
        deployment = client.wait_until_running(current.service_id, params['wait_timeout'])
    after = _view(deployment)
    if changed and module.check_mode:
        after.update(base_service_id=wanted.base_service_id, model_id=wanted.model_id, name=wanted.name,
                     served_name=list(wanted.served_name))
    return dict(changed=changed, service_id=current.service_id,
                deployment=deployment_view(deployment, module.params),
                diff=dict(before=_view(current), after=after))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            service_id=dict(type='str'),
            base_service_id=dict(type='str'),
            model_id=dict(type='str'),
            name=dict(type='str'),
            served_name=dict(type='list', elements='str'),
            restart=dict(type='bool', default=False),
            wait=dict(type='bool', default=True),
            wait_timeout=dict(type='float', default=DEFAULT_WAIT_TIMEOUT),
            return_api_key=dict(type='bool', default=True),
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
