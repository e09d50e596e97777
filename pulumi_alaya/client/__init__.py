"""The core Alaya client. Standard library and ``requests`` only: the Ansible collection ships a copy of it.

Edit it here, never in the collection: ``scripts/vendor_client.py`` regenerates the copy and its ``--check``
fails CI when the two drift.
"""

from .api import DEFAULT_BASE_URL, AlayaClient, validate_base_url, validate_service_id
from .errors import (
    AlayaAPIError,
    AlayaAuthError,
    AlayaDeploymentFailedError,
    AlayaError,
    AlayaForbiddenError,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaTransportError,
    AlayaWaitTimeoutError,
)
from .models import Deployment, DeploymentStatus

__all__ = [
    "DEFAULT_BASE_URL",
    "AlayaClient",
    "Deployment",
    "DeploymentStatus",
    "validate_base_url",
    "validate_service_id",
    "AlayaError",
    "AlayaInputError",
    "AlayaAPIError",
    "AlayaAuthError",
    "AlayaForbiddenError",
    "AlayaNotFoundError",
    "AlayaTransportError",
    "AlayaMalformedResponseError",
    "AlayaDeploymentFailedError",
    "AlayaWaitTimeoutError",
    "AlayaProbeError",
]
