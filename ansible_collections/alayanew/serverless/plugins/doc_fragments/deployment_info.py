# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The options of every _info module (module_utils/_deployment_module.py INFO_ARGSPEC), written once.
    DOCUMENTATION = r"""
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
      - Seconds O(wait) may take in all (O(timeout) bounds each HTTP request).
    type: float
    default: 600
  smoke:
    description:
      - Send one chat completion (C(max_tokens=1)) to the served model and fail unless it answers.
    type: bool
    default: false
"""
