"""Data source: read a LoRA deployment without adding a resource to the stack (like pulumi-tls get_public_key)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pulumi

from ..client import DEFAULT_WAIT_TIMEOUT, AlayaError, Deployment
from ..owning.provider_config import client_for, read_settings
from .outputs_generated import LoraDeploymentFields

__all__ = ["GetLoraDeploymentResult", "AwaitableGetLoraDeploymentResult", "get_lora_deployment",
           "get_lora_deployment_output"]


class GetLoraDeploymentResult(LoraDeploymentFields):
    """What ``get_lora_deployment`` returns: the same fields as ``LoraDeployment``'s outputs (``api_key`` a plain str
    from ``get_lora_deployment``, a secret Output from the ``_output`` variant)."""

    def __repr__(self) -> str:
        return f"GetLoraDeploymentResult(service_id={self.service_id!r}, status={self.status!r}, api_key='***')"


class AwaitableGetLoraDeploymentResult(GetLoraDeploymentResult):
    def __await__(self) -> Generator[None, None, GetLoraDeploymentResult]:
        if False:  # pragma: no cover - makes this a generator, as pulumi-tls does
            yield self
        return GetLoraDeploymentResult(**vars(self))


def _read(service_id: str, wait_until_running: bool, wait_timeout: float | None) -> Deployment:
    try:
        client = client_for(read_settings(pulumi.Config("alaya").get))
        return client.lora_deployments.get(service_id, wait=wait_until_running,
                                           wait_timeout=wait_timeout or DEFAULT_WAIT_TIMEOUT)
    except AlayaError as error:
        raise error.with_traceback(None) from None


def get_lora_deployment(service_id: str, wait_until_running: bool = False,
                        wait_timeout: float | None = None) -> AwaitableGetLoraDeploymentResult:
    """Read a LoRA deployment by serviceId, now (no ``opts``: a plain read can depend on nothing; use the
    ``_output`` variant with ``depends_on`` to read after other resources).

    :param service_id: The deployment's serviceId.
    :param wait_until_running: Wait until it is ``running`` first (default false: read as it is).
    :param wait_timeout: Seconds to wait (default 600).
    Credentials: stack config ``alaya:accessKey``/``alaya:secretKey``/``alaya:baseUrl``, else ``ALAYA_*``.
    """
    deployment = _read(service_id, wait_until_running, wait_timeout)
    return AwaitableGetLoraDeploymentResult(**deployment.to_dict())


def get_lora_deployment_output(service_id: pulumi.Input[str], wait_until_running: pulumi.Input[bool] = False,
                               wait_timeout: pulumi.Input[float] | None = None,
                               opts: pulumi.InvokeOutputOptions | None = None,
                               ) -> pulumi.Output[GetLoraDeploymentResult]:
    """Like ``get_lora_deployment`` but takes Inputs and returns ``Output[GetLoraDeploymentResult]``.

    ``result.api_key`` is a secret Output, so ``pulumi.export("key", info.api_key)`` stays encrypted while
    ``info.service_url`` and ``info.model`` stay plain. ``opts.depends_on`` is honoured: the read happens
    after those resources are created (the other invoke options concern providers, which this has none of).
    """

    def read(args: list[Any]) -> GetLoraDeploymentResult:
        fields = _read(args[0], bool(args[1]), args[2]).to_dict()
        fields["api_key"] = pulumi.Output.secret(fields["api_key"])
        return GetLoraDeploymentResult(**fields)

    after = _resources(opts.depends_on if opts is not None else None)
    return pulumi.Output.all(service_id, wait_until_running, wait_timeout, *[r.urn for r in after]).apply(read)


def _resources(depends_on: Any) -> list[pulumi.Resource]:
    if depends_on is None:
        return []
    items = depends_on if isinstance(depends_on, (list, tuple)) else [depends_on]
    if not all(isinstance(item, pulumi.Resource) for item in items):
        raise TypeError("get_lora_deployment_output: opts.depends_on must be resources (Input lists are not "
                        "supported here)")
    return list(items)
