"""``AlayaClient``: the one client of the Alaya serverless-infer API, assembled from one module per concern.

``request_path`` (the only caller of ``requests``: auth, deadlines, the retry policy, error mapping), ``waiting``
(the read, the wait loop and batch reads, for any kind) and ``probe``; the writes of each kind by composition:
``client.lora_deployments`` and ``client.base_model_deployments`` are ``deployments.Deployments`` built from the
kind's declaration (``kinds.py``), the same verbs for both. ``deprecated`` keeps the 0.4 method names working.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .deployments import Deployments
from .deprecated import Deprecated04
from .kinds import BASE_MODEL, LORA, kind_named
from .models import Deployment
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
from .waiting import Waits

if TYPE_CHECKING:  # only annotations: a client that reads LoRAs never imports the base model's spec and record
    from .base_model_deployment import BaseModelDeployment
    from .base_model_spec import BaseModelSpec
    from .declaration import Kind
    from .spec import LoraSpec

__all__ = ["AlayaClient", "DEFAULT_BASE_URL", "DEFAULT_CONCURRENCY", "DEFAULT_RETRIES", "DEFAULT_TIMEOUT",
           "DEFAULT_WAIT_TIMEOUT", "validate_base_url", "validate_seconds", "validate_service_id"]


class AlayaClient(Waits, Probe, Deprecated04):
    """Client for ``https://api.alayanew.com/api/serverless-infer/v1``.

    >>> with AlayaClient.from_env() as client:
    ...     dep = client.lora_deployments.get("38fbfc3d-6a88-4c35-b8b6-9efc83949d47", wait=True, wait_timeout=600)
    ...     print(dep.openai_base_url, dep.model)

    Building a client checks its arguments but does no I/O. One pooled session serves every call, including
    concurrent ones from ``get_deployments``; see ``transport`` for what it refuses to do on a hostile network.
    """

    @property
    def lora_deployments(self) -> Deployments[LoraSpec, Deployment]:
        """LoRA deployments: create, deploy, get, update, cancel, delete, wait_until_running/stopped/deleted."""
        return Deployments(self, LORA)

    @property
    def base_model_deployments(self) -> Deployments[BaseModelSpec, BaseModelDeployment]:
        """Base-model deployments: the same verbs as ``lora_deployments``."""
        return Deployments(self, BASE_MODEL)

    def deployments(self, kind: Kind | str) -> Deployments[Any, Any]:
        """A kind's deployments by its ``Kind`` or name, for front ends that loop over ``kinds.KINDS``."""
        return Deployments(self, kind_named(kind if isinstance(kind, str) else kind.name))

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
