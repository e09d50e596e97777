# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # return_api_key, the same for every deployment module of every kind (module_utils/_deployment_module.py).
    DOCUMENTATION = r"""
options:
  return_api_key:
    description:
      - Return the deployment's apiKey in the result's C(deployment.api_key).
      - Set V(false) when the key reaches its users another way (External Secrets Operator in a cluster), so that
        it is in no registered variable, log or fact cache; C(deployment.api_key) is then an empty string.
    type: bool
    default: true
notes:
  - The result contains the deployment's apiKey unless O(return_api_key=false). Set C(no_log=true) on the task to
    keep it out of the output.
"""
