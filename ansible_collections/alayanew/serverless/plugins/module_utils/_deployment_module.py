# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one base of the collection's deployment modules, as hetzner.hcloud's ``AnsibleHCloud``: it builds the
client, owns the result, check mode, diff and the mapping of a client error to ``fail_json``. Each module is a
thin file naming its kind (``lora``, ``base_model``): its options are the kind's declaration (the vendored
``kinds.py``), its docs are generated from it (``scripts/gen_ansible.py``).
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alayanew.serverless.plugins.module_utils._connection import (
    CONNECTION_ARGSPEC,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    client_from_options,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client.errors import (
    AlayaCreatedNotReadyError,
    AlayaError,
    AlayaNotFoundError,
)
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client.kinds import kind_named
from ansible_collections.alayanew.serverless.plugins.module_utils._vendor.alaya_client.settings import (
    DEFAULT_WAIT_TIMEOUT,
)

__all__ = ["ANSIBLE_TYPES", "run_deployment", "run_deployment_info", "spec_argspec"]

# An input's kind (declaration.Input.kind) as an Ansible option type.
ANSIBLE_TYPES = {
    'string': dict(type='str'),
    'strings': dict(type='list', elements='str'),
    'integer': dict(type='int'),
    'number': dict(type='float'),
    'boolean': dict(type='bool'),
}
_RETURN_API_KEY = dict(return_api_key=dict(type='bool', default=True))
WRITE_ARGSPEC = dict(
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    service_id=dict(type='str'),
    restart=dict(type='bool', default=False),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='float', default=DEFAULT_WAIT_TIMEOUT),
    **_RETURN_API_KEY
)
INFO_ARGSPEC = dict(
    service_id=dict(type='str', required=True),
    wait=dict(type='bool', default=False),
    wait_timeout=dict(type='float', default=DEFAULT_WAIT_TIMEOUT),
    smoke=dict(type='bool', default=False),
    **_RETURN_API_KEY
)


def spec_argspec(kind):
    """The kind's own options: one per spec input, named as the client's field, with its type and choices."""
    options = {}
    for item in kind.spec_inputs:
        option = dict(ANSIBLE_TYPES[item.kind])
        if item.choices:
            option['choices'] = list(item.choices)
        options[item.option] = option
    return options


class AlayaModule:
    """An ``AnsibleModule`` for one kind, with its client, result and failure mapping."""

    def __init__(self, kind_name, argument_spec, **options):
        self.kind = kind_named(kind_name)
        spec = dict(argument_spec)
        spec.update(CONNECTION_ARGSPEC)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **options)
        self.params = self.module.params
        self.result = dict(changed=False)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = client_from_options(self.params.get)
        return self._client

    @property
    def deployments(self):
        return self.client.deployments(self.kind)

    def view(self, deployment):
        """The deployment as the result returns it; without its apiKey when the task asked for that."""
        if deployment is None:
            return {}
        view = deployment.to_dict()
        if not self.params.get('return_api_key', True):
            view['api_key'] = ''
        return view

    def run(self, work):
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        try:
            work()
        except AlayaCreatedNotReadyError as error:
            # The deployment exists: the failed result carries what the next run needs to resume or remove it.
            self.result.update(changed=True, service_id=error.service_id, deployment=self.view(error.deployment))
            self.fail(error, f' Resume: run the task again with service_id={error.service_id}; or remove it: '
                             'state=absent with that service_id.')
        except AlayaError as error:
            self.fail(error)
        self.module.exit_json(**self.result)

    def fail(self, error, hint=''):
        if error.service_id and 'service_id' not in self.result:
            self.result['service_id'] = error.service_id
        self.module.fail_json(msg=str(error) + hint, error=error.to_dict(), **self.result)


