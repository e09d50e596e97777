"""The dynamic provider behind ``BaseModelDeployment``: a thin adapter over ``owning.Owner``.

The Python SDK's dynamic provider interface passes no operation timeout to ``create``/``update``/``delete``
(pulumi 3.272: ``ResourceProvider.create(props)``), so ``customTimeouts`` cannot reach the wait here: the engine
still stops waiting for the provider at the limit, but the wait itself is bounded by ``wait_timeout``. The
schema-based plugin honours ``customTimeouts`` fully.
"""

from __future__ import annotations

from ..client.kinds import BASE_MODEL
from .owner_provider import OwnerProvider


class OwnedBaseModelDeploymentProvider(OwnerProvider):
    """CRUD for ``pulumi-python:dynamic/alaya:BaseModelDeployment``: the stack owns the base-model deployment."""

    kind = BASE_MODEL
