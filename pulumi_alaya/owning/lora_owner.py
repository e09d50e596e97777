"""What owning a LoRA deployment means, written once for both Pulumi providers.

The dynamic resource (``lora_provider.py``) and the schema-based plugin (``plugin/``) are two adapters over
``LoraOwner``: validation before any request, create and wait (a deployment that never runs is deleted again,
or named in the error when even that fails), create-before-delete replacement (delete-before-replace with an
explicit name), offline update with restart, adoption, delete and wait, the API's JSON 404 = gone. Everything
here works on plain snake_case dicts; the adapters translate names and wire types. The client below does the
HTTP, the retries (writes never repeated blindly) and the waits.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Callable
from typing import Any

from ..client import (
    AlayaClient,
    AlayaError,
    AlayaInputError,
    AlayaNotFoundError,
    Deployment,
    LoraSpec,
    validate_seconds,
    validate_service_id,
)
from ..client.errors import AlayaWaitTimeoutError, describe_service_id
from .inputs import INPUT_FOR, SETTINGS, SPEC_INPUTS, with_defaults
from .timeouts import Budget

__all__ = ["LoraOwner", "Plan"]


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a diff decided: the inputs that changed, those that force a replacement, and its order."""

    changed: list[str]
    replaces: list[str]
    delete_before_replace: bool


def _spec(inputs: dict[str, Any], name: str) -> LoraSpec:
    return LoraSpec.build(inputs["base_service_id"], inputs["model_id"], name, inputs["served_names"])


def _auto_stem(prefix: str) -> str:
    return prefix[:55].rstrip("-_") or "lora"


def _auto_name(prefix: str) -> str:
    # Pulumi's auto-naming: a fresh suffix per create, so create-before-delete never collides on the name.
    return f"{_auto_stem(prefix)}-{secrets.token_hex(4)}"


def _is_auto_name(name: str, prefix: str | None) -> bool:
    """Whether ``name`` is what ``_auto_name(prefix)`` makes (a create for that resource named it)."""
    return prefix is not None and re.fullmatch(re.escape(_auto_stem(prefix)) + "-[0-9a-f]{8}", name) is not None


def _outputs(deployment: Deployment, inputs: dict[str, Any]) -> dict[str, Any]:
    outputs = {**inputs, **deployment.to_dict(), "auto_named": inputs["name"] is None}
    if not inputs["store_api_key"]:
        outputs["api_key"] = None  # not kept in state at all: both providers leave an unset output out
    return outputs


