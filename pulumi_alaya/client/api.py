"""``AlayaClient``: the one place that talks HTTP to the Alaya serverless-infer API.

Everything (Pulumi provider, Ansible module and lookup, CLI) calls the named methods below; ``_send`` is
the only caller of ``requests``. It applies auth, timeouts, the retry policy and error mapping once.
"""

from __future__ import annotations

import logging
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from .answers import (
    completion_text,
    error_from_response,
    parse_json,
    redirect_error,
    retry_after,
    throttled_error,
    uncertain,
    uncertain_create,
)
from .errors import (
    AlayaAPIError,
    AlayaConflictError,
    AlayaDeploymentFailedError,
    AlayaError,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaTransportError,
    AlayaWaitTimeoutError,
    AlayaWriteUncertainError,
    describe_service_id,
)
from .models import TERMINAL_STATUSES, Deployment, DeploymentStatus, unwrap_envelope
from .ratelimit import ClientRateLimiter
from .version import USER_AGENT
from .spec import LoraSpec
from .transport import Answer, BodyError, BodyTimeout, SendError, Transport
from .urls import is_loopback, parse_http_url

__all__ = ["AlayaClient", "DEFAULT_BASE_URL", "DEFAULT_WAIT_TIMEOUT", "validate_base_url", "validate_seconds",
           "validate_service_id"]

