"""``BaseModelDeployment``: a base-model deployment the stack owns (the service LoRA deployments run on)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..client.kinds import BASE_MODEL
from .base_provider import OwnedBaseModelDeploymentProvider

__all__ = ["BaseModelDeployment"]


class BaseModelDeployment(Resource, module="alaya", name="BaseModelDeployment"):
    """A QuickStart base-model deployment owned by the stack (``pulumi-python:dynamic/alaya:BaseModelDeployment``).

    Pass its ``service_id`` as a ``LoraDeployment``'s ``base_service_id``: the engine then creates it first and
    deletes it last. ``vks_id`` and ``namespace`` replace it; every other input changes offline (stopped,
    updated, started). ``api_key`` is stored as a secret (left out with ``store_api_key=False``). Inputs and their
    rules: ``client/base_model_kind.py``.

    >>> base = BaseModelDeployment("qwen", vks_id="vks-1", namespace="ns-a", name="qwen-base",
    ...                            served_names=["qwen"], model_id="qwen2-7b", backend="vllm",
    ...                            backend_version="0.6.3", cpu="8", mem="32Gi", gpu_type="A100", gpu_count=1)
    """

    service_id: pulumi.Output[str]
    status: pulumi.Output[str]
    service_url: pulumi.Output[str]
    api_key: pulumi.Output[str | None]
    served_name: pulumi.Output[list[str]]
    model: pulumi.Output[str]
    openai_base_url: pulumi.Output[str]
    vks_id: pulumi.Output[str]
    namespace: pulumi.Output[str]
    name: pulumi.Output[str]
    served_names: pulumi.Output[list[str]]
    model_id: pulumi.Output[str]
    backend: pulumi.Output[str]
    backend_version: pulumi.Output[str]
    backend_args: pulumi.Output[list[str]]
    workers: pulumi.Output[int]
    cpu: pulumi.Output[str]
    mem: pulumi.Output[str]
    gpu_type: pulumi.Output[str]
    gpu_count: pulumi.Output[int]
    lora_models: pulumi.Output[list[str]]
    ready_instances: pulumi.Output[int]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, *,
                 vks_id: pulumi.Input[str], namespace: pulumi.Input[str], name: pulumi.Input[str],
                 served_names: pulumi.Input[Sequence[pulumi.Input[str]]], model_id: pulumi.Input[str],
                 backend: pulumi.Input[str], backend_version: pulumi.Input[str], cpu: pulumi.Input[str],
                 mem: pulumi.Input[str], gpu_type: pulumi.Input[str], gpu_count: pulumi.Input[int],
                 backend_args: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
                 workers: pulumi.Input[int] | None = None, wait_until_running: pulumi.Input[bool] | None = None,
                 wait_timeout: pulumi.Input[float] | None = None,
                 store_api_key: pulumi.Input[bool] | None = None) -> None:
        given = dict(vks_id=vks_id, namespace=namespace, name=name, served_names=served_names, model_id=model_id,
                     backend=backend, backend_version=backend_version, backend_args=backend_args, workers=workers,
                     cpu=cpu, mem=mem, gpu_type=gpu_type, gpu_count=gpu_count, wait_until_running=wait_until_running,
                     wait_timeout=wait_timeout, store_api_key=store_api_key)
        assert set(given) == {item.key for item in BASE_MODEL.inputs}  # the one declaration and this signature agree
        props: dict[str, Any] = {**{field.key: None for field in BASE_MODEL.outputs}, **given}
        # api_key exists only as an output, so the engine would store it in plaintext without this.
        secret = pulumi.ResourceOptions(additional_secret_outputs=["api_key"])
        super().__init__(OwnedBaseModelDeploymentProvider(), resource_name, props,
                         pulumi.ResourceOptions.merge(opts, secret))
