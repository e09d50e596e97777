# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-FileCopyrightText: pulumi-alaya contributors
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The shared connection options, documented once. Modules take them as parameters (with the
    # environment variables as fallbacks); PLUGINS adds the env/vars/ini sources lookups read.
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - Alaya NeW Open API access key (AK).
      - If not set, the E(ALAYA_ACCESS_KEY) environment variable is used.
    type: str
  secret_key:
    description:
      - Alaya NeW Open API secret key (SK). Never logged.
      - If not set, the E(ALAYA_SECRET_KEY) environment variable is used.
    type: str
  base_url:
    description:
      - Alaya API endpoint. Plain C(http://) is accepted only for loopback hosts (the local emulator).
      - If not set, the E(ALAYA_BASE_URL) environment variable is used, else the default.
    type: str
    default: https://api.alayanew.com
  validate_certs:
    description:
      - Verify the API's TLS certificate.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle to verify the API's certificate with (implies O(validate_certs=true)).
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
  retries:
    description:
      - How many times to retry on connection errors, timeouts, HTTP 429 (honouring C(Retry-After)) and
        HTTP 500/502/503/504, with exponential backoff and jitter. Never on 400/401/403/404.
    type: int
    default: 3
requirements:
  - requests (on the host that runs the module, or the controller for the lookup)
notes:
  - The API client is shipped inside the collection; only C(requests) is needed.
"""

    PLUGINS = r"""
options:
  access_key:
    env:
      - name: ALAYA_ACCESS_KEY
    ini:
      - section: alaya
        key: access_key
    vars:
      - name: alaya_access_key
  secret_key:
    env:
      - name: ALAYA_SECRET_KEY
    ini:
      - section: alaya
        key: secret_key
    vars:
      - name: alaya_secret_key
  base_url:
    env:
      - name: ALAYA_BASE_URL
    ini:
      - section: alaya
        key: base_url
    vars:
      - name: alaya_base_url
  validate_certs:
    vars:
      - name: alaya_validate_certs
  ca_path:
    vars:
      - name: alaya_ca_path
  timeout:
    vars:
      - name: alaya_timeout
  retries:
    vars:
      - name: alaya_retries
"""
