"""What owning a deployment means, written once for both Pulumi providers (the dynamic one and the plugin).

``inputs``/``base_inputs``: the resources' inputs and their defaults; ``lora_owner``/``base_owner``: create,
wait, replace, update, adopt, delete; ``timeouts``: customTimeouts or waitTimeout;
``provider_config``: the provider's settings (``alaya:*`` config, ``ALAYA_*`` fallbacks).
"""

from collections.abc import Callable

from ..client import AlayaClient
from ..client.declaration import Kind
from .base_inputs import BASE_INPUTS, base_with_defaults
from .base_owner import BaseOwner
from .inputs import INPUTS, SPEC_INPUTS, ResourceInput, with_defaults
from .lora_owner import LoraOwner, Plan
from .timeouts import Budget

_OWNERS: dict[str, type[LoraOwner] | type[BaseOwner]] = {"lora": LoraOwner, "base_model": BaseOwner}


def owner_for(kind: Kind, client: Callable[[], AlayaClient]) -> LoraOwner | BaseOwner:
    """The owner of ``kind``'s deployments over ``client`` (called once per operation): check, create, read,
    diff, update, delete, with the same rules on every surface that owns deployments."""
    return _OWNERS[kind.name](client)

__all__ = ["BASE_INPUTS", "INPUTS", "SPEC_INPUTS", "BaseOwner", "Budget", "LoraOwner", "Plan", "ResourceInput",
           "base_with_defaults", "owner_for", "with_defaults"]