DEFAULT_BASE_URL = "https://api.alayanew.com"
API_PREFIX = "/api/serverless-infer/v1"
ENV_ACCESS_KEY = "ALAYA_ACCESS_KEY"
ENV_SECRET_KEY = "ALAYA_SECRET_KEY"
ENV_BASE_URL = "ALAYA_BASE_URL"

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_WAIT_TIMEOUT = 600.0
DEFAULT_CONCURRENCY = 16  # requests at once over the one pool (batch reads, the lookup)
# Retried only where a repeat cannot do harm or the server asked for it:
#   429: rate limited, the request was not processed (honour Retry-After);
#   500/502/503/504: gateway or transient server trouble, retried on idempotent verbs only.
# Never 400/401/403/404: repeating them gives the same answer and can lock an account.
_RETRY_ANY_METHOD = frozenset({429})
_RETRY_IDEMPOTENT = frozenset({500, 502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

_SERVICE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_KEY = re.compile(r"[^\s,=\"]+")
_LOG = logging.getLogger("pulumi_alaya")


def validate_service_id(service_id: Any) -> str:
    """Refuse, before any request, a serviceId that could not be a real one or would change the URL."""
    if not isinstance(service_id, str) or not service_id:
        raise AlayaInputError(
            f"serviceId {describe_service_id(service_id)} is empty or not a string. "
            "Pass the deployment's serviceId from the Alaya console."
        )
    if not _SERVICE_ID.fullmatch(service_id) or set(service_id) == {"."}:
        raise AlayaInputError(
            f"serviceId {describe_service_id(service_id)} is invalid: use 1-128 characters from "
            "A-Z a-z 0-9 . _ - (as shown in the Alaya console).",
            service_id=service_id if len(service_id) <= 128 else None,
        )
    return service_id


def validate_base_url(url: Any, what: str = "base_url") -> str:
    """https anywhere; plain http only to loopback (the emulator), so keys never cross a network in clear."""
    example = f"{DEFAULT_BASE_URL} or the emulator's http://127.0.0.1:8780"
    scheme, host, _port, _path = parse_http_url(url, what, example)
    if scheme == "http" and not is_loopback(host):
        raise AlayaInputError(
            f"{what} uses plain http to a non-loopback host, which would send keys in clear. "
            "Use https (plain http is allowed only for 127.0.0.1/localhost)."
        )
    return str(url).strip().rstrip("/")


def validate_seconds(value: Any, what: str) -> float:
    # nan and inf pass "> 0" checks and then poll forever or never time out.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise AlayaInputError(f"{what} must be a positive, finite number of seconds, not {value!r}.")
    return float(value)


def _check_key(value: Any, name: str, env: str) -> str:
    if not isinstance(value, str) or not value:
        raise AlayaInputError(f"{name} is missing. Set it (or the {env} environment variable).")
    if not _KEY.fullmatch(value):
        # Never echo the value: it may be the secret key.
        raise AlayaInputError(f"{name} contains spaces, commas, quotes or '='. Copy it again from the console.")
    return value


class AlayaClient:
    """Client for ``https://api.alayanew.com/api/serverless-infer/v1``.

    >>> with AlayaClient.from_env() as client:
    ...     dep = client.wait_until_running("38fbfc3d-6a88-4c35-b8b6-9efc83949d47", timeout=600)
    ...     print(dep.openai_base_url, dep.model)

    Building a client checks its arguments but does no I/O. One pooled session serves every call, including
    concurrent ones from ``get_deployments``; see ``transport`` for what it refuses to do on a hostile network.
    """

    def __init__(
        self,
        access_key: str | None,
        secret_key: str | None,
        base_url: str | None = DEFAULT_BASE_URL,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        max_backoff: float = 10.0,
        deadline: float | None = None,
        verify: bool | str = True,
        max_workers: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self._access_key = _check_key(access_key, "access_key", ENV_ACCESS_KEY)
        self._secret_key = _check_key(secret_key, "secret_key", ENV_SECRET_KEY)
        url = validate_base_url(base_url or DEFAULT_BASE_URL)
        self.base_url = url if url.endswith(API_PREFIX) else url + API_PREFIX
        self.timeout = validate_seconds(timeout, "timeout")
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 20:
            raise AlayaInputError(f"retries must be a whole number from 0 to 20, not {retries!r}.")
        if isinstance(max_workers, bool) or not isinstance(max_workers, int) or not 1 <= max_workers <= 256:
            raise AlayaInputError(f"concurrency must be a whole number from 1 to 256, not {max_workers!r}.")
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        # Overall bound on one call, retries and Retry-After waits included.
        self.deadline = validate_seconds(deadline, "deadline") if deadline is not None else (
            self.timeout * (retries + 1) + 30.0)
        self.verify = verify
        self.max_workers = max_workers
        # Deployment keys this client has seen: scrubbed from every error message it raises.
        self._seen_api_keys: set[str] = set()
        self._transport: Transport | None = None
        # Every API attempt of this client, from any thread, takes a slot here: a 429 slows them all.
        self.rate_limiter = ClientRateLimiter()
        # Indirection so the unit tests of the backoff maths can run without waiting.
        self._sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> AlayaClient:
        """Keys and endpoint from ``ALAYA_ACCESS_KEY``/``ALAYA_SECRET_KEY``/``ALAYA_BASE_URL``; arguments win."""
        env = os.environ if env is None else env
        for name, variable in (("access_key", ENV_ACCESS_KEY), ("secret_key", ENV_SECRET_KEY),
                               ("base_url", ENV_BASE_URL)):
            if not overrides.get(name):  # None or "" (an unset option) falls back to the environment
                overrides[name] = env.get(variable)
        overrides["base_url"] = overrides["base_url"] or DEFAULT_BASE_URL
        return cls(**overrides)

    def __repr__(self) -> str:
        return f"AlayaClient(base_url={self.base_url!r}, access_key={self._access_key[:4]!r}+'***')"

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("AlayaClient holds credentials and is deliberately not picklable.")

    # -- session -----------------------------------------------------------------------------------

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            self._transport = Transport(verify=self.verify, pool_size=self.max_workers,
                                        user_agent=USER_AGENT)
        return self._transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def __enter__(self) -> AlayaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the choke point ---------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        for secret in (self._secret_key, *self._seen_api_keys):
            if len(secret) >= 4:  # shorter "secrets" would only mangle the message, not protect anything
                text = text.replace(secret, "***")
        return text

    def _scrubbed(self, exc: AlayaError) -> AlayaError:
        exc.args = (self._scrub(exc.message),)
        if isinstance(exc, AlayaAPIError) and exc.api_msg:
            exc.api_msg = self._scrub(exc.api_msg)
        return exc

    def _backoff_delay(self, attempt: int) -> float:
        # Exponential with "equal jitter": at least half the step, so retries spread out but never hammer.
        step = min(self.max_backoff, self.backoff * 2.0**attempt)
        return step / 2 + random.uniform(0, step / 2)

    def _send(
        self,
        method: str,
        url: str,
        *,
        service_id: str,
        headers: dict[str, str],
        json: Any = None,
        deadline: float | None = None,
        paced: bool = False,
    ) -> Answer:
        """Send one logical request: bounded attempts, backoff with jitter, one overall deadline.

        ``deadline`` (a ``time.monotonic()`` value) tightens the client's own bound, e.g. to a wait's budget.
        Retried: 429 always (the server did not act); 5xx, resets and cut bodies only on idempotent verbs;
        a connection that was refused before anything was sent on any verb. ``paced`` (the API's calls):
        every attempt waits for a slot of the client's shared rate limiter, which a 429 slows for all.
        """
        limit = time.monotonic() + self.deadline
        limit = min(limit, deadline) if deadline is not None else limit
        idempotent = method in _IDEMPOTENT
        sid = describe_service_id(service_id)
        throttled: Answer | None = None
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            problem: SendError | BodyError
            sent_at = self.rate_limiter.acquire(limit, retry=throttled is not None) if paced else 0.0
            if sent_at is None:  # held back (a Retry-After) past the deadline: nothing was sent
                if throttled is not None:
                    return throttled
                raise throttled_error(service_id, self.rate_limiter.blocked_until - time.monotonic())
            try:
                answer = self.transport.request(method, url, headers=headers, json=json, timeout=self.timeout,
                                                deadline=limit)
            except SendError as exc:
                problem, retryable = exc, idempotent or not exc.maybe_sent
            except BodyError as exc:
                problem, retryable = exc, idempotent and exc.transient
            else:
                status = answer.status
                _LOG.debug("%s %s -> HTTP %d (attempt %d)", method, sid, status, attempt + 1)
                asked = retry_after(answer) if status in _RETRY_ANY_METHOD else None
                if paced:
                    if status in _RETRY_ANY_METHOD:
                        self.rate_limiter.throttled(sent_at, asked)
                    else:
                        self.rate_limiter.succeeded()
                if status in _RETRY_ANY_METHOD and asked is not None and paced:
                    # The limiter holds every attempt of this client until then, this one's retry first.
                    if not last and time.monotonic() + asked < limit:
                        throttled = answer
                        continue
                    return answer
                if status in _RETRY_ANY_METHOD or (idempotent and status in _RETRY_IDEMPOTENT):
                    delay = self._backoff_delay(attempt) if asked is None else asked
                    if not last and time.monotonic() + delay < limit:
                        self._sleep(delay)
                        continue
                return answer
            delay = self._backoff_delay(attempt)
            if retryable and not last and time.monotonic() + delay < limit:
                _LOG.debug("%s %s: %s, retry %d in %.2fs", method, sid, problem, attempt + 1, delay)
                self._sleep(delay)
                continue
            if not idempotent and (isinstance(problem, BodyError) or problem.maybe_sent):
                raise uncertain(method, service_id, urlsplit(url).netloc)
            raise self._failure(problem, url, service_id, attempt + 1)
        raise AssertionError("unreachable: the loop always returns or raises")

    @staticmethod
    def _failure(problem: SendError | BodyError, url: str, service_id: str, attempts: int) -> AlayaError:
        sid, host = describe_service_id(service_id), urlsplit(url).netloc
        if isinstance(problem, BodyError) and not problem.transient and not isinstance(problem, BodyTimeout):
            return AlayaMalformedResponseError(
                f"The answer from {host} for serviceId {sid} was unusable: {problem}. "
                "Check base_url points at the Alaya API; retry later.", service_id=service_id)
        what = "timed out" if isinstance(problem, BodyTimeout) or getattr(problem, "timed_out", False) else (
            str(problem) if isinstance(problem, BodyError) else "lost the connection")
        return AlayaTransportError(
            f"Request for serviceId {sid} to {host} {what} after {attempts} attempt(s). "
            "Check base_url and the network, or raise timeout/retries.", service_id=service_id)

    def _auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"plain Credential={self._access_key},Signature={self._secret_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def _api_request(self, method: str, path: str, service_id: str, json: Any = None,
                     deadline: float | None = None) -> Any:
        """Call the management API and return the unwrapped payload, or raise the matching typed error."""
        try:
            answer = self._send(method, self.base_url + path, service_id=service_id, headers=self._auth_headers(),
                                json=json, deadline=deadline, paced=True)
            if 300 <= answer.status < 400:
                raise redirect_error(answer, service_id, "Check base_url: use the address the API answers on.")
            body, problem = parse_json(answer.body)
            if answer.status >= 400:
                raise error_from_response(answer, body, service_id, self._scrub)
            if body is None:
                raise AlayaMalformedResponseError(
                    f"Alaya API answered HTTP {answer.status} for serviceId {describe_service_id(service_id)} "
                    f"with a body that is {problem}. Check base_url points at the Alaya API; retry later.",
                    service_id=service_id,
                    http_status=answer.status,
                )
            return unwrap_envelope(body, service_id, answer.status, self._scrub)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        raise failure

    # -- deployments -------------------------------------------------------------------------------

    def get_deployment(self, service_id: str, *, deadline: float | None = None) -> Deployment:
        """``GET /deployment/{serviceId}``: a LoRA (or base-model) deployment as a typed record."""
        service_id = validate_service_id(service_id)
        payload = self._api_request("GET", "/deployment/" + quote(service_id, safe=""), service_id,
                                    deadline=deadline)
        try:
            deployment = Deployment.from_raw(payload, service_id)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        else:
            if deployment.api_key:
                self._seen_api_keys.add(deployment.api_key)
            return deployment
        raise failure

    def read_deployment(
        self,
        service_id: str,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_status: Callable[[Deployment], None] | None = None,
    ) -> Deployment:
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
                raise _Cancelled()
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
                return self.read_deployment(service_id, wait=wait, wait_timeout=wait_timeout)
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
        deadline = time.monotonic() + timeout
        seen: str | None = None
        trouble = ""
        while True:
            if cancel is not None and cancel.is_set():
                raise _Cancelled()
            try:
                deployment = self.get_deployment(service_id, deadline=deadline)
            except AlayaNotFoundError:
                if goal == "gone":
                    return None
                raise
            except AlayaError as exc:
                if not _transient(exc) or _beyond(exc, deadline):
                    raise
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
            interval = min(max_interval, interval * 1.5)

    # -- owning deployments: create, update, cancel, delete ---------------------------------------

    def create_lora_deployment(self, base_service_id: str, model_id: str, name: str,
                               served_name: str | Sequence[str]) -> str:
        """``POST /deployment/lora``: deploy a LoRA model on a running base-model service; returns its serviceId.

        Never retried once it may have reached the API (a timeout or reset after sending, a 502/504 from a
        gateway): that is ``AlayaWriteUncertainError``, which says how to find the deployment. 429 and a
        connection refused before sending are retried as usual.
        """
        spec = LoraSpec.build(base_service_id, model_id, name, served_name)
        label = f"{spec.name} on {spec.base_service_id}"
        try:
            payload = self._api_request("POST", "/deployment/lora", label, json=spec.to_api())
        except AlayaWriteUncertainError:
            raise uncertain_create(spec, "the connection was lost after the request was sent") from None
        except AlayaAPIError as exc:
            if exc.http_status in (502, 504):
                raise uncertain_create(spec, f"a gateway answered HTTP {exc.http_status}") from None
            raise
        # The docs show "data: {...}" without saying more: take {"serviceId": ...} or the bare ID string.
        service_id = payload.get("serviceId") if isinstance(payload, dict) else payload
        if not isinstance(service_id, str):
            raise AlayaMalformedResponseError(
                f"Alaya API accepted the LoRA deployment {spec.name!r} but its answer names no serviceId. "
                f"Find it in the Alaya console (namespace of {spec.base_service_id}) before creating it again.",
                service_id=None)
        return validate_service_id(service_id)

    def update_lora_deployment(self, service_id: str, *, base_service_id: str | None = None,
                               model_id: str | None = None, name: str | None = None,
                               served_name: str | Sequence[str] | None = None, restart: bool = False,
                               wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                               on_status: Callable[[Deployment], None] | None = None) -> Deployment:
        """``PUT /deployment/lora/{serviceId}``: an offline update; unset fields keep their current values.

        The API applies updates only to a stopped deployment. Without ``restart`` a deployment that is not
        stopped is refused (``AlayaConflictError``) before anything is written; with ``restart`` it is
        cancelled, waited for until stopped, updated, and waited for until running again (the served model
        is away meanwhile). The result is read back: an update the API did not apply is an error, not success.
        """
        current = self.get_deployment(service_id)
        spec = LoraSpec.build(
            current.base_service_id if base_service_id is None else base_service_id,
            current.model_id if model_id is None else model_id,
            current.name if name is None else name,
            current.served_name if served_name is None else served_name,
        )
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
        self._api_request("PUT", "/deployment/lora/" + quote(service_id, safe=""), service_id, json=spec.to_api())
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
        self._api_request("POST", "/deployment/" + quote(service_id, safe="") + "/cancel", service_id)

    def delete_deployment(self, service_id: str) -> bool:
        """``DELETE /deployment/{serviceId}``; True if it existed, False if the API says it is already gone.

        Idempotent: only the API's own JSON "not found" counts as gone (an HTML 404 from a proxy is an error).
        """
        service_id = validate_service_id(service_id)
        try:
            self._api_request("DELETE", "/deployment/" + quote(service_id, safe=""), service_id)
        except AlayaNotFoundError:
            return False
        return True

    def probe(self, deployment: Deployment, prompt: str = "ping") -> str:
        """Smoke test: one chat completion with ``max_tokens: 1``; returns the answer's text (scrubbed).

        Succeeds only on HTTP 200 with a well-formed OpenAI completion. Note the header is ``apiKey``.
        """
        sid = describe_service_id(deployment.service_id)
        if deployment.api_key:
            self._seen_api_keys.add(deployment.api_key)
        try:
            url = self._service_url(deployment)
            if not deployment.model:
                raise AlayaProbeError(
                    f"Deployment {sid} has no servedName, so no model to call. Check it in the console.",
                    service_id=deployment.service_id,
                )
            body = {
                "model": deployment.model,
                "messages": [{"role": "user", "content": prompt}],
                "max_tokens": 1,
                "stream": False,
            }
            headers = {"apiKey": deployment.api_key, "Content-Type": "application/json"}
            answer = self._send(
                "POST", url + "/v1/chat/completions", service_id=deployment.service_id, headers=headers, json=body
            )
            if 300 <= answer.status < 400:
                raise redirect_error(answer, deployment.service_id,
                                     "The apiKey is never sent on; check the deployment's serviceUrl.", probe=True)
            content = completion_text(parse_json(answer.body)[0]) if answer.status == 200 else None
            if content is None:
                raise AlayaProbeError(
                    f"Smoke test of {sid} ({deployment.model}) failed: HTTP {answer.status} without a "
                    "well-formed chat completion. Check the deployment is running and its apiKey is current.",
                    service_id=deployment.service_id,
                    http_status=answer.status,
                )
            return self._scrub(content)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        raise failure

    @staticmethod
    def _service_url(deployment: Deployment) -> str:
        # An unusable serviceUrl is the deployment's problem, found after requests were sent: a probe failure.
        try:
            return validate_base_url(deployment.service_url, what="serviceUrl")
        except AlayaInputError as exc:
            raise AlayaProbeError(f"Smoke test of {describe_service_id(deployment.service_id)} not sent: {exc}",
                                  service_id=deployment.service_id) from None


_T = TypeVar("_T")


def _found(value: _T | None) -> _T:
    # For the type checker: the goals "running"/"stopped" and a failed future always carry a value.
    if value is None:
        raise AlayaError("internal error: a wait ended without a result")
    return value


class _Cancelled(AlayaError):
    """A sibling in a batch failed first; this one stopped without a verdict of its own."""

    kind = "cancelled"

    def __init__(self) -> None:
        super().__init__("cancelled because another deployment in the batch failed first")


# What a wait polls through: every status a single call would retry.
_TRANSIENT_STATUSES = _RETRY_ANY_METHOD | _RETRY_IDEMPOTENT


def _transient(exc: AlayaError) -> bool:
    if isinstance(exc, AlayaTransportError):
        return True
    return isinstance(exc, AlayaAPIError) and exc.kind == AlayaAPIError.kind and exc.http_status in _TRANSIENT_STATUSES


def _beyond(exc: AlayaError, deadline: float) -> bool:
    """A Retry-After past the wait's budget: waiting would only end in a timeout that hides the reason."""
    retry_after = getattr(exc, "retry_after", None)
    return retry_after is not None and time.monotonic() + retry_after >= deadline
