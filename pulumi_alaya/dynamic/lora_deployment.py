"""``LoraDeployment``: a LoRA deployment the stack owns (created by ``up``, deleted by ``destroy``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource

from ..client.models import OUTPUT_FIELDS
from .lora_provider import OwnedLoraDeploymentProvider
from .outputs_generated import LoraDeploymentOutputs

__all__ = ["LoraDeployment", "LoraDeploymentArgs", "LoraDeploymentUsageError"]

MOVED = ("LoraDeployment creates and owns a deployment since pulumi-alaya 0.2; to read an existing one by "
         "serviceId use alaya.LoraDeployment.get(name, service_id) or alaya.get_lora_deployment_output("
         "service_id=...), or adopt it with LoraDeployment(..., adopt_service_id=...)")


class LoraDeploymentUsageError(pulumi.RunError, TypeError):
    """A wrong way to build ``LoraDeployment``: a RunError, so ``pulumi up`` shows one line, not a traceback."""


class LoraDeploymentArgs:
    """Inputs of ``LoraDeployment``."""

    def __init__(
        self,
        base_service_id: pulumi.Input[str],
        model_id: pulumi.Input[str],
        served_names: pulumi.Input[Sequence[pulumi.Input[str]]],
        name: pulumi.Input[str] | None = None,
        wait_until_running: pulumi.Input[bool] | None = None,
        wait_timeout: pulumi.Input[float] | None = None,
        offline_update: pulumi.Input[bool] | None = None,
        adopt_service_id: pulumi.Input[str] | None = None,
        store_api_key: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param base_service_id: serviceId of the running base-model deployment the LoRA goes on.
        :param model_id: The LoRA model to deploy.
        :param served_names: Names a chat request may put in ``model`` (the first is the ``model`` output).
        :param name: Display name, unique in the base service's namespace. Default: the resource name plus a
               random suffix, so a replacement can be created before the old deployment is deleted.
        :param wait_until_running: Wait after create/update until ``running``, and after delete until gone
               (default true).
        :param wait_timeout: Seconds each wait may take (default 600).
        :param offline_update: Apply changes with the API's offline update (stop, update, start: the served
               model is away meanwhile) instead of a replacement (default false: a new deployment is created
               first, then the old one deleted, so the model never disappears; its serviceUrl/apiKey change).
        :param adopt_service_id: Take ownership of this existing deployment instead of creating one; it must
               match the other inputs (``pulumi import`` cannot adopt dynamic resources, pulumi/pulumi#16175).
        :param store_api_key: Keep the apiKey in the stack's state as ``api_key`` (default true, encrypted). False
               when something else delivers the key (External Secrets Operator): ``api_key`` is then absent.
        """
        self.base_service_id = base_service_id
        self.model_id = model_id
        self.served_names = served_names
        self.name = name
        self.wait_until_running = wait_until_running
        self.wait_timeout = wait_timeout
        self.offline_update = offline_update
        self.adopt_service_id = adopt_service_id
        self.store_api_key = store_api_key


class LoraDeployment(Resource, LoraDeploymentOutputs, module="alaya", name="LoraDeployment"):
    """A LoRA deployment owned by the stack (type ``pulumi-python:dynamic/alaya:LoraDeployment``).

    ``pulumi up`` creates it on a running base-model service and waits until it runs; a change to
    ``base_service_id``, ``model_id``, ``served_names`` or ``name`` is a replacement (create-before-delete)
    unless ``offline_update`` is set; ``pulumi destroy`` deletes it. ``api_key`` is stored as a secret.

    >>> lora = LoraDeployment("chat", base_service_id=base_id, model_id="my-lora", served_names=["chat"])
    >>> pulumi.export("url", lora.openai_base_url)

    Read one you do not own with ``LoraDeployment.get(name, service_id)`` or ``get_lora_deployment_output``.
    """

    # The inputs it keeps as outputs too; the deployment's own fields come from LoraDeploymentOutputs (generated).
    served_names: pulumi.Output[list[str]]
    wait_until_running: pulumi.Output[bool]
    wait_timeout: pulumi.Output[float]
    offline_update: pulumi.Output[bool]
    adopt_service_id: pulumi.Output[str | None]
    store_api_key: pulumi.Output[bool]

    # Two ways to call it, as Pulumi's generated SDKs have: an args object, or keywords with the required inputs
    # required, so that LoraDeployment("x") or a misspelt input fails type checking, not only ``pulumi up``.
    @overload
    def __init__(self, resource_name: str, args: LoraDeploymentArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        base_service_id: pulumi.Input[str],
        model_id: pulumi.Input[str],
        served_names: pulumi.Input[Sequence[pulumi.Input[str]]],
        name: pulumi.Input[str] | None = None,
        wait_until_running: pulumi.Input[bool] | None = None,
        wait_timeout: pulumi.Input[float] | None = None,
        offline_update: pulumi.Input[bool] | None = None,
        adopt_service_id: pulumi.Input[str] | None = None,
        store_api_key: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        if args and isinstance(args[0], pulumi.ResourceOptions):  # the keyword form's opts, given positionally
            args = (None, *args)
        self._init(resource_name, *args, **kwargs)

    def _init(self, resource_name: str, args: LoraDeploymentArgs | None = None,
              opts: pulumi.ResourceOptions | None = None, *, service_id: object = None, **inputs: Any) -> None:
        # ``inputs``: the keyword form's inputs, as the overload above names them. ``service_id``: 0.1's tracking
        # argument, in no overload (so checkers flag it), refused here with the way to do it now.
        if service_id is not None:
            raise LoraDeploymentUsageError(MOVED)
        reading = opts is not None and opts.id is not None
        if args is None:
            if not reading and any(inputs.get(key) is None for key in ("base_service_id", "model_id", "served_names")):
                raise LoraDeploymentUsageError("LoraDeployment needs base_service_id, model_id and served_names. "
                                               + MOVED)
            try:
                args = LoraDeploymentArgs(**{"base_service_id": None, "model_id": None, "served_names": None,
                                             **inputs})
            except TypeError as error:  # a misspelt input: one line, not the constructor's traceback
                raise LoraDeploymentUsageError(f"LoraDeployment: {error}") from None
        props: dict[str, Any] = {**dict.fromkeys(OUTPUT_FIELDS), **vars(args), "name_prefix": resource_name}
        # api_key exists only as an output, so the engine would store it in plaintext without this.
        secret = pulumi.ResourceOptions(additional_secret_outputs=["api_key"])
        super().__init__(OwnedLoraDeploymentProvider(), resource_name, props,
                         pulumi.ResourceOptions.merge(opts, secret))

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> LoraDeployment:
        """Read an existing deployment by serviceId into the stack; it is not owned, so never deleted."""
        # Reading by id takes no inputs, which the overloads (written for users) rightly refuse.
        lora = LoraDeployment.__new__(LoraDeployment)
        lora._init(resource_name, opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)))
        return lora
