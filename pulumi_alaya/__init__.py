"""pulumi-alaya: Alaya NeW serverless LoRA deployments for Pulumi, Ansible and pipelines.

Names resolve lazily (``__version__`` too) so that ``import pulumi_alaya.client`` (the CLI, the Ansible
collection's tests, the emulator) never pays for importing pulumi, and the plugin's start never pays for the
client; type checkers see the real names through the imports below, and
only them (a new public name goes into the imports, ``_LAZY`` and ``__all__``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from .client import AlayaClient, AlayaError, Deployment, DeploymentStatus
    from .dynamic.base_model_deployment import BaseModelDeployment
    from .dynamic.get_lora_deployment import GetLoraDeploymentResult, get_lora_deployment, get_lora_deployment_output
    from .dynamic.lora_deployment import LoraDeployment, LoraDeploymentArgs

_LAZY = {
    "BaseModelDeployment": "pulumi_alaya.dynamic.base_model_deployment",
    "LoraDeployment": "pulumi_alaya.dynamic.lora_deployment",
    "LoraDeploymentArgs": "pulumi_alaya.dynamic.lora_deployment",
    "get_lora_deployment": "pulumi_alaya.dynamic.get_lora_deployment",
    "get_lora_deployment_output": "pulumi_alaya.dynamic.get_lora_deployment",
    "GetLoraDeploymentResult": "pulumi_alaya.dynamic.get_lora_deployment",
    "AlayaClient": "pulumi_alaya.client",
    "Deployment": "pulumi_alaya.client",
    "DeploymentStatus": "pulumi_alaya.client",
    "AlayaError": "pulumi_alaya.client",
}

__all__ = [
    "AlayaClient",
    "AlayaError",
    "BaseModelDeployment",
    "Deployment",
    "DeploymentStatus",
    "GetLoraDeploymentResult",
    "LoraDeployment",
    "LoraDeploymentArgs",
    "get_lora_deployment",
    "get_lora_deployment_output",
]

if not TYPE_CHECKING:  # a module __getattr__ checkers could see would make every misspelt name pass as Any

    def __getattr__(name: str) -> Any:
        if name == "__version__":
            from .client.version import VERSION

            return VERSION
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'pulumi_alaya' has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)