class DeploymentModule(AlayaModule):
    """``state: present|absent`` of one deployment of the kind."""

    def __init__(self, kind_name):
        kind = kind_named(kind_name)
        argument_spec = dict(WRITE_ARGSPEC)
        argument_spec.update(spec_argspec(kind))
        AlayaModule.__init__(self, kind_name, argument_spec,
                             required_if=[('state', 'absent', ('service_id',))])

    def settings(self, source):
        """The kind's fields of a spec or a deployment, for --diff."""
        view = {}
        for item in self.kind.spec_inputs:
            value = getattr(source, item.option)
            view[item.option] = list(value) if isinstance(value, tuple) else value
        return view

    def diff_view(self, deployment):
        if deployment is None:
            return {'state': 'absent'}
        view = dict(state='present', service_id=deployment.service_id)
        view.update(self.settings(deployment))
        return view

    def given(self):
        return dict((item.option, self.params[item.option]) for item in self.kind.spec_inputs
                    if self.params[item.option] is not None)

    def work(self):
        if self.params['state'] == 'absent':
            self.absent()
        elif self.params['service_id']:
            self.present()
        else:
            self.create()

    def absent(self):
        service_id = self.params['service_id']
        try:
            before = self.deployments.get(service_id)
        except AlayaNotFoundError:
            before = None
        if before is not None and not self.module.check_mode:
            if self.deployments.delete(service_id) and self.params['wait']:
                self.deployments.wait_until_deleted(service_id, self.params['wait_timeout'])
        self.result.update(changed=before is not None, deployment={},
                           diff=dict(before=self.diff_view(before), after=self.diff_view(None)))

    def create(self):
        missing = [item.option for item in self.kind.needed_to_create if self.params[item.option] is None]
        if missing:
            self.module.fail_json(msg=f"To create a {self.kind.title}, set {', '.join(missing)} (or give service_id to "
                                      "manage an existing one).")
        spec = self.deployments.spec(**self.given())  # bad input is refused before any request
        after = dict(state='present')
        after.update(self.settings(spec))
        self.result.update(changed=True, deployment={}, diff=dict(before=self.diff_view(None), after=after))
        if self.module.check_mode:
            return
        deployment = self.deployments.deploy(spec, wait=self.params['wait'], wait_timeout=self.params['wait_timeout'])
        self.result.update(service_id=deployment.service_id, deployment=self.view(deployment),
                           diff=dict(before=self.diff_view(None), after=self.diff_view(deployment)))

    def present(self):
        given = self.given()
        problems = self.kind.spec_type.problems(**given)
        if problems:  # before any request, as for a create
            self.module.fail_json(msg=next(iter(problems.values())))
        current = self.deployments.get(self.params['service_id'])
        wanted = self.kind.spec_type.updated(current, given)
        changed = bool(wanted.differences(current))
        deployment = current
        if changed and not self.module.check_mode:
            deployment = self.deployments.update(current.service_id, given, restart=self.params['restart'],
                                                 wait_timeout=self.params['wait_timeout'], current=current)
        if self.params['wait'] and not self.module.check_mode:
            deployment = self.deployments.get(current.service_id, wait=True, wait_timeout=self.params['wait_timeout'])
        after = self.diff_view(deployment)
        if changed and self.module.check_mode:
            after.update(self.settings(wanted))
        self.result.update(changed=changed, service_id=current.service_id, deployment=self.view(deployment),
                           diff=dict(before=self.diff_view(current), after=after))


class DeploymentInfoModule(AlayaModule):
    """Read one deployment of the kind (optionally waiting, optionally a smoke test); never changes anything."""

    def __init__(self, kind_name):
        AlayaModule.__init__(self, kind_name, INFO_ARGSPEC)

    def work(self):
        deployment = self.deployments.get(self.params['service_id'], wait=self.params['wait'],
                                          wait_timeout=self.params['wait_timeout'])
        if self.params['smoke']:
            self.result['smoke_reply'] = self.client.probe(deployment)
        self.result['deployment'] = self.view(deployment)


def run_deployment(kind_name):
    module = DeploymentModule(kind_name)
    module.run(module.work)


def run_deployment_info(kind_name):
    module = DeploymentInfoModule(kind_name)
    module.run(module.work)
