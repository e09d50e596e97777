"""pulumi-alaya: Alaya NeW serverless LoRA deployments for Pulumi, Ansible and pipelines.

Names resolve lazily so that ``import pulumi_alaya.client`` (the CLI, the Ansible collection's tests, the
emulator) never pays for importing pulumi.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

_LAZY = {
    "LoraDeployment": "pulumi_alaya.lora_deployment",
    "LoraDeploymentArgs": "pulumi_alaya.lora_deployment",
    "get_lora_deployment": "pulumi_alaya.get_lora_deployment",
    "get_lora_deployment_output": "pulumi_alaya.get_lora_deployment",
    "GetLoraDeploymentResult": "pulumi_alaya.get_lora_deployment",
    "AlayaClient": "pulumi_alaya.client",
    "Deployment": "pulumi_alaya.client",
    "DeploymentStatus": "pulumi_alaya.client",
    "AlayaError": "pulumi_alaya.client",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_alaya' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
