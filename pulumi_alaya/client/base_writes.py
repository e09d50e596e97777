"""Owning base-model deployments: QuickStart create, read, offline update, delete (``/deployment``).

The same rules as LoRA writes (``lora_writes.py``): one request path, a create never repeated blindly, an
offline update only of a stopped deployment (or with ``restart``), an update read back before it counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from .base_deployment import BaseDeployment
from .base_spec import BaseSpec
from .errors import (
    AlayaAPIError,
    AlayaConflictError,
    AlayaInputError,
    AlayaWriteUncertainError,
    Subject,
    describe_service_id,
)
from .lora_writes import LoraWrites
from .models import Deployment, DeploymentStatus
from .settings import DEFAULT_WAIT_TIMEOUT

__all__ = ["BaseWrites"]


class BaseWrites(LoraWrites):
    """Built on the LoRA writes: cancel and delete are the same calls for both kinds."""

    def create_base_deployment(self, spec: BaseSpec) -> str:
        """``POST /deployment``: a QuickStart base-model deployment; returns its serviceId.

        Never retried once it may have reached the API (``AlayaWriteUncertainError`` says where to look): a
        second create would hold a second set of GPUs.
        """
        subject = Subject(f"the new base-model deployment {describe_service_id(spec.name)} in namespace "
                          f"{describe_service_id(spec.namespace)}", None)
        return self._create("/deployment", subject, spec.to_api(), lambda why: _uncertain(spec, why),
                            f"the base-model deployment {spec.name!r}", f"namespace {spec.namespace}")

    def get_base_deployment(self, service_id: str, *, wait: bool = False,
                            wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                            on_status: Callable[[Deployment], None] | None = None) -> BaseDeployment:
        """``GET /deployment/{serviceId}`` as a ``BaseDeployment`` (optionally waiting until it is running)."""
        deployment = self.read_deployment(service_id, wait=wait, wait_timeout=wait_timeout, on_status=on_status)
        return BaseDeployment.from_deployment(deployment)

    def update_base_deployment(self, service_id: str, changes: Mapping[str, Any], *, restart: bool = False,
                               wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                               on_status: Callable[[Deployment], None] | None = None,
                               current: BaseDeployment | None = None) -> BaseDeployment:
        """``PUT /deployment/{serviceId}``: an offline update; fields not in ``changes`` keep their values.

        As for a LoRA: a deployment that is not stopped is refused before anything is written unless
        ``restart`` (cancel, wait until stopped, update, wait until running: the model and every LoRA on it are
        away meanwhile). ``vks_id`` and ``namespace`` never change in place (``REPLACED_ON_CHANGE``).
        """
        problems = BaseSpec.problems(**{k: v for k, v in changes.items() if v is not None})
        if problems:  # refused before the read, so bad input sends nothing at all
            raise AlayaInputError(next(iter(problems.values())))
        current = self.get_base_deployment(service_id) if current is None else current
        spec = BaseSpec.updated(current, changes)
        sid = describe_service_id(service_id)
        if not spec.differences(current):
            return current
        moved = [f for f in ("vks_id", "namespace") if getattr(spec, f) != getattr(current, f)]
        if moved:
            raise AlayaConflictError(
                f"Deployment {sid}: {', '.join(moved)} cannot change in place. Create a new base-model "
                "deployment there instead.", service_id=service_id)
        if current.status is not DeploymentStatus.STOPPED:
            if not restart:
                raise AlayaConflictError(
                    f"Deployment {sid} is {current.status_name}; the Alaya API updates only stopped deployments. "
                    "Stop it first, or allow a restart (the base model and its LoRAs are away until it runs "
                    "again).", service_id=service_id)
            self.cancel_deployment(service_id)
            self.wait_until_stopped(service_id, wait_timeout, on_status=on_status)
        self._api_request("PUT", "/deployment/" + quote(service_id, safe=""), Subject.deployment(service_id),
                          json=spec.to_api())
        updated = self.get_base_deployment(service_id)
        left = spec.differences(updated)
        if left:
            raise AlayaAPIError(
                f"Alaya API accepted the update of {sid} but the deployment still shows other {', '.join(left)}. "
                "Check it in the Alaya console before retrying.", service_id=service_id)
        if restart:
            return self.get_base_deployment(service_id, wait=True, wait_timeout=wait_timeout, on_status=on_status)
        return updated

    def delete_base_deployment(self, service_id: str) -> bool:
        """``DELETE /deployment/{serviceId}`` of a base model; True if it existed, False if already gone.

        The API refuses (HTTP 400) while LoRA deployments run on it: that is ``AlayaConflictError``, naming them.
        """
        try:
            return self.delete_deployment(service_id)
        except AlayaAPIError as exc:
            if exc.http_status != 400 or exc.kind != AlayaAPIError.kind:  # a plain refusal, not auth or not-found
                raise
            raise AlayaConflictError(
                f"Alaya API refused to delete base-model deployment {describe_service_id(service_id)}: "
                f"{(exc.api_msg or 'no message')[:200]}. Delete the LoRA deployments on it first.",
                service_id=service_id, http_status=400, code=exc.code, api_msg=exc.api_msg) from None


def _uncertain(spec: BaseSpec, why: str) -> AlayaWriteUncertainError:
    return AlayaWriteUncertainError(
        f"Creating base-model deployment {spec.name!r} in namespace {spec.namespace} may have succeeded: {why}, "
        f"so it was not retried (a retry could deploy it twice). Look for a deployment named {spec.name!r} in "
        "the Alaya console before creating it again.", service_id=None)
