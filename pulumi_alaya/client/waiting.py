"""Reading: one deployment (``GET /deployment/{serviceId}``, whatever its kind), the one wait loop (until
running, stopped or gone, within a wall-clock budget) and reading many deployments concurrently over the one
pooled session."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import quote

from .errors import (
    AlayaAPIError,
    AlayaDeploymentFailedError,
    AlayaError,
    AlayaInputError,
    AlayaNotFoundError,
    AlayaTransportError,
    AlayaWaitTimeoutError,
    Subject,
    describe_service_id,
)
from .models import TERMINAL_STATUSES, Deployment
from .request_path import RequestPath
from .retry_policy import TRANSIENT_STATUSES
from .rules import validate_seconds, validate_service_id
from .settings import DEFAULT_WAIT_TIMEOUT

__all__ = ["Waits"]


class Waits(RequestPath):
    """The reads every kind shares; ``deployments.Deployments`` gives them a kind's record."""

    def get_deployment(self, service_id: str, *, deadline: float | None = None) -> Deployment:
        """``GET /deployment/{serviceId}``: any deployment (LoRA or base model) as the shared typed record."""
        service_id = validate_service_id(service_id)
        payload = self._api_request("GET", "/deployment/" + quote(service_id, safe=""),
                                    Subject.deployment(service_id), deadline=deadline)
        try:
            deployment = Deployment.from_raw(payload, service_id)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        else:
            if deployment.api_key:
                self._seen_api_keys.add(deployment.api_key)
            return deployment
        raise failure

    def _read(self, service_id: str, wait: bool, wait_timeout: float,
              on_status: Callable[[Deployment], None] | None = None) -> Deployment:
        """What every front end's "read, optionally waiting" option means: one switch, one behaviour."""
        if wait:
            return self.wait_until_running(service_id, wait_timeout, on_status=on_status)
        return self.get_deployment(service_id)

    def get_deployments(
        self, service_ids: Iterable[str], *, wait: bool = False, wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    ) -> list[Deployment]:
        """Read many deployments concurrently over the one pooled session; results keep the input order.

        Every ID is checked before any request. The first failure to happen is raised at once, and waits still
        running for other IDs stop at their next poll instead of running out their own budgets.
        """
        ids = [validate_service_id(sid) for sid in service_ids]
        if wait:
            validate_seconds(wait_timeout, "wait timeout")
        stop = threading.Event()

        def read(service_id: str) -> Deployment:
            if wait:
                return self.wait_until_running(service_id, wait_timeout, cancel=stop)
            if stop.is_set():
                raise Cancelled()
            return self.get_deployment(service_id)

        if len(ids) <= 1:
            return [read(sid) for sid in ids]
        # Imported here: threads serve only several IDs, and one read (the CLI's usual call) starts faster.
        from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor
        from concurrent.futures import wait as wait_for_futures

        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(ids))) as pool:
            futures = [pool.submit(read, sid) for sid in ids]
            done, _pending = wait_for_futures(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in futures if f in done and f.exception() is not None]
            if failed:
                stop.set()
                for future in futures:
                    future.cancel()
                raise _found(failed[0].exception())
            return [future.result() for future in futures]

    def read_many(self, service_ids: Iterable[str], *, wait: bool = False,
                  wait_timeout: float = DEFAULT_WAIT_TIMEOUT) -> list[Deployment | AlayaError]:
        """Read every ID concurrently (``max_workers`` at a time); each gets its own outcome, in input order.

        Unlike ``get_deployments`` nothing stops early: a pipeline reading many IDs learns about every failure.
        """
        ids = list(service_ids)

        def outcome(service_id: Any) -> Deployment | AlayaError:
            try:
                return self._read(service_id, wait, wait_timeout)
            except AlayaError as error:
                return error

        from concurrent.futures import ThreadPoolExecutor  # only several IDs need it (see get_deployments)

        with ThreadPoolExecutor(max_workers=max(1, min(self.max_workers, len(ids)))) as pool:
            return list(pool.map(outcome, ids))

    def wait_until_running(
        self,
        service_id: str,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        *,
        on_status: Callable[[Deployment], None] | None = None,
        interval: float = 1.0,
        max_interval: float = 10.0,
        cancel: threading.Event | None = None,
    ) -> Deployment:
        """Poll until the deployment is ``running`` and return the fresh record.

        ``timeout`` is wall-clock for the whole wait: every request inside it gets what is left as its limit.
        Transient answers (5xx, 429, resets) keep the wait polling; a ``Retry-After`` beyond the budget ends
        it at once. Fails fast on ``failed``/``stopped`` (they are not left by themselves); an undocumented
        status keeps polling and is reported as the API wrote it. ``cancel`` stops the wait at its next poll.
        """
        return _found(self._poll(service_id, timeout, "running", on_status, interval, max_interval, cancel))

    def wait_until_stopped(self, service_id: str, timeout: float = DEFAULT_WAIT_TIMEOUT, *,
                           on_status: Callable[[Deployment], None] | None = None, interval: float = 1.0,
                           max_interval: float = 10.0) -> Deployment:
        """Poll until the deployment is ``stopped`` (after a cancel), with the same budget rules."""
        return _found(self._poll(service_id, timeout, "stopped", on_status, interval, max_interval, None))

    def wait_until_deleted(self, service_id: str, timeout: float = DEFAULT_WAIT_TIMEOUT, *,
                           on_status: Callable[[Deployment], None] | None = None, interval: float = 1.0,
                           max_interval: float = 10.0) -> None:
        """Poll until the API answers "not found" (its JSON 404) for the deployment; ``stopping`` keeps polling."""
        self._poll(service_id, timeout, "gone", on_status, interval, max_interval, None)

    def _poll(self, service_id: str, timeout: float, goal: str, on_status: Callable[[Deployment], None] | None,
              interval: float, max_interval: float, cancel: threading.Event | None) -> Deployment | None:
        """The one wait loop: poll until ``goal`` ("running", "stopped" or "gone") within a wall-clock budget."""
        service_id = validate_service_id(service_id)
        timeout = validate_seconds(timeout, "wait timeout")
        if interval <= 0 or max_interval < interval:
            raise AlayaInputError("wait interval must be positive and not above max_interval.")
        sid = describe_service_id(service_id)
        started = time.monotonic()
        deadline = started + timeout
        seen: str | None = None
        trouble = ""
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            try:
                deployment = self.get_deployment(service_id, deadline=deadline)
            except AlayaNotFoundError:
                if goal == "gone":
                    return None
                raise
            except AlayaError as exc:
                if getattr(exc, "out_of_time", False):  # this wait's own time ran out during the read
                    trouble = " (the last read was still unanswered when the time ran out)"
                elif not _transient(exc) or _beyond(exc, deadline):
                    raise
                else:  # the network or the API failing: said as such, with what it answered
                    trouble = f" (last answer: {exc.message})"
            else:
                trouble = ""
                if deployment.status_name != seen:
                    seen = deployment.status_name
                    if on_status is not None:
                        on_status(deployment)
                if deployment.status.value == goal:
                    return deployment
                if goal == "running" and deployment.status in TERMINAL_STATUSES:
                    raise AlayaDeploymentFailedError(
                        f"Deployment {sid} is {deployment.status_name} and will not become running by itself. "
                        "Check its events in the Alaya console, then redeploy or restart it.",
                        service_id=service_id,
                        status=deployment.status_name,
                    )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                where = f"still {seen}" if seen else "never readable"
                wanted = "deleted" if goal == "gone" else goal
                raise AlayaWaitTimeoutError(
                    f"Deployment {sid} was {where}, not {wanted}, after waiting {timeout:g}s{trouble}. "
                    "Raise the wait timeout or check the deployment in the Alaya console.",
                    service_id=service_id,
                    last_status=seen,
                )
            self._sleep(min(interval, remaining))
            # The next poll at most 10% of the time waited so far after this one (and never sooner than
            # ``interval``): a deployment that becomes running is seen within ~10% of its start time, where
            # growing by half each round overshot up to 50% (benchmarks/whole_stack.py measures it).
            interval = min(max_interval, max(interval, (time.monotonic() - started) * 0.1))


_T = TypeVar("_T")


def _found(value: _T | None) -> _T:
    # For the type checker: the goals "running"/"stopped" and a failed future always carry a value.
    if value is None:
        raise AlayaError("internal error: a wait ended without a result")
    return value


class Cancelled(AlayaError):
    """A sibling in a batch failed first; this one stopped without a verdict of its own."""

    kind = "cancelled"

    def __init__(self) -> None:
        super().__init__("cancelled because another deployment in the batch failed first")


def _transient(exc: AlayaError) -> bool:
    if isinstance(exc, AlayaTransportError):
        return True
    return isinstance(exc, AlayaAPIError) and exc.kind == AlayaAPIError.kind and exc.http_status in TRANSIENT_STATUSES


def _beyond(exc: AlayaError, deadline: float) -> bool:
    """A Retry-After past the wait's budget: waiting would only end in a timeout that hides the reason."""
    retry_after = getattr(exc, "retry_after", None)
    return retry_after is not None and time.monotonic() + retry_after >= deadline
