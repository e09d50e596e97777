"""What owning a deployment means, written once for every kind and every front end that owns deployments (the
Pulumi plugin and dynamic resources, the Terraform provider, the Kubernetes controller).

Validation before any request; create and wait; a create the API accepted is never created again (when the wait
fails the deployment is kept and named, ``CreatedNotReady``, so the front end records it and resumes it); a
replacement or an offline update by the kind's rules (``Kind.offline_opt_in``, each input's ``change``); adoption;
read for refresh and import; delete and wait, the API's JSON 404 = gone. Everything here works on plain snake_case
dicts keyed by the kind's input and output keys; the front ends translate names and wire types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..client import (
    AlayaClient,
    AlayaCreatedNotReadyError,
    AlayaDeploymentFailedError,
    AlayaError,
    AlayaInputError,
    AlayaNotFoundError,
    AlayaWaitTimeoutError,
    Deployment,
    DeploymentStatus,
    validate_seconds,
    validate_service_id,
)
from ..client.declaration import REPLACE, Kind
from ..client.deployments import Deployments
from ..client.errors import describe_service_id
from .defaults import spec_values, with_defaults
from .naming import auto_name, is_auto_name
from .timeouts import Budget

__all__ = ["CreatedNotReady", "Owner", "Plan"]


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a diff decided: the inputs that changed, those that force a replacement, and its order."""

    changed: list[str]
    replaces: list[str]
    delete_before_replace: bool


class CreatedNotReady(AlayaCreatedNotReadyError):
    """A create (or an update) the API accepted whose wait did not end in ``running``; ``outputs`` are what is
    known of the deployment now, for the front end to record (Pulumi's partial create, Terraform's tainted
    state, the controller's status)."""

    def __init__(self, message: str, *, service_id: str, cause: AlayaError, outputs: dict[str, Any],
                 operation: str) -> None:
        super().__init__(message, service_id=service_id, cause=cause)
        self.outputs = outputs
        self.operation = operation


