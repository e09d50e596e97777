"""Stack config ``alaya:*`` to a client, written once for the provider (configure) and the data source.

Keys: ``alaya:accessKey``, ``alaya:secretKey`` (set it with ``--secret``), ``alaya:baseUrl``,
``alaya:timeout`` (seconds per request), ``alaya:retries``. Unset keys fall back to ``ALAYA_*`` variables.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .client import AlayaClient, AlayaInputError

CONFIG_KEYS = ("accessKey", "secretKey", "baseUrl", "timeout", "retries")
Settings = tuple[tuple[str, str], ...]


def read_settings(get: Callable[[str], Any]) -> Settings:
    """The set config values as a hashable tuple; ``get`` takes a key without the ``alaya:`` prefix."""
    return tuple((key, str(value)) for key in CONFIG_KEYS if (value := get(key)) not in (None, ""))


@functools.lru_cache(maxsize=8)
def client_for(settings: Settings) -> AlayaClient:
    """One client (one connection pool) per distinct settings, reused by every call in this process."""
    values = dict(settings)
    options: dict[str, Any] = {"access_key": values.get("accessKey"), "secret_key": values.get("secretKey"),
                               "base_url": values.get("baseUrl")}
    try:
        if "timeout" in values:
            options["timeout"] = float(values["timeout"])
        if "retries" in values:
            options["retries"] = int(values["retries"])
    except ValueError:
        raise AlayaInputError("alaya:timeout must be a number of seconds and alaya:retries a whole number.") from None
    return AlayaClient.from_env(**options)
