"""Stack config ``alaya:*`` to a client, written once for the provider (configure) and the data source.

Keys: ``alaya:accessKey``, ``alaya:secretKey`` (set it with ``--secret``), ``alaya:baseUrl``,
``alaya:requestTimeout`` (seconds per request; ``alaya:timeout``, its 0.2 name, still works), ``alaya:retries``.
Unset keys fall back to ``ALAYA_*`` variables. The dynamic provider and the schema-based plugin read the same keys.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable
from typing import Any

from ..client import AlayaClient, AlayaInputError
from ..client.settings import DEFAULT_RETRIES, DEFAULT_TIMEOUT


@dataclasses.dataclass(frozen=True)
class ConfigKey:
    """One provider setting: its stack config key (``alaya:<key>``), the variable it falls back to, its meaning."""

    key: str
    env: str
    kind: str
    description: str
    secret: bool = False


# The provider's settings, declared once: both providers read them, the plugin's schema is generated from them.
CONFIG = (
    ConfigKey("accessKey", "ALAYA_ACCESS_KEY", "string", "The access key of the console's Open API Key pair."),
    ConfigKey("secretKey", "ALAYA_SECRET_KEY", "string", "The secret key of the Open API Key pair.", secret=True),
    ConfigKey("baseUrl", "ALAYA_BASE_URL", "string", "The API's base URL (default https://api.alayanew.com)."),
    ConfigKey("requestTimeout", "ALAYA_REQUEST_TIMEOUT", "number",
              f"Seconds each request may take (default {DEFAULT_TIMEOUT:g})."),
    ConfigKey("retries", "ALAYA_RETRIES", "integer",
              f"Attempts more after a transient failure (default {DEFAULT_RETRIES})."),
)
CONFIG_KEYS = tuple(item.key for item in CONFIG)
# 0.2 called requestTimeout "timeout"; stacks configured then keep working.
_OLD_NAMES = {"requestTimeout": "timeout"}
Settings = tuple[tuple[str, str], ...]


def read_settings(get: Callable[[str], Any]) -> Settings:
    """The settings as a hashable tuple: stack config (``get`` takes a key without ``alaya:``), else ``ALAYA_*``."""
    found = []
    for item in CONFIG:
        names = (item.key, _OLD_NAMES[item.key]) if item.key in _OLD_NAMES else (item.key,)
        candidates = [get(name) for name in names] + [os.environ.get(item.env)]
        value = next((value for value in candidates if value not in (None, "")), None)
        if value is not None:
            found.append((item.key, str(value)))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def client_for(settings: Settings) -> AlayaClient:
    """One client (one connection pool) per distinct settings, reused by every call in this process."""
    values = dict(settings)
    options: dict[str, Any] = {"access_key": values.get("accessKey"), "secret_key": values.get("secretKey"),
                               "base_url": values.get("baseUrl")}
    try:
        if "requestTimeout" in values:
            options["timeout"] = float(values["requestTimeout"])
        if "retries" in values:
            options["retries"] = int(float(values["retries"]))
    except ValueError:
        raise AlayaInputError("alaya:requestTimeout must be a number of seconds and alaya:retries a whole number."
                              ) from None
    return AlayaClient.from_env(**options)
