"""The core Alaya client. Standard library and ``requests`` only: the Ansible collection ships a copy of it.

Edit it here, never in the collection: ``scripts/vendor_client.py`` regenerates the copy and its ``--check``
fails CI when the two drift.
"""

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
