"""``AlayaClient``: the one client of the Alaya serverless-infer API, assembled from one module per concern.

``request_path`` (the only caller of ``requests``: auth, deadlines, the retry policy, error mapping), ``reads``,
``waiting`` (the wait loop and batch reads), ``lora_writes`` (create, update, cancel, delete), ``base_writes``
(the same for base-model deployments) and ``probe``.
Everything (Pulumi providers, Ansible module and lookup, CLI) calls the named methods of this class.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .base_writes import BaseWrites
from .probe import Probe
from .rules import validate_base_url, validate_seconds, validate_service_id
from .settings import (
    DEFAULT_BASE_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    ENV_ACCESS_KEY,
    ENV_BASE_URL,
    ENV_SECRET_KEY,
)

__all__ = ["AlayaClient", "DEFAULT_BASE_URL", "DEFAULT_CONCURRENCY", "DEFAULT_RETRIES", "DEFAULT_TIMEOUT",
           "DEFAULT_WAIT_TIMEOUT", "validate_base_url", "validate_seconds", "validate_service_id"]


class AlayaClient(BaseWrites, Probe):
    """Client for ``https://api.alayanew.com/api/serverless-infer/v1``.

    >>> with AlayaClient.from_env() as client:
    ...     dep = client.wait_until_running("38fbfc3d-6a88-4c35-b8b6-9efc83949d47", timeout=600)
    ...     print(dep.openai_base_url, dep.model)

    Building a client checks its arguments but does no I/O. One pooled session serves every call, including
    concurrent ones from ``get_deployments``; see ``transport`` for what it refuses to do on a hostile network.
    """

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> AlayaClient:
        """Keys and endpoint from ``ALAYA_ACCESS_KEY``/``ALAYA_SECRET_KEY``/``ALAYA_BASE_URL``; arguments win."""
        env = os.environ if env is None else env
        for name, variable in (("access_key", ENV_ACCESS_KEY), ("secret_key", ENV_SECRET_KEY),
                               ("base_url", ENV_BASE_URL)):
            if not overrides.get(name):  # None or "" (an unset option) falls back to the environment
                overrides[name] = env.get(variable)
        overrides["base_url"] = overrides["base_url"] or DEFAULT_BASE_URL
        return cls(**overrides)

    def __repr__(self) -> str:
        return f"AlayaClient(base_url={self.base_url!r}, access_key={self._access_key[:4]!r}+'***')"

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("AlayaClient holds credentials and is deliberately not picklable.")

    def __enter__(self) -> AlayaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
