"""What owning a deployment means, written once for both Pulumi providers (the dynamic one and the plugin).

``inputs``: the resource's inputs and their defaults; ``lora_owner``: create, wait, replace, update, adopt,
delete; ``provider_config``: the provider's settings (``alaya:*`` config, ``ALAYA_*`` fallbacks).
"""

from .inputs import INPUTS, SPEC_INPUTS, ResourceInput, with_defaults
from .lora_owner import LoraOwner, Plan

__all__ = ["INPUTS", "SPEC_INPUTS", "LoraOwner", "Plan", "ResourceInput", "with_defaults"]
