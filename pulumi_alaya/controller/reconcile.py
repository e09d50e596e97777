"""One reconcile step of one resource, over ``owning.owner_for`` (the rules Pulumi uses) and the Kubernetes API.

A step reads the object fresh, decides one thing, records it on the object, and says when to look again; it
never blocks on a deployment starting (the next step reads it again). Never twice, never lost: before the one
POST of a create, the intent is saved on the object by a patch that fails when the object is stale (as
Crossplane's external-create-pending); the serviceId is saved right after the answer. A restart that finds an
intent without a serviceId does not create again: it stalls, naming the deployment to check.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from typing import Any

from ..client import AlayaClient, AlayaError
from ..client.errors import (
    AlayaAuthError,
    AlayaConflictError,
    AlayaForbiddenError,
    AlayaNotFoundError,
    AlayaWriteUncertainError,
)
from ..owning import owner_for
from ..owning.timeouts import wait_timeout_passed
from .kube import Conflict, Kube
from .references import resolve
from .resource import CREATE_PENDING, resource_for
from .status import Outcome, condition, conditions, now, seconds_since, secret_data, secret_object
from .step import Step

__all__ = ["Reconciler"]

POLL = 1.0  # seconds between reads of a deployment that is starting or being deleted
RETRY = 10.0  # seconds before another try after an API error
Events = Callable[[dict[str, Any], str, str, str], None]  # (object, Normal|Warning, reason, message)


class Reconciler:
    def __init__(self, kube: Kube, client: Callable[[], AlayaClient], events: Events,
                 on_auth_error: Callable[[], None] = lambda: None) -> None:
        self.kube = kube
        self.client = client
        self.events = events
        self.on_auth_error = on_auth_error
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, uid: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(uid, threading.Lock())

    def forget(self, uid: str) -> None:
        with self._guard:
            self._locks.pop(uid, None)

    # -- the step ---------------------------------------------------------------------------------------------

    def step(self, kind: str, namespace: str, name: str) -> float | None:
        """Reconcile the object once; seconds until the next step (None: it is gone)."""
        resource = resource_for(kind)
        obj = self.kube.get(resource.path(namespace, name))
        if obj is None or obj["metadata"].get("deletionTimestamp"):
            return None
        with self.lock(obj["metadata"]["uid"]):
            step = Step(resource, obj)
            try:
                outcome = self._decide(step)
            except Conflict:
                return 0.0  # the object changed under us: read it again
            except AlayaError as error:
                outcome = self._api_error(step, error)
            self._write_status(step, outcome)
            return outcome.again

    def _api_error(self, step: Step, error: AlayaError) -> Outcome:
        if isinstance(error, (AlayaAuthError, AlayaForbiddenError)):
            self.on_auth_error()
            return Outcome("stalled", "Unauthorized", f"the Alaya API refused the controller's credentials: "
                           f"{error} Check ALAYA_ACCESS_KEY/ALAYA_SECRET_KEY or --credentials-secret.", 60.0)
        return Outcome("reconciling", "APIError", f"{error} Retrying.", RETRY)

    def _decide(self, step: Step) -> Outcome:
        if self.spec_policy(step) == "Observe":
            return self._observe(step)
        waiting = resolve(self.kube, step.resource, step.obj, step.props)
        if waiting is not None:
            return waiting
        problems = self._problems(step)
        if problems:
            message = "; ".join(f"spec.{field}: {text}" for field, text in problems.items())
            if condition(step.obj, "Stalled").get("message") != message:
                self.events(step.obj, "Warning", "InvalidSpec", message)
            return Outcome("stalled", "InvalidSpec", message + " Nothing was sent to the Alaya API.", step.resync)
        pending = step.pending
        if pending and not step.spec.get("adoptServiceId"):
            recorded = step.status.get("replacementServiceId" if pending.get("role") == "replacement" else "serviceId")
            if not recorded:
                return Outcome("stalled", "CreatePending", (
                    f"a create of the deployment named {pending.get('name')} was sent at {pending.get('at')} "
                    f"and its answer was never recorded, so it is not sent again: check the Alaya console for it, "
                    f"then set spec.adoptServiceId to its serviceId, or remove the annotation {CREATE_PENDING} "
                    f"if it does not exist"), step.resync)
            self.kube.patch_object(step.path, {"metadata": {"annotations": {CREATE_PENDING: None}}})
        if not step.status.get("serviceId"):
            return self._without_deployment(step)
        return self._with_deployment(step)

    @staticmethod
    def spec_policy(step: Step) -> str:
        return str(step.spec.get("managementPolicy") or "Manage")

    def _problems(self, step: Step) -> dict[str, str]:
        """Refusals the CRD's schema cannot express (kind.problems, the owner's check), by spec field."""
        owner = owner_for(step.resource.kind, self.client)
        found = dict(step.resource.kind.problems(step.props))
        _, failures = owner.check({**step.props, "name": step.props.get("name") or step.meta["name"]})
        found.update({key: text for key, text in failures.items() if key not in found})
        return {step.resource.wire_name(key): text for key, text in found.items()}

    # -- no deployment yet: adopt or create ---------------------------------------------------------------------

    def _without_deployment(self, step: Step) -> Outcome:
        owner = owner_for(step.resource.kind, self.client)
        deleting = step.status.get("deletingServiceId")
        if deleting:  # a replacement that must delete first (the name is taken until the old one is gone)
            if owner.read(deleting, {}) is not None:
                return Outcome("reconciling", "Replacing", f"waiting for the old deployment {deleting} to be "
                               "deleted before its replacement is created (its name is taken until then)", POLL)
            step.status["deletingServiceId"] = None
        adopt = step.spec.get("adoptServiceId")
        if adopt:
            found = owner.read(adopt, step.props)
            if found is None:
                return Outcome("stalled", "AdoptNotFound", f"deployment {adopt} (spec.adoptServiceId) does not "
                               "exist", step.resync)
            plan = owner.diff(found[1], step.props)
            differs = [step.resource.wire_name(key) for key in plan.changed if step.resource.kind.input(key).is_spec]
            if differs:
                return Outcome("stalled", "AdoptMismatch", f"deployment {adopt} differs from the spec in "
                               f"{', '.join(differs)}, so it was not adopted: make the spec match it", step.resync)
            self.kube.patch_status(step.path, {"serviceId": adopt, "rotationToken": step.rotation})
            self.kube.patch_object(step.path, {"metadata": {"annotations": {CREATE_PENDING: None}}})
            self.events(step.obj, "Normal", "Adopted", f"took over deployment {adopt}")
            step.status.update(serviceId=adopt, rotationToken=step.rotation)
            return Outcome("reconciling", "Adopted", f"adopted deployment {adopt}", 0.0)
        return self._create(step, "create")

    def _create(self, step: Step, role: str) -> Outcome:
        """The one POST: the intent saved first (a stale object refuses it), the serviceId right after."""
        owner = owner_for(step.resource.kind, self.client)
        name = step.props.get("name") or f"{step.meta['name'][:55].rstrip('-_.')}-{secrets.token_hex(4)}"
        intent = json.dumps({"name": name, "role": role, "at": now()})
        self.kube.patch_object(step.path, {"metadata": {"resourceVersion": step.meta["resourceVersion"],
                                                        "annotations": {CREATE_PENDING: intent}}})
        field = "replacementServiceId" if role == "replacement" else "serviceId"
        try:
            service_id, _ = owner.create({**step.props, "name": name, "wait_until_running": False})
        except AlayaWriteUncertainError:
            raise  # the intent stays: the next step stalls, naming the deployment
        except AlayaError as error:
            if not error.service_id:  # refused, nothing was made: the intent goes
                self.kube.patch_object(step.path, {"metadata": {"annotations": {CREATE_PENDING: None}}})
                raise
            service_id = error.service_id  # made, but what followed failed: keep it, never create it again
        self.kube.patch_status(step.path, {field: service_id, "name": name,
                                           **({"rotationToken": step.rotation} if role == "create" else {})})
        self.kube.patch_object(step.path, {"metadata": {"annotations": {CREATE_PENDING: None}}})
        step.status.update({field: service_id, "name": name})
        if role == "create":
            step.status["rotationToken"] = step.rotation
        self.events(step.obj, "Normal", "Created", f"created deployment {service_id} ({name})")
        return Outcome("reconciling", "Creating", f"created deployment {service_id}; waiting for it to run", POLL)

    # -- a deployment exists --------------------------------------------------------------------------------

    def _with_deployment(self, step: Step) -> Outcome:
        owner = owner_for(step.resource.kind, self.client)
        service_id = step.status["serviceId"]
        found = owner.read(service_id, step.props)
        if found is None:
            self.events(step.obj, "Warning", "DeploymentGone",
                        f"deployment {service_id} was deleted outside the controller; creating a new one")
            step.status.update(serviceId=None, name=None)
            self.kube.patch_status(step.path, {"serviceId": None, "name": None})
            return Outcome("reconciling", "Recreating", f"deployment {service_id} is gone; creating a new one", 0.0)
        outputs, current = found
        replacement = step.status.get("replacementServiceId")
        if replacement:
            return self._replacement(step, replacement, service_id)
        plan = owner.diff(current, step.props)
        changed = [key for key in plan.changed if step.resource.kind.input(key).is_spec]
        rotate = step.rotation != str(step.status.get("rotationToken") or "")
        if changed or rotate:
            return self._change(step, service_id, changed, plan.replaces, plan.delete_before_replace, rotate)
        return self._settled(step, outputs)

    def _settled(self, step: Step, outputs: dict[str, Any]) -> Outcome:
        """Nothing to change: report where the deployment stands; write the Secret once it runs."""
        service_id, state = outputs["service_id"], str(outputs.get("status"))
        step.status.update(serviceUrl=outputs.get("service_url"), model=outputs.get("model"), alayaStatus=state)
        if state == "running":
            self._write_secret(step, outputs)
            return Outcome("ready", "Running", f"deployment {service_id} is running", step.resync)
        if state in ("failed", "stopped"):
            return Outcome("stalled", "DeploymentFailed", f"deployment {service_id} is {state}: change the spec or "
                           "spec.rotationToken to replace it, or delete the resource", step.resync)
        return self._waiting(step, f"deployment {service_id}", state)

    def _waiting(self, step: Step, what: str, state: str, serving: str = "", reason: str = "Waiting") -> Outcome:
        """Reconciling while ``what`` starts; Stalled once it has been longer than spec.waitTimeout since the
        resource began reconciling (it is still read every resyncInterval, and becomes Ready if it runs)."""
        limit = float(step.props.get("wait_timeout", step.resource.kind.input("wait_timeout").default))
        reconciling, stalled = condition(step.obj, "Reconciling"), condition(step.obj, "Stalled")
        since = reconciling.get("lastTransitionTime") if reconciling.get("status") == "True" else None
        timed_out = stalled.get("status") == "True" and stalled.get("reason") == "WaitTimeout"
        if timed_out or (since and seconds_since(since) > limit):
            message = (f"{what} is still {state}: {wait_timeout_passed(limit)} It is read again every "
                       f"resyncInterval; delete the resource, or change spec.rotationToken to replace it{serving}")
            if not timed_out:
                self.events(step.obj, "Warning", "WaitTimeout", message)
            return Outcome("stalled", "WaitTimeout", message, step.resync)
        return Outcome("reconciling", reason, f"waiting for {what} to run (it is {state}){serving}", POLL)

    def _change(self, step: Step, service_id: str, changed: list[str], replaces: list[str], delete_first: bool,
                rotate: bool) -> Outcome:
        owner = owner_for(step.resource.kind, self.client)
        fields = ", ".join(step.resource.wire_name(key) for key in changed) or "rotationToken"
        drift = step.meta.get("generation") == step.status.get("observedGeneration") and not rotate
        if drift:
            self.events(step.obj, "Warning", "Drift", f"deployment {service_id} was changed outside the controller "
                        f"({fields}); correcting it")
        if rotate or replaces:
            explicit_name = not step.resource.kind.auto_named or bool(step.props.get("name"))
            if delete_first or (rotate and not replaces and explicit_name):
                self._delete(step, service_id)
                step.status.update(serviceId=None, deletingServiceId=service_id)
                self.kube.patch_status(step.path, {"serviceId": None, "deletingServiceId": service_id})
                return Outcome("reconciling", "Replacing", f"{fields} changed: deleting deployment {service_id} "
                               "first (a new one cannot have its name meanwhile)", POLL)
            return self._create(step, "replacement")
        outputs = owner.update(service_id, self._olds(step, service_id), step.props)
        self.events(step.obj, "Normal", "Updated", f"updated deployment {service_id} offline ({fields})")
        return self._settled(step, outputs)

    def _olds(self, step: Step, service_id: str) -> dict[str, Any]:
        found = owner_for(step.resource.kind, self.client).read(service_id, step.props)
        return found[1] if found else step.props

    def _replacement(self, step: Step, replacement: str, old: str) -> Outcome:
        owner = owner_for(step.resource.kind, self.client)
        found = owner.read(replacement, step.props)
        if found is None:
            step.status["replacementServiceId"] = None
            self.kube.patch_status(step.path, {"replacementServiceId": None})
            return Outcome("reconciling", "Replacing", f"replacement {replacement} is gone; starting over", 0.0)
        outputs = found[0]
        state = str(outputs.get("status"))
        if state in ("failed", "stopped"):
            return Outcome("stalled", "ReplacementFailed", f"the replacement deployment {replacement} is {state}; "
                           f"{old} still serves the Secret", step.resync)
        if state != "running":
            return self._waiting(step, f"the replacement deployment {replacement}", state,
                                 f"; {old} still serves the Secret", "Replacing")
        step.status.update(serviceId=replacement, replacementServiceId=None, rotationToken=step.rotation)
        self._write_secret(step, outputs)  # switch first: the old one goes only once nothing points at it
        self.kube.patch_status(step.path, {"serviceId": replacement, "replacementServiceId": None,
                                           "rotationToken": step.rotation})
        self._delete(step, old, report=True)
        self.events(step.obj, "Normal", "Replaced", f"deployment {replacement} replaced {old}")
        return self._settled(step, outputs)

    def _delete(self, step: Step, service_id: str, report: bool = False) -> None:
        """Ask for the deletion (no wait); already gone is fine. With ``report``, a failure becomes an Event
        naming the deployment (the replacement already serves), else it is raised."""
        try:
            owner_for(step.resource.kind, self.client).delete(service_id, {"wait_until_running": False})
        except AlayaNotFoundError:
            pass
        except AlayaError as error:
            if not report:
                raise
            self.events(step.obj, "Warning", "DeleteFailed", f"the replaced deployment {service_id} could not be "
                        f"deleted: {error} Delete it in the Alaya console.")

    # -- observe ------------------------------------------------------------------------------------------

    def _observe(self, step: Step) -> Outcome:
        service_id = step.spec["serviceId"]
        found = owner_for(step.resource.kind, self.client).read(service_id, {})
        step.status["serviceId"] = service_id
        if found is None:
            return Outcome("stalled", "NotFound", f"deployment {service_id} does not exist (managementPolicy "
                           "Observe creates nothing)", step.resync)
        return self._settled(step, found[0])

    # -- writes to Kubernetes ---------------------------------------------------------------------------------

    def _write_secret(self, step: Step, outputs: dict[str, Any]) -> None:
        name = (step.spec.get("writeConnectionSecretToRef") or {}).get("name") or step.meta["name"]
        namespace = step.meta["namespace"]
        wanted = secret_object(name, step.obj, secret_data(outputs))
        existing = self.kube.secret(namespace, name)
        step.status["secretName"] = name
        if existing is not None:
            owners = [ref.get("uid") for ref in existing["metadata"].get("ownerReferences") or []]
            if step.meta["uid"] not in owners:
                raise AlayaError(f"Secret {namespace}/{name} exists and is not owned by {step.title}: choose "
                                 "another spec.writeConnectionSecretToRef.name")
            if existing.get("data") == wanted["data"]:
                return
        self.kube.put_secret(namespace, wanted, existing)

    def _write_status(self, step: Step, outcome: Outcome) -> None:
        """Status and conditions, written only when they differ from what the object has."""
        generation = int(step.meta.get("generation") or 0)
        old = (step.obj.get("status") or {})
        new = dict(step.status)
        new["conditions"] = conditions(outcome, generation, old.get("conditions") or [])
        new["observedGeneration"] = generation
        if outcome.state == "reconciling" and outcome.reason in ("Creating", "Recreating", "Replacing"):
            new["observedGeneration"] = old.get("observedGeneration")  # not caught up until it runs
        changes = {key: value for key, value in new.items() if old.get(key) != value}
        if changes:
            self.kube.patch_status(step.path, changes)

    # -- deletion ---------------------------------------------------------------------------------------------

    def finalize(self, kind: str, namespace: str, name: str) -> str | None:
        """Delete the resource's deployments per deletionPolicy; None when done, else why it must wait."""
        resource = resource_for(kind)
        obj = self.kube.get(resource.path(namespace, name))
        if obj is None:
            return None
        with self.lock(obj["metadata"]["uid"]):
            step = Step(resource, obj)
            if self.spec_policy(step) == "Observe" or step.spec.get("deletionPolicy") == "Orphan":
                left = step.status.get("serviceId")
                if left and self.spec_policy(step) != "Observe":
                    self.events(obj, "Normal", "Orphaned", f"deployment {left} is left running (deletionPolicy Orphan)")
                return None
            if step.pending:
                self.events(obj, "Warning", "CreatePending", f"a create of {step.pending.get('name')} may have "
                            "reached the Alaya API: check the console for it and delete it there")
            owner = owner_for(resource.kind, self.client)
            waiting = []
            for key in ("replacementServiceId", "serviceId", "deletingServiceId"):
                service_id = step.status.get(key)
                if not service_id:
                    continue
                found = owner.read(service_id, {})
                if found is None:
                    continue
                if found[0].get("status") != "stopping":
                    try:
                        owner.delete(service_id, {"wait_until_running": False})
                    except AlayaConflictError as error:
                        outcome = Outcome("reconciling", "DeleteBlocked", f"{error} Retrying.", RETRY)
                        self._write_status(step, outcome)
                        return outcome.message
                waiting.append(service_id)
            if waiting:
                outcome = Outcome("reconciling", "Deleting", f"waiting for {', '.join(waiting)} to be gone", POLL)
                self._write_status(step, outcome)
                return outcome.message
            return None
