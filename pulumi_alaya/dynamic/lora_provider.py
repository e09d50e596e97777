"""The dynamic provider behind ``LoraDeployment``: a thin adapter over ``owning.Owner``.

Like ``tracker_v01.py`` (the 0.1 tracker, kept so old state still unpickles to a delete that does nothing),
this module must import cleanly in the provider process; credentials come from ``configure()`` into module
state. The rules of owning a deployment live in ``owning/``, shared with the schema-based plugin; the CRUD
calls in ``owner_provider.py``, shared with the base-model provider.
"""

from __future__ import annotations

from ..client.kinds import LORA
from .owner_provider import OwnerProvider


class OwnedLoraDeploymentProvider(OwnerProvider):
    """CRUD for ``pulumi-python:dynamic/alaya:LoraDeployment`` (0.2): the stack owns the deployment."""

    kind = LORA
