"""The dynamic provider behind ``LoraDeployment``: it creates, updates and deletes a deployment it owns.

Like ``provider.py`` (the 0.1 tracker, kept so old state still unpickles to a delete that does nothing), this
module must import cleanly in the provider process; credentials come from ``configure()`` into module state.
Every method is a thin call into the core client: the rules (validation, retries, waits) live there.
"""

from __future__ import annotations

import secrets
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from .client import (
    DEFAULT_WAIT_TIMEOUT,
    AlayaError,
    AlayaInputError,
    Deployment,
    LoraSpec,
    validate_service_id,
)
from .client.errors import describe_service_id
from .provider import ConfiguredProvider

# Changing one of these is a new deployment (replace) unless offline_update allows the API's update.
SPEC_INPUTS = ("base_service_id", "model_id", "name", "served_names")
# The resource's input names where they differ from the client's (a list is plural in Pulumi's convention).
INPUT_FOR = {"served_name": "served_names"}
SETTINGS = ("wait_until_running", "wait_timeout", "offline_update", "adopt_service_id", "name_prefix")


def with_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """The inputs with their defaults: the one place that says what an unset input means."""
    return {
        "base_service_id": props.get("base_service_id"),
        "model_id": props.get("model_id"),
        # Outputs carry the API's name; "auto_named" says the program set none (so none to compare against).
        "name": None if props.get("auto_named") else (props.get("name") or None),
        "served_names": list(props.get("served_names") or []),
        "wait_until_running": props.get("wait_until_running") is not False,
        "wait_timeout": props.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT,
        "offline_update": props.get("offline_update") is True,
        "adopt_service_id": props.get("adopt_service_id"),
        "name_prefix": props.get("name_prefix") or "lora",
    }


def _spec(inputs: dict[str, Any], name: str) -> LoraSpec:
    return LoraSpec.build(inputs["base_service_id"], inputs["model_id"], name, inputs["served_names"])


def _auto_name(prefix: str) -> str:
    # Pulumi's auto-naming: a fresh suffix per create, so create-before-delete never collides on the name.
    return f"{prefix[:55].rstrip('-_') or 'lora'}-{secrets.token_hex(4)}"


def _outputs(deployment: Deployment, inputs: dict[str, Any]) -> dict[str, Any]:
    return {**inputs, **deployment.to_dict(), "auto_named": inputs["name"] is None}


class OwnedLoraDeploymentProvider(ConfiguredProvider):
    """CRUD for ``pulumi-python:dynamic/alaya:LoraDeployment`` (0.2): the stack owns the deployment."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = with_defaults(news)
        failures = []
        try:
            if news.get("adopt_service_id") is not None:
                validate_service_id(news["adopt_service_id"])
        except AlayaError as error:
            failures.append(CheckFailure("adopt_service_id", str(error)))
        problems = LoraSpec.problems(base_service_id=inputs["base_service_id"], model_id=inputs["model_id"],
                                     name=inputs["name"] or _auto_name(inputs["name_prefix"]),
                                     served_name=inputs["served_names"])
        failures += [CheckFailure(INPUT_FOR.get(field, field), message) for field, message in problems.items()]
        return CheckResult({**news, **inputs}, failures + self._wait_timeout_failures(news))

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = with_defaults(props)
        if inputs["adopt_service_id"] is not None:
            deployment = self._adopt(inputs)
        else:
            service_id = self._client().create_lora_deployment(
                inputs["base_service_id"], inputs["model_id"], inputs["name"] or _auto_name(inputs["name_prefix"]),
                inputs["served_names"])
            deployment = self._settle(service_id, inputs)
        return CreateResult(id_=deployment.service_id, outs=_outputs(deployment, inputs))

    def _adopt(self, inputs: dict[str, Any]) -> Deployment:
        """Take ownership of an existing deployment that matches the program (``pulumi import`` cannot, #16175)."""
        deployment = self._client().read_deployment(inputs["adopt_service_id"], wait=inputs["wait_until_running"],
                                                     wait_timeout=float(inputs["wait_timeout"]))
        differs = _spec(inputs, inputs["name"] or deployment.name).differences(deployment)
        if differs:
            raise AlayaInputError(
                f"Deployment {describe_service_id(deployment.service_id)} differs from the program in "
                f"{', '.join(differs)}, so it was not adopted. Make the program match it, then change it.",
                service_id=deployment.service_id)
        return deployment

    def _settle(self, service_id: str, inputs: dict[str, Any]) -> Deployment:
        """Wait for a new deployment; if it never runs, delete it, so a failed create leaves nothing behind."""
        client = self._client()
        if not inputs["wait_until_running"]:
            return client.get_deployment(service_id)
        try:
            return client.wait_until_running(service_id, float(inputs["wait_timeout"]))
        except AlayaError as error:
            try:
                client.delete_deployment(service_id)
                left = "it was deleted again"
            except AlayaError:
                left = f"it is left in place: delete it with `alaya lora delete {service_id}`"
            raise type(error)(f"{error} (created {service_id} for this resource; {left})",
                              service_id=service_id) from None

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Refresh and LoraDeployment.get(): an empty id tells the engine the deployment is gone.
        inputs = with_defaults(props)
        deployment = self._get_or_none(id_)
        if deployment is None:
            return ReadResult(id_="", outs={}, inputs={})
        # What the API says now, so drift shows as a diff against the program on the next up.
        inputs.update(base_service_id=deployment.base_service_id, model_id=deployment.model_id,
                      served_names=list(deployment.served_name))
        if inputs["name"]:
            inputs["name"] = deployment.name
        return ReadResult(id_=id_, outs=_outputs(deployment, inputs), inputs=inputs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        old, new = with_defaults(olds), with_defaults(news)
        changed = [key for key in (*SPEC_INPUTS, *SETTINGS) if old[key] != new[key]]
        spec_changed = [key for key in SPEC_INPUTS if key in changed]
        in_place = new["offline_update"] and "adopt_service_id" not in changed
        replaces = [] if in_place else spec_changed + [k for k in ("adopt_service_id",) if k in changed]
        return DiffResult(changes=bool(changed), replaces=replaces,
                          # An explicit name cannot exist twice in a namespace: the old one must go first.
                          delete_before_replace=bool(replaces) and bool(new["name"]))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = with_defaults(news)
        deployment = self._client().update_lora_deployment(
            id_, base_service_id=inputs["base_service_id"], model_id=inputs["model_id"],
            name=inputs["name"] or olds.get("name"), served_name=inputs["served_names"], restart=True,
            wait_timeout=float(inputs["wait_timeout"]))
        return UpdateResult(outs=_outputs(deployment, inputs))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        inputs = with_defaults(props)
        client = self._client()
        if client.delete_deployment(id_) and inputs["wait_until_running"]:
            client.wait_until_deleted(id_, float(inputs["wait_timeout"]))

