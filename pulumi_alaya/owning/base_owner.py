"""What owning a base-model deployment means, written once for both Pulumi providers (as ``lora_owner.py``).

Validation before any request; create and wait (a deployment that fails while starting is deleted again, or
named in the error when even that fails; one that outlives the customTimeouts limit is left as it is); a
replacement only when ``vks_id`` or ``namespace`` change (``REPLACED_ON_CHANGE``), every other change an offline
update with restart; read for refresh and ``pulumi import``; delete and wait, the API's JSON 404 = gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..client import AlayaClient, AlayaError, AlayaNotFoundError, BaseDeployment, BaseSpec, validate_seconds
from ..client.errors import AlayaWaitTimeoutError
from .base_inputs import BASE_SPEC_FIELD, BASE_SPEC_INPUTS, REPLACED_ON_CHANGE, base_with_defaults
from .lora_owner import Plan
from .timeouts import Budget

__all__ = ["BaseOwner"]

_SETTINGS = ("wait_until_running", "wait_timeout")


def _spec_values(inputs: dict[str, Any]) -> dict[str, Any]:
    return {BASE_SPEC_FIELD.get(key, key): inputs[key] for key in BASE_SPEC_INPUTS}


def _outputs(deployment: BaseDeployment, inputs: dict[str, Any]) -> dict[str, Any]:
    return {**inputs, **deployment.to_dict()}


class BaseOwner:
    """The rules of owning a base-model deployment, over a client; ``client`` is called for each operation."""

    def __init__(self, client: Callable[[], AlayaClient]) -> None:
        self._client = client

    def check(self, news: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The inputs with their defaults, and every refusal by input name, before any request."""
        inputs = base_with_defaults(news)
        values = _spec_values(inputs)
        failures = {key: BaseSpec.problems(**{field: values[field]}).get(field, "")
                    for key, field in ((k, BASE_SPEC_FIELD.get(k, k)) for k in BASE_SPEC_INPUTS)}
        failures = {key: message for key, message in failures.items() if message}
        try:
            validate_seconds(inputs["wait_timeout"], "wait_timeout")
        except AlayaError as error:
            failures["wait_timeout"] = str(error)
        return inputs, failures

    def create(self, props: dict[str, Any], timeout: float | None = None) -> tuple[str, dict[str, Any]]:
        """Create and wait; the serviceId and the outputs. ``timeout``: the engine's customTimeouts.create."""
        inputs = base_with_defaults(props)
        client = self._client()
        service_id = client.create_base_deployment(BaseSpec.build(**_spec_values(inputs)))
        if not inputs["wait_until_running"]:
            return service_id, _outputs(client.get_base_deployment(service_id), inputs)
        budget = Budget(timeout, inputs["wait_timeout"])
        try:
            deployment = budget.run(lambda seconds: client.get_base_deployment(
                service_id, wait=True, wait_timeout=seconds), service_id, "create")
        except AlayaError as error:  # it never ran: take it away again, it holds GPUs
            if budget.from_engine and isinstance(error, AlayaWaitTimeoutError):
                raise  # the customTimeouts limit: left as it is, named in the error
            try:
                client.delete_base_deployment(service_id)
                left = "it was deleted again"
            except AlayaError:
                left = f"it is left in place: delete it with `alaya base delete {service_id}`"
            raise type(error)(f"{error} (created {service_id} for this resource; {left})",
                              service_id=service_id) from None
        return service_id, _outputs(deployment, inputs)

    def read(self, service_id: str, props: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(outputs, inputs) as the API says now, or None when it is gone. With no properties (``pulumi import``)
        the inputs are the deployment's own, so the program code the engine writes for it matches it."""
        try:
            deployment = self._client().get_base_deployment(service_id)
        except AlayaNotFoundError:
            return None
        inputs = base_with_defaults(props)
        for key in BASE_SPEC_INPUTS:  # what the API says now, so drift shows as a diff on the next up
            value = getattr(deployment, BASE_SPEC_FIELD.get(key, key))
            inputs[key] = list(value) if isinstance(value, tuple) else value
        return _outputs(deployment, inputs), inputs

    def diff(self, olds: dict[str, Any], news: dict[str, Any]) -> Plan:
        old, new = base_with_defaults(olds), base_with_defaults(news)
        changed = [key for key in (*BASE_SPEC_INPUTS, *_SETTINGS) if old[key] != new[key]]
        replaces = [key for key in changed if key in REPLACED_ON_CHANGE]
        # A name is unique in a namespace: moving clusters but keeping the namespace, the old one goes first.
        return Plan(changed, replaces, bool(replaces) and "namespace" not in replaces)

    def update(self, service_id: str, olds: dict[str, Any], news: dict[str, Any],
               timeout: float | None = None) -> dict[str, Any]:
        """The API's offline update (stop, update, start), read back; the new outputs."""
        inputs = base_with_defaults(news)
        budget = Budget(timeout, inputs["wait_timeout"])
        deployment = budget.run(lambda seconds: self._client().update_base_deployment(
            service_id, _spec_values(inputs), restart=True, wait_timeout=seconds), service_id, "update")
        return _outputs(deployment, inputs)

    def delete(self, service_id: str, props: dict[str, Any], timeout: float | None = None) -> None:
        """Delete and, unless waits are off, wait until it is gone; already gone is success. Refused by the API
        while LoRA deployments run on it (the engine deletes those first: they take its serviceId as input)."""
        inputs = base_with_defaults(props)
        client = self._client()
        if client.delete_base_deployment(service_id) and inputs["wait_until_running"]:
            Budget(timeout, inputs["wait_timeout"]).run(
                lambda seconds: client.wait_until_deleted(service_id, seconds), service_id, "delete")
