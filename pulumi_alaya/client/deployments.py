"""One kind's deployments on a client: ``client.lora_deployments`` and ``client.base_model_deployments`` are two
instances of ``Deployments``, each built from its ``Kind`` (``kinds.py``), with the same verbs for both.

Everything a kind does differently is a fact of its declaration (paths, spec class, record, what an offline
update takes away, what a refused delete means); the rules are written here once: a create is never repeated
blindly, an update is offline (only a stopped deployment, or with ``restart``) and read back before it counts,
a delete of what is already gone is success.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, Optional, Protocol, TypeVar
from urllib.parse import quote

from .declaration import Kind
from .errors import (
    AlayaAPIError,
    AlayaConflictError,
    AlayaCreatedNotReadyError,
    AlayaError,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaWriteUncertainError,
    Subject,
    describe_service_id,
)
from .models import Deployment, DeploymentStatus
from .rules import validate_service_id
from .settings import DEFAULT_WAIT_TIMEOUT

__all__ = ["Deployments", "Reader"]

SpecT = TypeVar("SpecT")
RecordT = TypeVar("RecordT", bound=Deployment)
# Optional, not X | None: the vendored copy runs (and is linted) for Pythons without | between types at run time.
OnStatus = Optional[Callable[[Deployment], None]]  # noqa: UP007, UP045


class Reader(Protocol):
    """What ``Deployments`` needs of the client: the one request path, the read and the wait loop."""

    def _api_request(self, method: str, path: str, subject: Subject, json: Any = None,
                     deadline: float | None = None) -> Any: ...

    def get_deployment(self, service_id: str, *, deadline: float | None = None) -> Deployment: ...

    def wait_until_running(self, service_id: str, timeout: float = ..., *, on_status: OnStatus = None) -> Deployment:
        ...

    def wait_until_stopped(self, service_id: str, timeout: float = ..., *, on_status: OnStatus = None) -> Deployment:
        ...

    def wait_until_deleted(self, service_id: str, timeout: float = ..., *, on_status: OnStatus = None) -> None: ...


def _one(service_id: str, action: str = "") -> str:
    return "/deployment/" + quote(validate_service_id(service_id), safe="") + action


class Deployments(Generic[SpecT, RecordT]):
    """Create, read, update, stop and delete the deployments of one kind (``self.kind``)."""

    def __init__(self, client: Reader, kind: Kind) -> None:
        self._client = client
        self.kind = kind

    def __repr__(self) -> str:
        return f"Deployments({self.kind.name!r})"

    # -- specs ------------------------------------------------------------------------------------

    def spec(self, **fields: Any) -> SpecT:
        """The kind's spec from its fields (or input keys: ``served_names`` is ``served_name``), checked."""
        spec: Any = self.kind.spec_type.build(**self._fields(fields))
        return spec  # type: ignore[no-any-return]

    def _fields(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Input keys to the spec's field names; unset (None) values left out."""
        keys = {item.key: item.option for item in self.kind.spec_inputs}
        return {keys.get(key, key): value for key, value in values.items() if value is not None}

    # -- create -----------------------------------------------------------------------------------

    def create(self, spec: SpecT) -> str:
        """POST the spec once (never repeated blindly) and return the new serviceId.

        An answer lost after sending, or a gateway's 502/504, may hide a deployment that was made: that is
        ``AlayaWriteUncertainError``, which says where to look before creating it again.
        """
        made: Any = spec
        try:
            payload = self._client._api_request("POST", self.kind.create_path, made.create_subject(),
                                                json=made.to_api())
        except AlayaWriteUncertainError:
            raise made.uncertain("the connection was lost after the request was sent") from None
        except AlayaAPIError as exc:
            if exc.http_status in (502, 504):
                raise made.uncertain(f"a gateway answered HTTP {exc.http_status}") from None
            raise
        # The docs show "data: {...}" without saying more: take {"serviceId": ...} or the bare ID string.
        service_id = payload.get("serviceId") if isinstance(payload, dict) else payload
        if not isinstance(service_id, str):
            raise AlayaMalformedResponseError(
                f"Alaya API accepted the {self.kind.title} {made.name!r} but its answer names no serviceId. "
                f"Find it in the Alaya console ({made.place}) before creating it again.", service_id=None)
        return validate_service_id(service_id)

    def deploy(self, spec: SpecT, *, wait: bool = True, wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
               on_status: OnStatus = None, on_created: Callable[[str], None] | None = None) -> RecordT:
        """``create``, then read it (with ``wait``: until it is running). ``on_created`` hears the new serviceId
        at once (a process that dies while waiting has then already said what it made).

        Whatever ends the read after the API accepted the create (the wait's own time, ``failed``, the network)
        is ``AlayaCreatedNotReadyError``: it carries the new ``service_id``, the ``cause`` and the last
        record seen, so the caller keeps what it must resume or delete instead of creating it again.
        """
        service_id = self.create(spec)
        if on_created is not None:
            on_created(service_id)
        seen: list[Deployment] = []

        def note(deployment: Deployment) -> None:
            seen[:] = [deployment]
            if on_status is not None:
                on_status(deployment)

        try:
            return self.get(service_id, wait=wait, wait_timeout=wait_timeout, on_status=note)
        except AlayaError as exc:  # Ctrl-C stays an interrupt: on_created has already said what was made
            raise AlayaCreatedNotReadyError(
                f"{self.kind.title.capitalize()} {describe_service_id(service_id)} was created but is not "
                f"ready: {exc.message} It exists: read it again (waiting) or delete it; do not create it again.",
                service_id=service_id, cause=exc, deployment=self._last(seen)) from exc

    def _last(self, seen: list[Deployment]) -> Any:
        try:
            return self.kind.record(seen[0]) if seen else None
        except AlayaError:
            return seen[0]

    # -- read and wait ----------------------------------------------------------------------------

    def get(self, service_id: str, *, wait: bool = False, wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
            on_status: OnStatus = None) -> RecordT:
        """``GET /deployment/{serviceId}`` as this kind's record; with ``wait``, once it is running."""
        if wait:
            return self.wait_until_running(service_id, wait_timeout, on_status=on_status)
        record: RecordT = self.kind.record(self._client.get_deployment(service_id))
        return record

    def wait_until_running(self, service_id: str, timeout: float = DEFAULT_WAIT_TIMEOUT, *,
                           on_status: OnStatus = None) -> RecordT:
        """Poll until it is ``running`` (``failed``/``stopped`` end the wait at once); the fresh record."""
        record: RecordT = self.kind.record(self._client.wait_until_running(service_id, timeout,
                                                                           on_status=on_status))
        return record

    def wait_until_stopped(self, service_id: str, timeout: float = DEFAULT_WAIT_TIMEOUT, *,
                           on_status: OnStatus = None) -> RecordT:
        """Poll until it is ``stopped`` (after ``cancel``); the fresh record."""
        record: RecordT = self.kind.record(self._client.wait_until_stopped(service_id, timeout,
                                                                           on_status=on_status))
        return record

    def wait_until_deleted(self, service_id: str, timeout: float = DEFAULT_WAIT_TIMEOUT, *,
                           on_status: OnStatus = None) -> None:
        """Poll until the API no longer knows it (its JSON "not found")."""
        self._client.wait_until_deleted(service_id, timeout, on_status=on_status)

    # -- update -----------------------------------------------------------------------------------

    def update(self, service_id: str, changes: Mapping[str, Any], *, restart: bool = False,
               wait_timeout: float = DEFAULT_WAIT_TIMEOUT, on_status: OnStatus = None,
               current: RecordT | None = None) -> RecordT:
        """The API's offline update (``PUT``): fields not in ``changes`` (or None there) keep their values.

        Only a stopped deployment is updated: without ``restart`` any other is refused (``AlayaConflictError``)
        before anything is written; with it, it is cancelled, waited for until stopped, updated and waited for
        until running again (``kind.away`` is away meanwhile). The result is read back: an update the API did
        not apply is an error. A field whose change is a new deployment (``kind.replaced_on_change``) is refused.
        ``current``: the record as just read, when the caller has it (saves a GET).
        """
        fields = self._fields(changes)
        problems = self.kind.spec_type.problems(**fields)
        if problems:  # refused before the read, so bad input sends nothing at all
            raise AlayaInputError(next(iter(problems.values())))
        current = self.get(service_id) if current is None else current
        spec = self.kind.spec_type.updated(current, fields)
        if not spec.differences(current):
            return current
        sid = describe_service_id(service_id)
        self._refuse_moves(spec, current, sid)
        if current.status is not DeploymentStatus.STOPPED:
            if not restart:
                raise AlayaConflictError(
                    f"Deployment {sid} is {current.status_name}; the Alaya API updates only stopped deployments. "
                    f"Stop it first, or allow a restart ({self.kind.away} is away until it runs again).",
                    service_id=service_id)
            self.cancel(service_id)
            self.wait_until_stopped(service_id, wait_timeout, on_status=on_status)
        path = self.kind.update_path.format(service_id=quote(service_id, safe=""))
        self._client._api_request("PUT", path, Subject.deployment(service_id), json=spec.to_api())
        updated = self.get(service_id)
        left = spec.differences(updated)
        if left:
            raise AlayaAPIError(
                f"Alaya API accepted the update of {sid} but the deployment still shows other {', '.join(left)}. "
                "Check it in the Alaya console before retrying.", service_id=service_id)
        if restart:
            return self.wait_until_running(service_id, wait_timeout, on_status=on_status)
        return updated

    def _refuse_moves(self, spec: Any, current: Any, sid: str) -> None:
        fields = [self.kind.spec_field_for(key) for key in sorted(self.kind.replaced_on_change)]
        moved = [field for field in fields if getattr(spec, field) != getattr(current, field)]
        if moved:
            raise AlayaConflictError(
                f"Deployment {sid}: {', '.join(moved)} cannot change in place. Create a new {self.kind.title} "
                "there instead.", service_id=current.service_id)

    # -- stop and delete --------------------------------------------------------------------------

    def cancel(self, service_id: str) -> None:
        """``POST /deployment/{serviceId}/cancel``: stop it (in progress or running)."""
        self._client._api_request("POST", _one(service_id, "/cancel"), Subject.deployment(service_id))

    def delete(self, service_id: str) -> bool:
        """``DELETE /deployment/{serviceId}``; True if it existed, False if the API says it is already gone.

        Only the API's own JSON "not found" counts as gone (an HTML 404 from a proxy is an error). A refusal
        (HTTP 400) of a kind that has one (a base model while LoRAs run on it) is ``AlayaConflictError``.
        """
        try:
            self._client._api_request("DELETE", _one(service_id), Subject.deployment(service_id))
        except AlayaNotFoundError:
            return False
        except AlayaAPIError as exc:
            if not self.kind.delete_refused or exc.http_status != 400 or exc.kind != AlayaAPIError.kind:
                raise
            raise AlayaConflictError(
                f"Alaya API refused to delete {self.kind.title} {describe_service_id(service_id)}: "
                f"{(exc.api_msg or 'no message')[:200]}. {self.kind.delete_refused}",
                service_id=service_id, http_status=400, code=exc.code, api_msg=exc.api_msg) from None
        return True
