# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The options every deployment module shares (module_utils/_deployment_module.py WRITE_ARGSPEC), written
    # once; each module adds its kind's own, generated from the kind's declaration (scripts/gen_ansible.py).
    DOCUMENTATION = r"""
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
      - The API has no lookup by name, so without O(service_id) O(state=present) creates a new deployment every
        time it runs; keep the returned RV(service_id) and pass it on later runs, which are then idempotent.
    type: str
  restart:
    description:
      - Updates are offline, as the API requires, they apply only to a C(stopped) deployment.
      - V(true) allows an update of a deployment that is not C(stopped) by stopping it first and waiting until it
        runs again (what it serves is away meanwhile); without it such a change fails before anything is written.
    type: bool
    default: false
  wait:
    description:
      - Wait until the deployment is C(running) after create or update, or gone after delete.
      - If a create's wait fails (its time runs out, or the deployment fails), the deployment exists anyway; the
        failed result then holds its RV(service_id). Run the task again with that O(service_id) to resume (it
        waits again and applies the settings), or with O(state=absent) and that O(service_id) to remove it.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds each wait may take in all (O(timeout) bounds each HTTP request).
    type: float
    default: 600
"""
