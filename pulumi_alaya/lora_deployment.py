"""``LoraDeployment``: track an existing Alaya LoRA deployment and expose its outputs to a Pulumi stack."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .provider import LoraDeploymentProvider

__all__ = ["LoraDeployment", "LoraDeploymentArgs"]

_OUTPUTS = ("status", "service_url", "api_key", "served_name", "model", "base_service_id", "model_id", "name",
            "namespace", "openai_base_url")


class LoraDeploymentArgs:
    """Inputs of ``LoraDeployment``."""

    def __init__(
        self,
        service_id: pulumi.Input[str],
        wait_until_running: pulumi.Input[bool] | None = None,
        wait_timeout: pulumi.Input[float] | None = None,
    ) -> None:
        """
        :param service_id: The deployment's serviceId (from the Alaya console). Changing it replaces the resource.
        :param wait_until_running: Wait on create until the deployment is ``running`` (default true).
        :param wait_timeout: Seconds to wait (default 600).
        """
        self.service_id = service_id
        self.wait_until_running = wait_until_running
        self.wait_timeout = wait_timeout


class LoraDeployment(Resource, module="alaya", name="LoraDeployment"):
    """An existing Alaya NeW LoRA deployment, read into the stack (type ``pulumi-python:dynamic/alaya:LoraDeployment``).

    This resource **tracks, it does not own**: create reads (and waits for ``running``), refresh re-reads,
    and ``pulumi destroy`` only forgets it; the deployment itself is left running.

    Credentials come from stack config ``alaya:accessKey``, ``alaya:secretKey`` (``--secret``) and
    ``alaya:baseUrl``, else ``ALAYA_ACCESS_KEY``/``ALAYA_SECRET_KEY``/``ALAYA_BASE_URL``. ``api_key`` is
    stored as a secret.

    >>> dep = LoraDeployment("chat-lora", service_id="38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
    >>> pulumi.export("url", dep.service_url)
    """

    service_id: pulumi.Output[str]
    wait_until_running: pulumi.Output[bool]
    wait_timeout: pulumi.Output[float]
    status: pulumi.Output[str]
    service_url: pulumi.Output[str]
    api_key: pulumi.Output[str]
    served_name: pulumi.Output[list[str]]
    model: pulumi.Output[str]
    base_service_id: pulumi.Output[str]
    model_id: pulumi.Output[str]
    name: pulumi.Output[str]
    namespace: pulumi.Output[str]
    openai_base_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: LoraDeploymentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        service_id: pulumi.Input[str] | None = None,
        wait_until_running: pulumi.Input[bool] | None = None,
        wait_timeout: pulumi.Input[float] | None = None,
    ) -> None:
        args = args or LoraDeploymentArgs(service_id, wait_until_running, wait_timeout)  # type: ignore[arg-type]
        if args.service_id is None and not (opts and opts.id):
            raise TypeError("LoraDeployment needs service_id")
        props: dict[str, Any] = {
            "service_id": args.service_id,
            "wait_until_running": args.wait_until_running,
            "wait_timeout": args.wait_timeout,
            **dict.fromkeys(_OUTPUTS),
        }
        # api_key exists only as an output, so the engine would store it in plaintext without this.
        secret = pulumi.ResourceOptions(additional_secret_outputs=["api_key"])
        super().__init__(LoraDeploymentProvider(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret))

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> LoraDeployment:
        """Read an existing deployment by serviceId into the stack without tracking it."""
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return LoraDeployment(resource_name, service_id=id, opts=opts)