class Owner:
    """The rules of owning ``kind``'s deployments over a client; ``client`` is called for each operation.

    ``keep_unready``: a created deployment whose wait fails is kept and reported as ``CreatedNotReady`` (every
    front end that can record a partial create); False deletes it again before failing (the Pulumi dynamic
    provider, whose protocol cannot record one), naming it when even that fails.
    """

    def __init__(self, kind: Kind, client: Callable[[], AlayaClient], *, keep_unready: bool = True) -> None:
        self.kind = kind
        self._client = client
        self._keep_unready = keep_unready

    def _deployments(self) -> Deployments[Any, Deployment]:
        """The client's calls for this kind (``client.lora_deployments``, ``client.base_model_deployments``)."""
        return self._client().deployments(self.kind)

    # -- before any request ------------------------------------------------------------------------------------
    def check(self, news: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The inputs with their defaults, and every refusal by input key, before any request."""
        inputs = with_defaults(self.kind, news)
        failures: dict[str, str] = {}
        if news.get("adopt_service_id") is not None:
            try:
                validate_service_id(news["adopt_service_id"])
            except AlayaError as error:
                failures["adopt_service_id"] = str(error)
        for item in self.kind.spec_inputs:
            value = inputs[item.key]
            if item.key == "name" and value is None and self.kind.auto_named:
                continue  # made up at create
            try:
                item.checked(value)
            except AlayaError as error:
                failures[item.key] = str(error)
        try:  # an unset one is the declared default, which passes
            validate_seconds(inputs["wait_timeout"], "wait_timeout")
        except AlayaError as error:
            failures["wait_timeout"] = str(error)
        return inputs, failures

    # -- create ------------------------------------------------------------------------------------------------
    def create(self, props: dict[str, Any], timeout: float | None = None) -> tuple[str, dict[str, Any]]:
        """Create (or adopt) and wait; the serviceId and the outputs. ``timeout``: the operation's own limit
        (Pulumi's customTimeouts, Terraform's timeouts block), else ``wait_timeout``."""
        inputs = with_defaults(self.kind, props)
        if inputs.get("adopt_service_id") is not None:
            deployment = self._adopt(inputs)
        else:
            values = spec_values(self.kind, inputs, inputs["name"] or auto_name(inputs["name_prefix"]))
            deployments = self._deployments()
            service_id = deployments.create(deployments.spec(**values))
            deployment = self._settle(service_id, inputs, Budget(timeout, inputs["wait_timeout"]), "create")
        return deployment.service_id, self.outputs(deployment, inputs)

    def _adopt(self, inputs: dict[str, Any]) -> Deployment:
        """Take ownership of an existing deployment that matches the program."""
        service_id = inputs["adopt_service_id"]
        deployment = self._deployments().get(service_id, wait=inputs["wait_until_running"],
                                             wait_timeout=float(inputs["wait_timeout"]))
        differs = self._differences(spec_values(self.kind, inputs, inputs["name"] or deployment.name), deployment)
        if differs:
            raise AlayaInputError(
                f"Deployment {describe_service_id(deployment.service_id)} differs from the program in "
                f"{', '.join(differs)}, so it was not adopted. Make the program match it, then change it.",
                service_id=deployment.service_id)
        return deployment

    def _settle(self, service_id: str, inputs: dict[str, Any], budget: Budget, operation: str) -> Deployment:
        """Wait for a deployment the API has accepted a write for; when it does not come up, never lose it."""
        deployments = self._deployments()
        if not inputs["wait_until_running"]:
            return deployments.get(service_id)
        try:
            return budget.run(lambda seconds: deployments.wait_until_running(service_id, seconds), service_id,
                              operation)
        except AlayaError as error:
            if self._keep_unready or operation != "create":
                raise self._not_ready(service_id, inputs, error, operation) from None
            raise self._deleted_again(service_id, error) from None

    def _not_ready(self, service_id: str, inputs: dict[str, Any], error: AlayaError,
                   operation: str) -> CreatedNotReady:
        try:  # what is known of it now, for the record the front end keeps
            outputs = self.outputs(self._deployments().get(service_id), inputs)
        except AlayaError:
            outputs = {**inputs, "service_id": service_id, "status": getattr(error, "last_status", None) or ""}
            outputs.pop("api_key", None)
        kept = ("was created and is kept (never created twice)" if operation == "create"
                else "did not finish its update and is kept as it is now")
        return CreatedNotReady(
            f"{error.message} The {self.kind.title} {service_id} {kept}: the next run resumes it, or delete it.",
            service_id=service_id, cause=error, outputs=outputs, operation=operation)

    def _deleted_again(self, service_id: str, error: AlayaError) -> AlayaError:
        try:
            self._deployments().delete(service_id)
            left = "it was deleted again"
        except AlayaError:
            left = f"it is left in place: delete it with `alaya {self.kind.command} delete {service_id}`"
        return type(error)(f"{error} (created {service_id} for this resource; {left})", service_id=service_id)

    # -- read, diff, update, delete ----------------------------------------------------------------------------
    def read(self, service_id: str, props: dict[str, Any],
             name_prefix: str | None = None) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(outputs, inputs) as the API says now, or None when it is gone (the front end then drops it).

        With no properties at all (import) the inputs are the deployment's own, name included, so the program
        code written for it matches it exactly; except an auto-name of the resource being imported
        (``name_prefix``, its resource name): a create for it was cut short, and the program that made it sets
        no name, so it is adopted as auto-named, not replaced.
        """
        try:
            deployment = self._deployments().get(service_id)
        except AlayaNotFoundError:
            return None
        inputs = with_defaults(self.kind, props)
        named = inputs.get("name")
        for item in self.kind.spec_inputs:  # what the API says now, so drift shows as a diff on the next run
            value = getattr(deployment, item.spec_field)
            inputs[item.key] = list(value) if isinstance(value, tuple) else value
        if self.kind.auto_named:
            if not props:
                inputs["name"] = None if is_auto_name(deployment.name, name_prefix) else deployment.name
            elif not named:
                inputs["name"] = None
        return self.outputs(deployment, inputs), inputs

    def diff(self, olds: dict[str, Any], news: dict[str, Any]) -> Plan:
        old, new = with_defaults(self.kind, olds), with_defaults(self.kind, news)
        if self.kind.auto_named and old["name"] is None and new["name"] == olds.get("name"):
            old["name"] = new["name"]  # the program now spells out the auto-name the deployment has: no change
        keys = [item.key for item in self.kind.inputs] + ["adopt_service_id"]
        changed = [key for key in keys if old.get(key) != new.get(key)]
        spec_changed = [item.key for item in self.kind.spec_inputs if item.key in changed]
        if self.kind.offline_opt_in:
            in_place = new["offline_update"] and "adopt_service_id" not in changed
            replaces = [] if in_place else spec_changed
        else:
            replaces = [key for key in spec_changed if self.kind.input(key).change == REPLACE]
        replaces += [key for key in ("adopt_service_id",) if key in changed]
        if self._failed_since(olds):  # an earlier run left it failed: a new one, by the same rules as a change
            changed.append("status")
            replaces.append("status")
        explicit_name = bool(new["name"])
        moved_scope = any(key in replaces for key in self.kind.name_unique_in)
        return Plan(changed, replaces, bool(replaces) and explicit_name and not moved_scope)

    def _failed_since(self, olds: dict[str, Any]) -> bool:
        """Whether a deployment the last run did not see running has failed since (asked only then)."""
        status, service_id = olds.get("status"), olds.get("service_id")
        if not service_id or status in (None, "", DeploymentStatus.RUNNING.value):
            return False
        try:
            return self._deployments().get(service_id).status is DeploymentStatus.FAILED
        except AlayaError:
            return False  # the update that follows reads it again and says what is wrong

    def update(self, service_id: str, olds: dict[str, Any], news: dict[str, Any],
               timeout: float | None = None) -> dict[str, Any]:
        """The API's offline update (stop, update, start), read back; the new outputs. With nothing to change
        (an earlier create or update that did not finish) it resumes: it waits for the deployment, writes nothing."""
        inputs = with_defaults(self.kind, news)
        deployments = self._deployments()
        budget = Budget(timeout, inputs["wait_timeout"])
        current = deployments.get(service_id)
        values = spec_values(self.kind, inputs, inputs["name"] or olds.get("name") or current.name)
        if not self._differences(values, current):
            if current.status is DeploymentStatus.FAILED:
                raise AlayaDeploymentFailedError(
                    f"The {self.kind.title} {service_id} is failed; it is kept. Replace it (a new one is created "
                    "first) or delete it.", service_id=service_id, status="failed")
            return self.outputs(self._settle(service_id, inputs, budget, "update"), inputs)
        try:
            deployment = budget.run(lambda seconds: deployments.update(
                service_id, values, restart=True, wait_timeout=seconds, current=current), service_id, "update")
        except (AlayaWaitTimeoutError, AlayaDeploymentFailedError) as error:  # written, then it did not come back
            raise self._not_ready(service_id, inputs, error, "update") from None
        return self.outputs(deployment, inputs)

    def _differences(self, values: dict[str, Any], deployment: Deployment) -> list[str]:
        """The inputs (by their schema names: what a program writes) where ``deployment`` does not match ``values``
        (by the client's field names)."""
        found = []
        for item in self.kind.spec_inputs:
            have, want = getattr(deployment, item.spec_field), values[item.spec_field]
            if isinstance(want, list):
                want = tuple(want)
            if item.default is not None and have is None:
                continue  # not every answer says (a base model's workers); a missing value is no difference
            if have != want:
                found.append(item.wire_name)
        return found

    def delete(self, service_id: str, props: dict[str, Any], timeout: float | None = None) -> None:
        """Delete and, unless waits are off, wait until it is gone; already gone is success."""
        inputs = with_defaults(self.kind, props)
        deployments = self._deployments()
        if deployments.delete(service_id) and inputs["wait_until_running"]:
            Budget(timeout, inputs["wait_timeout"]).run(
                lambda seconds: deployments.wait_until_deleted(service_id, seconds), service_id, "delete")

    def outputs(self, deployment: Deployment, inputs: dict[str, Any]) -> dict[str, Any]:
        outputs = {**inputs, **deployment.to_dict()}
        if self.kind.auto_named:
            outputs["auto_named"] = inputs["name"] is None
        if not inputs["store_api_key"]:
            outputs["api_key"] = None  # not kept in state at all: every front end leaves an unset output out
        return outputs
