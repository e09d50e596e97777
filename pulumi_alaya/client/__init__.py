"""The core Alaya client. Standard library and ``requests`` only: the Ansible collection ships a copy of it.

Edit it here, never in the collection: ``scripts/vendor_client.py`` regenerates the copy and its ``--check``
fails CI when the two drift.

Names resolve lazily, on first use: importing one module of the package (``client.errors`` for the CLI's exit
codes, ``client.settings``) never pays for every kind, spec and record. Type checkers see the real names through
the imports below, and only them (a new public name goes into the imports, ``_LAZY`` and ``__all__``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        DEFAULT_BASE_URL,
        DEFAULT_WAIT_TIMEOUT,
        AlayaClient,
        validate_base_url,
        validate_seconds,
        validate_service_id,
    )
    from .base_model_deployment import BaseDeployment, BaseModelDeployment
    from .base_model_spec import BaseModelSpec, BaseSpec
    from .deployments import Deployments
    from .errors import (
        AlayaAPIError,
        AlayaAuthError,
        AlayaConflictError,
        AlayaCreatedNotReadyError,
        AlayaDeploymentFailedError,
        AlayaError,
        AlayaForbiddenError,
        AlayaInputError,
        AlayaMalformedResponseError,
        AlayaNotFoundError,
        AlayaProbeError,
        AlayaTransportError,
        AlayaWaitTimeoutError,
        AlayaWriteUncertainError,
    )
    from .models import Deployment, DeploymentStatus
    from .spec import LoraSpec

# Each public name -> the module (in this package) that defines it.
_LAZY = {
    **dict.fromkeys(("DEFAULT_BASE_URL", "DEFAULT_WAIT_TIMEOUT"), "settings"),
    **dict.fromkeys(("validate_base_url", "validate_seconds", "validate_service_id"), "rules"),
    "AlayaClient": "api",
    **dict.fromkeys(("BaseDeployment", "BaseModelDeployment"), "base_model_deployment"),
    **dict.fromkeys(("BaseModelSpec", "BaseSpec"), "base_model_spec"),
    "Deployments": "deployments",
    **dict.fromkeys(("AlayaAPIError", "AlayaAuthError", "AlayaConflictError", "AlayaCreatedNotReadyError",
                     "AlayaDeploymentFailedError", "AlayaError", "AlayaForbiddenError", "AlayaInputError",
                     "AlayaMalformedResponseError", "AlayaNotFoundError", "AlayaProbeError", "AlayaTransportError",
                     "AlayaWaitTimeoutError", "AlayaWriteUncertainError"), "errors"),
    **dict.fromkeys(("Deployment", "DeploymentStatus"), "models"),
    "LoraSpec": "spec",
}

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_WAIT_TIMEOUT",
    "AlayaClient",
    "LoraSpec",
    "BaseDeployment",
    "BaseModelDeployment",
    "BaseModelSpec",
    "BaseSpec",
    "Deployments",
    "Deployment",
    "DeploymentStatus",
    "validate_base_url",
    "validate_seconds",
    "validate_service_id",
    "AlayaError",
    "AlayaInputError",
    "AlayaAPIError",
    "AlayaAuthError",
    "AlayaConflictError",
    "AlayaCreatedNotReadyError",
    "AlayaForbiddenError",
    "AlayaNotFoundError",
    "AlayaTransportError",
    "AlayaMalformedResponseError",
    "AlayaDeploymentFailedError",
    "AlayaWaitTimeoutError",
    "AlayaWriteUncertainError",
    "AlayaProbeError",
]

if not TYPE_CHECKING:  # a module __getattr__ checkers could see would make every misspelt name pass as Any

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value  # looked up once
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