class LoraOwner:
    """The rules of owning a deployment, over a client; ``client`` is called for each operation."""

    def __init__(self, client: Callable[[], AlayaClient]) -> None:
        self._client = client

    def check(self, news: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The inputs with their defaults, and every refusal by input name, before any request."""
        inputs = with_defaults(news)
        failures: dict[str, str] = {}
        try:
            if news.get("adopt_service_id") is not None:
                validate_service_id(news["adopt_service_id"])
        except AlayaError as error:
            failures["adopt_service_id"] = str(error)
        problems = LoraSpec.problems(base_service_id=inputs["base_service_id"], model_id=inputs["model_id"],
                                     name=inputs["name"] or _auto_name(inputs["name_prefix"]),
                                     served_name=inputs["served_names"])
        failures.update({INPUT_FOR.get(field, field): message for field, message in problems.items()})
        try:
            if news.get("wait_timeout") is not None:
                validate_seconds(news["wait_timeout"], "wait_timeout")
        except AlayaError as error:
            failures["wait_timeout"] = str(error)
        return inputs, failures

    def create(self, props: dict[str, Any], timeout: float | None = None) -> tuple[str, dict[str, Any]]:
        """Create (or adopt) and wait; the serviceId and the outputs. ``timeout``: customTimeouts.create."""
        inputs = with_defaults(props)
        if inputs["adopt_service_id"] is not None:
            deployment = self._adopt(inputs)
        else:
            service_id = self._client().create_lora_deployment(
                inputs["base_service_id"], inputs["model_id"], inputs["name"] or _auto_name(inputs["name_prefix"]),
                inputs["served_names"])
            deployment = self._settle(service_id, inputs, Budget(timeout, inputs["wait_timeout"]))
        return deployment.service_id, _outputs(deployment, inputs)

    def _adopt(self, inputs: dict[str, Any]) -> Deployment:
        """Take ownership of an existing deployment that matches the program."""
        deployment = self._client().read_deployment(inputs["adopt_service_id"], wait=inputs["wait_until_running"],
                                                     wait_timeout=float(inputs["wait_timeout"]))
        differs = _spec(inputs, inputs["name"] or deployment.name).differences(deployment)
        if differs:
            raise AlayaInputError(
                f"Deployment {describe_service_id(deployment.service_id)} differs from the program in "
                f"{', '.join(differs)}, so it was not adopted. Make the program match it, then change it.",
                service_id=deployment.service_id)
        return deployment

    def _settle(self, service_id: str, inputs: dict[str, Any], budget: Budget) -> Deployment:
        """Wait for a new deployment; if it never runs, delete it, so a failed create leaves nothing behind.
        Past a customTimeouts limit it is left as it is (the error says so): the user bounded the wait only."""
        client = self._client()
        if not inputs["wait_until_running"]:
            return client.get_deployment(service_id)
        try:
            return budget.run(lambda seconds: client.wait_until_running(service_id, seconds), service_id, "create")
        except AlayaError as error:
            if budget.from_engine and isinstance(error, AlayaWaitTimeoutError):
                raise
            try:
                client.delete_deployment(service_id)
                left = "it was deleted again"
            except AlayaError:
                left = f"it is left in place: delete it with `alaya lora delete {service_id}`"
            raise type(error)(f"{error} (created {service_id} for this resource; {left})",
                              service_id=service_id) from None

    def read(self, service_id: str, props: dict[str, Any],
             name_prefix: str | None = None) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(outputs, inputs) as the API says now, or None when it is gone (the engine then drops it).

        With no properties at all (``pulumi import``) the inputs are the deployment's own, name included, so the
        program code the engine writes for it matches it exactly; except a name of the auto-name's form for the
        resource being imported (``name_prefix``, its resource name): a create for it was cut short (a killed
        ``pulumi up``), and the program that made it sets no name, so it is adopted as auto-named, not replaced.
        """
        try:
            deployment = self._client().get_deployment(service_id)
        except AlayaNotFoundError:
            return None
        inputs = with_defaults(props)
        # What the API says now, so drift shows as a diff against the program on the next up.
        inputs.update(base_service_id=deployment.base_service_id, model_id=deployment.model_id,
                      served_names=list(deployment.served_name))
        if not props:
            inputs["name"] = None if _is_auto_name(deployment.name, name_prefix) else deployment.name
        elif inputs["name"]:
            inputs["name"] = deployment.name
        return _outputs(deployment, inputs), inputs

    def diff(self, olds: dict[str, Any], news: dict[str, Any]) -> Plan:
        old, new = with_defaults(olds), with_defaults(news)
        if old["name"] is None and new["name"] == olds.get("name"):
            old["name"] = new["name"]  # the program now spells out the auto-name the deployment has: no change
        changed = [key for key in (*SPEC_INPUTS, *SETTINGS) if old[key] != new[key]]
        spec_changed = [key for key in SPEC_INPUTS if key in changed]
        in_place = new["offline_update"] and "adopt_service_id" not in changed
        replaces = [] if in_place else spec_changed + [k for k in ("adopt_service_id",) if k in changed]
        # An explicit name cannot exist twice in a namespace: the old one must go first.
        return Plan(changed, replaces, bool(replaces) and bool(new["name"]))

    def update(self, service_id: str, olds: dict[str, Any], news: dict[str, Any],
               timeout: float | None = None) -> dict[str, Any]:
        """The API's offline update (stop, update, start), read back; the new outputs."""
        inputs = with_defaults(news)
        deployment = Budget(timeout, inputs["wait_timeout"]).run(lambda seconds: self._client().update_lora_deployment(
            service_id, base_service_id=inputs["base_service_id"], model_id=inputs["model_id"],
            name=inputs["name"] or olds.get("name"), served_name=inputs["served_names"], restart=True,
            wait_timeout=seconds), service_id, "update")
        return _outputs(deployment, inputs)

    def delete(self, service_id: str, props: dict[str, Any], timeout: float | None = None) -> None:
        """Delete and, unless waits are off, wait until it is gone; already gone is success."""
        inputs = with_defaults(props)
        client = self._client()
        if client.delete_deployment(service_id) and inputs["wait_until_running"]:
            Budget(timeout, inputs["wait_timeout"]).run(
                lambda seconds: client.wait_until_deleted(service_id, seconds), service_id, "delete")
