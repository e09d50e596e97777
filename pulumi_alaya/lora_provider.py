"""Alias kept for 0.2/0.3 stacks, whose state pickles ``pulumi_alaya.lora_provider.OwnedLoraDeploymentProvider``."""
from .dynamic.lora_provider import OwnedLoraDeploymentProvider  # noqa: F401
