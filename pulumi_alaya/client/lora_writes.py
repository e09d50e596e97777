"""Owning LoRA deployments: create, offline update, cancel, delete (``/deployment/lora``, ``/deployment/{id}``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from .answers import uncertain_create
from .errors import (
    AlayaAPIError,
    AlayaConflictError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaWriteUncertainError,
    Subject,
    describe_service_id,
)
from .models import Deployment, DeploymentStatus
from .rules import validate_service_id
from .settings import DEFAULT_WAIT_TIMEOUT
from .spec import LoraSpec
from .waiting import Waits

__all__ = ["LoraWrites"]


class LoraWrites(Waits):
    def create_lora_deployment(self, base_service_id: str, model_id: str, name: str,
                               served_name: str | Sequence[str]) -> str:
        """``POST /deployment/lora``: deploy a LoRA model on a running base-model service; returns its serviceId.

        Never retried once it may have reached the API (a timeout or reset after sending, a 502/504 from a
        gateway): that is ``AlayaWriteUncertainError``, which says how to find the deployment. 429 and a
        connection refused before sending are retried as usual.
        """
        spec = LoraSpec.build(base_service_id, model_id, name, served_name)
        return self._create("/deployment/lora", Subject.new_lora(spec.name, spec.base_service_id), spec.to_api(),
                            lambda why: uncertain_create(spec, why),
                            f"the LoRA deployment {spec.name!r}", f"namespace of {spec.base_service_id}")

    def _create(self, path: str, subject: Subject, body: dict[str, Any],
                uncertain: Callable[[str], AlayaWriteUncertainError], what: str, where: str) -> str:
        """The one create path (LoRA and base model): POST once, never repeated blindly; the new serviceId.

        An answer lost after sending, or a gateway's 502/504, may hide a deployment that was made: ``uncertain``
        turns the reason into the error that says where to look.
        """
        try:
            payload = self._api_request("POST", path, subject, json=body)
        except AlayaWriteUncertainError:
            raise uncertain("the connection was lost after the request was sent") from None
        except AlayaAPIError as exc:
            if exc.http_status in (502, 504):
                raise uncertain(f"a gateway answered HTTP {exc.http_status}") from None
            raise
        # The docs show "data: {...}" without saying more: take {"serviceId": ...} or the bare ID string.
        service_id = payload.get("serviceId") if isinstance(payload, dict) else payload
        if not isinstance(service_id, str):
            raise AlayaMalformedResponseError(
                f"Alaya API accepted {what} but its answer names no serviceId. "
                f"Find it in the Alaya console ({where}) before creating it again.",
                service_id=None)
        return validate_service_id(service_id)

    def update_lora_deployment(self, service_id: str, *, base_service_id: str | None = None,
                               model_id: str | None = None, name: str | None = None,
                               served_name: str | Sequence[str] | None = None, restart: bool = False,
                               wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                               on_status: Callable[[Deployment], None] | None = None,
                               current: Deployment | None = None) -> Deployment:
        """``PUT /deployment/lora/{serviceId}``: an offline update; unset fields keep their current values.

        The API applies updates only to a stopped deployment. Without ``restart`` a deployment that is not
        stopped is refused (``AlayaConflictError``) before anything is written; with ``restart`` it is
        cancelled, waited for until stopped, updated, and waited for until running again (the served model
        is away meanwhile). The result is read back: an update the API did not apply is an error, not success.
        ``current``: the deployment as just read, when the caller has it (saves a GET).
        """
        current = self.get_deployment(service_id) if current is None else current
        spec = LoraSpec.updated(current, base_service_id=base_service_id, model_id=model_id, name=name,
                                served_name=served_name)
        sid = describe_service_id(service_id)
        if not spec.differences(current):
            return current
        if current.status is not DeploymentStatus.STOPPED:
            if not restart:
                raise AlayaConflictError(
                    f"Deployment {sid} is {current.status_name}; the Alaya API updates only stopped deployments. "
                    "Stop it first, or allow a restart (the served model is away until it runs again).",
                    service_id=service_id)
            self.cancel_deployment(service_id)
            self.wait_until_stopped(service_id, wait_timeout, on_status=on_status)
        self._api_request("PUT", "/deployment/lora/" + quote(service_id, safe=""), Subject.deployment(service_id),
                          json=spec.to_api())
        updated = self.get_deployment(service_id)
        left = spec.differences(updated)
        if left:
            raise AlayaAPIError(
                f"Alaya API accepted the update of {sid} but the deployment still shows other {', '.join(left)}. "
                "Check it in the Alaya console before retrying.", service_id=service_id)
        if restart:
            return self.wait_until_running(service_id, wait_timeout, on_status=on_status)
        return updated

    def cancel_deployment(self, service_id: str) -> None:
        """``POST /deployment/{serviceId}/cancel``: stop a deployment (in progress or running)."""
        service_id = validate_service_id(service_id)
        self._api_request("POST", "/deployment/" + quote(service_id, safe="") + "/cancel",
                          Subject.deployment(service_id))

    def delete_deployment(self, service_id: str) -> bool:
        """``DELETE /deployment/{serviceId}``; True if it existed, False if the API says it is already gone.

        Idempotent: only the API's own JSON "not found" counts as gone (an HTML 404 from a proxy is an error).
        """
        service_id = validate_service_id(service_id)
        try:
            self._api_request("DELETE", "/deployment/" + quote(service_id, safe=""), Subject.deployment(service_id))
        except AlayaNotFoundError:
            return False
        return True
