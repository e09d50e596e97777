"""One managed resource type (``alaya_lora_deployment``, ``alaya_base_model_deployment``) over the owner of its
kind: the plan (defaults, unknowns, RequiresReplace by the owner's diff), the apply (create/update/delete with
the timeouts block), refresh and import. Values are plain dicts keyed by attribute name (see ``values``).

The owner (``owning.owner_for``) holds every rule; this file only maps Terraform's four phases onto it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..client.declaration import Kind
from ..client.errors import AlayaError
from ..owning import CreatedNotReady, Owner
from . import diagnostics
from . import tfplugin6_pb2 as pb
from .durations import seconds
from .names import TIMEOUTS, type_name
from .schema import attribute_names
from .values import UNKNOWN, is_known, shaped

__all__ = ["Managed", "Outcome"]

# Attributes the API decides that stay what they were across an offline update of the same deployment.
_STABLE = ("id", "service_id")
Outcome = tuple[dict[str, Any] | None, list[pb.Diagnostic]]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class Managed:
    """The Terraform phases of one kind's resource."""

    def __init__(self, kind: Kind, owner: Callable[[], Owner]) -> None:
        self.kind = kind
        self.owner = owner  # built on demand: the provider is configured after the schema is served
        self.type_name = type_name(kind)
        self.names = attribute_names("resources", self.type_name)
        self.inputs = {item.key: item for item in kind.inputs}
        self.spec_keys = tuple(item.key for item in kind.spec_inputs)
        self.computed = tuple(name for name in self.names if name not in self.inputs and name != "timeouts")

    # -- validate ---------------------------------------------------------------------------------------------

    def validate(self, config: dict[str, Any]) -> list[pb.Diagnostic]:
        """Every refused input, at the attribute that holds it, before any request (plan and validate)."""
        known = {key: value for key in self.inputs if (value := config.get(key)) is not None and is_known(value)}
        _, failures = self.owner().check(known)
        found = [diagnostics.attribute_error([key], message) for key, message in failures.items() if key in known]
        for name, _what in TIMEOUTS:
            text = (config.get("timeouts") or {}).get(name)
            if isinstance(text, str):
                try:
                    seconds(text)
                except ValueError as problem:
                    found.append(diagnostics.attribute_error(["timeouts", name], str(problem)))
        return found

    # -- plan ---------------------------------------------------------------------------------------------------

    def plan(self, prior: dict[str, Any] | None, proposed: dict[str, Any] | None,
             ) -> tuple[dict[str, Any] | None, list[pb.AttributePath], list[pb.Diagnostic]]:
        """The planned state and the attributes whose change replaces the deployment."""
        if proposed is None:  # destroy
            return None, [], []
        planned = shaped(proposed, self.names)
        for key, item in self.inputs.items():
            if planned[key] is None and item.default is not None:
                planned[key] = item.default
        if prior is None:  # create: what the API decides is known after apply
            for name in self.computed:
                planned[name] = UNKNOWN
            if planned.get("name") is None:
                planned["name"] = UNKNOWN  # the LoRA's auto-name
            return planned, [], self.validate(planned)
        # The last run's status and id go with the old inputs: a deployment left failed since is replaced.
        olds = {**self._inputs(prior), "status": prior.get("status"), "service_id": prior.get("service_id")}
        plan = self.owner().diff(olds, self._inputs(planned, unknown_differs=True))
        if any(key in self.spec_keys or key == "status" for key in plan.changed):
            for name in self.computed:
                if name not in _STABLE:
                    planned[name] = UNKNOWN
        replaces = [diagnostics.path_of([key]) for key in plan.replaces]
        return planned, replaces, self.validate(planned)

    def _inputs(self, state: dict[str, Any], unknown_differs: bool = False) -> dict[str, Any]:
        """The owner's props from a state; an unknown becomes a value equal to no old one (so: changed)."""
        props = {}
        for key, item in self.inputs.items():
            value = state.get(key)
            if not is_known(value):
                value = [UNKNOWN] if item.kind == "strings" else UNKNOWN
                assert unknown_differs, "a state read back from tofu holds no unknowns"
            props[key] = value
        return props

    # -- apply --------------------------------------------------------------------------------------------------

    def _budget(self, planned: dict[str, Any], operation: str) -> float | None:
        text = (planned.get("timeouts") or {}).get(operation)
        return seconds(text) if isinstance(text, str) else None

    def apply(self, prior: dict[str, Any] | None, planned: dict[str, Any] | None) -> Outcome:
        if planned is None:
            return self._delete(prior or {})
        if prior is None:
            return self._create(planned)
        return self._update(prior, planned)

    def _known_props(self, planned: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in self._inputs(planned, unknown_differs=True).items()
                if is_known(value)}

    def _state(self, service_id: str, outputs: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        """The new state: what was planned where it was known (the API accepted it), the API's word elsewhere."""
        state = shaped(outputs, self.names)
        for name in self.names:
            if name in self.inputs and is_known(planned.get(name)):
                state[name] = planned[name]
        state["id"] = service_id
        state["timeouts"] = planned.get("timeouts")
        return state

    def _create(self, planned: dict[str, Any]) -> Outcome:
        try:
            service_id, outputs = self.owner().create(self._known_props(planned), self._budget(planned, "create"))
        except AlayaError as problem:
            if not problem.service_id:
                return None, [diagnostics.failure(self.kind.title, "create", problem)]
            # The API accepted it, so it exists: keep it in state (tofu marks it tainted: the next apply deletes
            # and creates it again, or `tofu untaint` keeps it), never lost and never created twice.
            known = {name: (value if is_known(value) else None) for name, value in planned.items()}
            outputs = problem.outputs if isinstance(problem, CreatedNotReady) else {}
            state = self._state(problem.service_id, {**known, **outputs, "service_id": problem.service_id}, known)
            return state, [diagnostics.failure(self.kind.title, "create", problem)]
        return self._state(service_id, outputs, planned), []

    def _update(self, prior: dict[str, Any], planned: dict[str, Any]) -> Outcome:
        service_id = str(prior["id"])
        olds, news = self._inputs(prior), self._known_props(planned)
        if not any(olds.get(key) != news.get(key) for key in self.spec_keys):
            # Only the owner's settings or the timeouts changed: nothing to tell the API.
            return {**planned, **{name: prior.get(name) for name in self.computed}}, []
        try:
            outputs = self.owner().update(service_id, olds, news, self._budget(planned, "update"))
        except CreatedNotReady as problem:  # written, then not running in time: recorded as it is now
            return self._state(service_id, problem.outputs, planned), [diagnostics.failure(self.kind.title,
                                                                                          "update", problem)]
        except AlayaError as problem:
            return prior, [diagnostics.failure(self.kind.title, "update", _named(problem, service_id))]
        return self._state(service_id, outputs, planned), []

    def _delete(self, prior: dict[str, Any]) -> Outcome:
        service_id = str(prior.get("id"))
        try:
            self.owner().delete(service_id, self._inputs(prior), self._budget(prior, "delete"))
        except AlayaError as problem:
            return prior, [diagnostics.failure(self.kind.title, "delete", _named(problem, service_id))]
        return None, []

    # -- refresh and import -------------------------------------------------------------------------------------

    def read(self, prior: dict[str, Any]) -> Outcome:
        """The state as the API says now (drift shows in the next plan); None when it is gone (planned again)."""
        service_id = str(prior["id"])
        props = {key: value for key, value in self._inputs(prior).items() if value is not None}
        try:
            found = self.owner().read(service_id, props)
        except AlayaError as problem:
            return prior, [diagnostics.failure(self.kind.title, "read", _named(problem, service_id))]
        if found is None:
            return None, []
        outputs, inputs = found
        state = shaped(outputs, self.names)
        for key in self.inputs:
            value = inputs.get(key)
            # An optional list the configuration leaves unset comes back empty: the same thing, not drift.
            state[key] = prior.get(key) if _empty(value) and prior.get(key) is None else value
        state["id"] = service_id
        state["timeouts"] = prior.get("timeouts")
        return state, []

    def imported(self, service_id: str) -> dict[str, Any]:
        """What ``tofu import`` / an ``import {}`` block starts from: the id alone; ReadResource fills the rest."""
        return {**shaped({}, self.names), "id": service_id}


def _named(problem: AlayaError, service_id: str) -> AlayaError:
    if not problem.service_id:
        problem.service_id = service_id
    return problem
