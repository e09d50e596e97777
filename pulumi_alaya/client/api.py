"""``AlayaClient``: the one place that talks HTTP to the Alaya serverless-infer API.

Everything (Pulumi provider, Ansible module and lookup, CLI) calls the named methods below; ``_send`` is
the only caller of ``requests``. It applies auth, timeouts, the retry policy and error mapping once.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote, urlsplit

import requests
import requests.adapters

from .errors import (
    AlayaAPIError,
    AlayaAuthError,
    AlayaDeploymentFailedError,
    AlayaError,
    AlayaForbiddenError,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaTransportError,
    AlayaWaitTimeoutError,
    describe_service_id,
)
from .models import TERMINAL_STATUSES, Deployment, DeploymentStatus, unwrap_envelope

__all__ = ["AlayaClient", "DEFAULT_BASE_URL", "validate_service_id", "validate_base_url"]

DEFAULT_BASE_URL = "https://api.alayanew.com"
API_PREFIX = "/api/serverless-infer/v1"
ENV_ACCESS_KEY = "ALAYA_ACCESS_KEY"
ENV_SECRET_KEY = "ALAYA_SECRET_KEY"
ENV_BASE_URL = "ALAYA_BASE_URL"

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: Any, what: str = "base_url") -> str:
    """https anywhere; plain http only to loopback (the emulator), so keys never cross a network in clear."""
    if not isinstance(url, str) or not url.strip():
        raise AlayaInputError(f"{what} is empty. Use {DEFAULT_BASE_URL} or the emulator's URL.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AlayaInputError(
            f"{what} {url[:80]!r} is not an http(s) URL with a host. Write it like {DEFAULT_BASE_URL}."
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise AlayaInputError(
            f"{what} {url[:80]!r} uses plain http to a non-loopback host, which would send keys in clear. "
            "Use https (plain http is allowed only for 127.0.0.1/localhost)."
        )
    return url.strip().rstrip("/")


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

    Building a client checks its arguments but does no I/O. One pooled ``requests.Session`` serves every
    call, including concurrent ones from ``get_deployments``.
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
        max_workers: int = 16,
    ) -> None:
        self._access_key = _check_key(access_key, "access_key", ENV_ACCESS_KEY)
        self._secret_key = _check_key(secret_key, "secret_key", ENV_SECRET_KEY)
        url = validate_base_url(base_url or DEFAULT_BASE_URL)
        self.base_url = url if url.endswith(API_PREFIX) else url + API_PREFIX
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise AlayaInputError(f"timeout must be a positive number of seconds, not {timeout!r}.")
        if not isinstance(retries, int) or not 0 <= retries <= 20:
            raise AlayaInputError(f"retries must be a whole number from 0 to 20, not {retries!r}.")
        self.timeout = float(timeout)
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        # Overall bound on one call, retries and Retry-After waits included.
        self.deadline = deadline if deadline is not None else self.timeout * (retries + 1) + 30.0
        self.verify = verify
        self.max_workers = max_workers
        # Deployment keys this client has seen: scrubbed from every error message it raises.
        self._seen_api_keys: set[str] = set()
        self._session: requests.Session | None = None
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
    def session(self) -> requests.Session:
        if self._session is None:
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=self.max_workers)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = "pulumi-alaya/0.1"
            session.verify = self.verify
            self._session = session
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

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

    @staticmethod
    def _retry_after(response: requests.Response) -> float | None:
        value = response.headers.get("Retry-After", "")
        try:
            return max(0.0, float(value))  # seconds; also accepts "1.5" from lenient servers
        except ValueError:
            return None  # An HTTP date or garbage: fall back to our own backoff.

    def _send(
        self,
        method: str,
        url: str,
        *,
        service_id: str,
        headers: dict[str, str],
        json: Any = None,
    ) -> requests.Response:
        """Send one logical request: bounded attempts, backoff with jitter, one overall deadline."""
        started = time.monotonic()
        idempotent = method in _IDEMPOTENT
        sid = describe_service_id(service_id)
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.session.request(
                    method, url, headers=headers, json=json, timeout=(min(self.timeout, 10.0), self.timeout)
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                # A read timeout or reset may hit a request the server already processed: repeat only GETs.
                delay = self._backoff_delay(attempt)
                if idempotent and not last and time.monotonic() - started + delay < self.deadline:
                    _LOG.debug("%s %s: %s, retry %d in %.2fs", method, sid, type(exc).__name__, attempt + 1, delay)
                    self._sleep(delay)
                    continue
                what = "timed out" if isinstance(exc, requests.Timeout) else "lost the connection"
                raise AlayaTransportError(
                    f"Request for serviceId {sid} to {urlsplit(url).netloc} {what} after {attempt + 1} "
                    f"attempt(s). Check base_url and the network, or raise timeout/retries.",
                    service_id=service_id,
                ) from None
            status = response.status_code
            _LOG.debug("%s %s -> HTTP %d (attempt %d)", method, sid, status, attempt + 1)
            if status in _RETRY_ANY_METHOD or (idempotent and status in _RETRY_IDEMPOTENT):
                asked = self._retry_after(response)
                delay = self._backoff_delay(attempt) if asked is None else asked
                if not last and time.monotonic() - started + delay < self.deadline:
                    self._sleep(delay)
                    continue
            return response
        raise AssertionError("unreachable: the loop always returns or raises")

    def _api_request(self, method: str, path: str, service_id: str, json: Any = None) -> Any:
        """Call the management API and return the unwrapped payload, or raise the matching typed error."""
        headers = {
            "Authorization": f"plain Credential={self._access_key},Signature={self._secret_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        try:
            response = self._send(method, self.base_url + path, service_id=service_id, headers=headers, json=json)
            body = self._json_or_none(response)
            if response.status_code >= 400:
                raise _error_from_response(response, body, service_id)
            if body is None:
                raise AlayaMalformedResponseError(
                    f"Alaya API answered HTTP {response.status_code} for serviceId "
                    f"{describe_service_id(service_id)} with a body that is not JSON. "
                    "Check base_url points at the Alaya API; retry later.",
                    service_id=service_id,
                    http_status=response.status_code,
                )
            return unwrap_envelope(body, service_id, response.status_code)
        except AlayaError as exc:
            raise self._scrubbed(exc) from None

    @staticmethod
    def _json_or_none(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    # -- deployments -------------------------------------------------------------------------------

    def get_deployment(self, service_id: str) -> Deployment:
        """``GET /deployment/{serviceId}``: a LoRA (or base-model) deployment as a typed record."""
        service_id = validate_service_id(service_id)
        payload = self._api_request("GET", "/deployment/" + quote(service_id, safe=""), service_id)
        try:
            deployment = Deployment.from_raw(payload, service_id)
        except AlayaError as exc:
            raise self._scrubbed(exc) from None
        if deployment.api_key:
            self._seen_api_keys.add(deployment.api_key)
        return deployment

    def read_deployment(
        self,
        service_id: str,
        *,
        wait: bool = False,
        wait_timeout: float = 600.0,
        on_status: Callable[[Deployment], None] | None = None,
    ) -> Deployment:
        """What every front end's "read, optionally waiting" option means: one switch, one behaviour."""
        if wait:
            return self.wait_until_running(service_id, wait_timeout, on_status=on_status)
        return self.get_deployment(service_id)

    def get_deployments(
        self, service_ids: Iterable[str], *, wait: bool = False, wait_timeout: float = 600.0
    ) -> list[Deployment]:
        """Read many deployments concurrently over the one pooled session; results keep the input order.

        Every ID is checked before any request. The first failure (in input order) is raised.
        """
        ids = [validate_service_id(sid) for sid in service_ids]

        def read(service_id: str) -> Deployment:
            return self.read_deployment(service_id, wait=wait, wait_timeout=wait_timeout)

        if len(ids) <= 1:
            return [read(sid) for sid in ids]
        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(ids))) as pool:
            return list(pool.map(read, ids))

    def wait_until_running(
        self,
        service_id: str,
        timeout: float = 600.0,
        *,
        on_status: Callable[[Deployment], None] | None = None,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> Deployment:
        """Poll until the deployment is ``running`` and return the fresh record.

        Backoff grows from ``interval`` to ``max_interval``; ``on_status`` hears each status change. Fails
        fast on ``failed``/``stopped`` (they are not left by themselves) and times out with the last status.
        """
        service_id = validate_service_id(service_id)
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise AlayaInputError(f"wait timeout must be a positive number of seconds, not {timeout!r}.")
        if interval <= 0 or max_interval < interval:
            raise AlayaInputError("wait interval must be positive and not above max_interval.")
        sid = describe_service_id(service_id)
        deadline = time.monotonic() + timeout
        last: DeploymentStatus | None = None
        while True:
            deployment = self.get_deployment(service_id)
            if deployment.status is not last:
                last = deployment.status
                if on_status is not None:
                    on_status(deployment)
            if deployment.status is DeploymentStatus.RUNNING:
                return deployment
            if deployment.status in TERMINAL_STATUSES:
                raise AlayaDeploymentFailedError(
                    f"Deployment {sid} is {deployment.status.value} and will not become running by itself. "
                    "Check its events in the Alaya console, then redeploy or restart it.",
                    service_id=service_id,
                    status=deployment.status.value,
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AlayaWaitTimeoutError(
                    f"Deployment {sid} was still {deployment.status.value} after waiting {timeout:g}s. "
                    "Raise the wait timeout or check the deployment in the Alaya console.",
                    service_id=service_id,
                    last_status=deployment.status.value,
                )
            self._sleep(min(interval, remaining))
            interval = min(max_interval, interval * 1.5)

    def probe(self, deployment: Deployment, prompt: str = "ping") -> str:
        """Smoke test: one chat completion with ``max_tokens: 1``; returns the answer's text.

        Succeeds only on HTTP 200 with a well-formed OpenAI completion. Note the header is ``apiKey``.
        """
        sid = describe_service_id(deployment.service_id)
        if deployment.api_key:
            self._seen_api_keys.add(deployment.api_key)
        try:
            url = validate_base_url(deployment.service_url, what=f"serviceUrl of {sid}")
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
            response = self._send(
                "POST", url + "/v1/chat/completions", service_id=deployment.service_id, headers=headers, json=body
            )
            answer = self._json_or_none(response)
            content = _completion_text(answer) if response.status_code == 200 else None
            if content is None:
                raise AlayaProbeError(
                    f"Smoke test of {sid} ({deployment.model}) failed: HTTP {response.status_code} without a "
                    "well-formed chat completion. Check the deployment is running and its apiKey is current.",
                    service_id=deployment.service_id,
                    http_status=response.status_code,
                )
            return content
        except AlayaError as exc:
            raise self._scrubbed(exc) from None


def _completion_text(answer: Any) -> str | None:
    try:
        content = answer["choices"][0]["message"]["content"]
    except (TypeError, KeyError, IndexError):
        return None
    return content if isinstance(content, str) else None


_STATUS_ERRORS: dict[int, tuple[type[AlayaAPIError], str]] = {
    400: (AlayaAPIError, "Check the serviceId and request parameters."),
    401: (AlayaAuthError, "Check access_key/secret_key (ALAYA_ACCESS_KEY/ALAYA_SECRET_KEY)."),
    403: (AlayaForbiddenError, "Your keys may not read this deployment; use keys of the owning account."),
    404: (AlayaNotFoundError, "Check the serviceId, or that the deployment was not deleted."),
    429: (AlayaAPIError, "Rate limited: retry later or lower concurrency."),
}


def _error_from_response(response: requests.Response, body: Any, service_id: str) -> AlayaAPIError:
    status = response.status_code
    cls, hint = _STATUS_ERRORS.get(status, (AlayaAPIError, "The Alaya API had a problem: retry later."))
    msg = body.get("msg") if isinstance(body, dict) else None
    code = body.get("code") if isinstance(body, dict) else None
    api_msg = msg if isinstance(msg, str) and msg else response.reason or "no message"
    return cls(
        f"Alaya API answered HTTP {status} for serviceId {describe_service_id(service_id)}: "
        f"{api_msg[:200]}. {hint}",
        service_id=service_id,
        http_status=status,
        code=code,
        api_msg=api_msg,
        path=urlsplit(response.url).path if response.url else None,
    )
