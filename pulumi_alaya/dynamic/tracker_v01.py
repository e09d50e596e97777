"""The 0.1 tracker of an existing deployment, kept only so that stacks made with 0.1 still load.

Their state pickles ``pulumi_alaya.provider.LoraDeploymentProvider`` by reference; that path is a one-line
alias of this module. Removing such a resource from a stack never deletes the deployment.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..client import DEFAULT_WAIT_TIMEOUT, AlayaError, Deployment, validate_service_id
from .configured_provider import ConfiguredProvider

_INPUTS = ("service_id", "wait_until_running", "wait_timeout")


def _with_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """The resource's inputs with their defaults: the one place that says what an unset input means."""
    return {
        "service_id": props.get("service_id"),
        "wait_until_running": props.get("wait_until_running") is not False,
        "wait_timeout": props.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT,
    }


def _outputs_for(deployment: Deployment, inputs: dict[str, Any]) -> dict[str, Any]:
    return {**{key: inputs.get(key) for key in _INPUTS}, **deployment.to_dict()}


class LoraDeploymentProvider(ConfiguredProvider):
    """The 0.1 tracker of an existing deployment. ``LoraDeployment`` now owns what it creates; this class stays
    so that stacks created with 0.1 unpickle their ``__provider`` to it and its ``delete`` keeps doing nothing
    (removing a tracked deployment from a stack must never delete it)."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # Called on preview and up before anything else: refuse bad input before any request.
        inputs = {**news, **_with_defaults(news)}
        failures = []
        try:
            validate_service_id(news.get("service_id"))
        except AlayaError as error:
            failures.append(CheckFailure("service_id", str(error)))
        return CheckResult(inputs, failures + self._wait_timeout_failures(news))

    def _read(self, service_id: str, inputs: dict[str, Any]) -> Deployment:
        settings = _with_defaults(inputs)
        try:
            return self._client().lora_deployments.get(
                service_id, wait=settings["wait_until_running"], wait_timeout=float(settings["wait_timeout"])
            )
        except AlayaError as error:
            # The engine shows the exception's last line: keep it the client's one-line message.
            raise error.with_traceback(None) from None

    def create(self, props: dict[str, Any]) -> CreateResult:
        # Called on `pulumi up` for a new resource: start tracking; the id is the serviceId.
        deployment = self._read(props["service_id"], props)
        return CreateResult(id_=deployment.service_id, outs=_outputs_for(deployment, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Called on refresh and on LoraDeployment.get(): an empty id tells the engine the deployment is gone.
        inputs = _with_defaults(props)
        inputs["service_id"] = inputs["service_id"] or id_
        deployment = self._get_or_none(id_)
        if deployment is None:
            return ReadResult(id_="", outs={}, inputs={})
        return ReadResult(id_=id_, outs=_outputs_for(deployment, inputs), inputs=inputs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Only the tracked serviceId matters; without this, the re-pickled provider would show as a change.
        replace = olds.get("service_id") != news.get("service_id")
        return DiffResult(changes=replace, replaces=["service_id"] if replace else [], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only reached when the engine decides to update anyway: re-read.
        return UpdateResult(outs=_outputs_for(self._read(news["service_id"], news), news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        # Deliberately nothing: this resource tracks a deployment; removing it from a stack must not delete it.
        return None
