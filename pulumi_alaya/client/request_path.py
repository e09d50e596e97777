"""The one request path: the only caller of the transport (and so of ``requests``).

Every call goes through ``_send``: one overall deadline, the shared rate limiter, the retry policy's decision
after each attempt (``retry_policy.decide``), and the mapping of what went wrong to a typed error that names
what the call was about (its ``Subject``). ``_api_request`` adds the API's auth, envelope and error shapes.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .answers import error_from_response, parse_json, redirect_error, retry_after, throttled_error, uncertain
from .errors import AlayaAPIError, AlayaError, AlayaMalformedResponseError, AlayaTransportError, Subject
from .models import unwrap_envelope
from .ratelimit import ClientRateLimiter
from .retry_policy import RETRY_ANY_METHOD, decide, outcome_of
from .rules import check_key, check_whole_number, validate_base_url, validate_seconds
from .settings import (
    API_PREFIX,
    DEFAULT_BASE_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ENV_ACCESS_KEY,
    ENV_SECRET_KEY,
)
from .transport import Answer, BodyError, BodyTimeout, SendError, Transport
from .version import USER_AGENT

__all__ = ["RequestPath"]

_LOG = logging.getLogger("pulumi_alaya")
# A socket timeout may fire this much before the deadline it was computed from.
_CLOCK_SLACK = 0.01


def _timed_out(problem: SendError | BodyError | None) -> bool:
    return isinstance(problem, BodyTimeout) or getattr(problem, "timed_out", False)


class RequestPath:
    """Settings, the pooled session and the one send path that every call of ``AlayaClient`` shares."""

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
        self._access_key = check_key(access_key, "access_key", ENV_ACCESS_KEY)
        self._secret_key = check_key(secret_key, "secret_key", ENV_SECRET_KEY)
        url = validate_base_url(base_url or DEFAULT_BASE_URL)
        self.base_url = url if url.endswith(API_PREFIX) else url + API_PREFIX
        self.timeout = validate_seconds(timeout, "timeout")
        self.retries = check_whole_number(retries, "retries", 0, 20)
        self.max_workers = check_whole_number(max_workers, "concurrency", 1, 256)
        self.backoff = backoff
        self.max_backoff = max_backoff
        # Overall bound on one call, retries and Retry-After waits included.
        self.deadline = validate_seconds(deadline, "deadline") if deadline is not None else (
            self.timeout * (retries + 1) + 30.0)
        self.verify = verify
        # Deployment keys this client has seen: scrubbed from every error message it raises.
        self._seen_api_keys: set[str] = set()
        self._transport: Transport | None = None
        # Every API attempt of this client, from any thread, takes a slot here: a 429 slows them all.
        self.rate_limiter = ClientRateLimiter()
        # Indirection so the unit tests of the backoff maths can run without waiting.
        self._sleep: Callable[[float], None] = time.sleep

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            self._transport = Transport(verify=self.verify, pool_size=self.max_workers, user_agent=USER_AGENT)
        return self._transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    # -- secrets out of every message -------------------------------------------------------------

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

    # -- the send loop ----------------------------------------------------------------------------

    def _backoff_delay(self, attempt: int) -> float:
        # Exponential with "equal jitter": at least half the step, so retries spread out but never hammer.
        step = min(self.max_backoff, self.backoff * 2.0**attempt)
        return step / 2 + random.uniform(0, step / 2)

    def _send(self, method: str, url: str, *, subject: Subject, headers: dict[str, str], json: Any = None,
              deadline: float | None = None, paced: bool = False) -> Answer:
        """Send one logical request: attempts until ``retry_policy.decide`` stops them, within one deadline.

        ``deadline`` (a ``time.monotonic()`` value) tightens the client's own bound, e.g. to a wait's budget.
        ``paced`` (the API's calls): every attempt first waits for a slot of the shared rate limiter.
        """
        limit = time.monotonic() + self.deadline
        limit = min(limit, deadline) if deadline is not None else limit
        throttled: Answer | None = None
        for attempt in range(self.retries + 1):
            sent_at = self.rate_limiter.acquire(limit, retry=throttled is not None) if paced else 0.0
            if sent_at is None:  # held back (a Retry-After) past the deadline: nothing was sent
                if throttled is not None:
                    return throttled
                raise throttled_error(subject, self.rate_limiter.blocked_until - time.monotonic())
            answer, problem, outcome = self._attempt(method, url, headers, json, limit)
            asked = retry_after(answer) if answer is not None and answer.status in RETRY_ANY_METHOD else None
            if paced and answer is not None:
                if answer.status in RETRY_ANY_METHOD:
                    self.rate_limiter.throttled(sent_at, asked)
                else:
                    self.rate_limiter.succeeded()
            if answer is not None:  # the line tests and users read a wait's progress by (-v=9 shows it)
                _LOG.debug("%s %s -> HTTP %d (attempt %d)", method, subject.phrase, answer.status, attempt + 1)
            step = decide(outcome, method, retries_left=self.retries - attempt, time_left=limit - time.monotonic(),
                          backoff=self._backoff_delay(attempt), retry_after=asked, paced=paced)
            if step.action == "retry":
                if problem is not None:  # the problem itself is an argument: a handler can tell "refused" apart
                    _LOG.debug("%s %s: %s, retry %d in %.2fs", method, subject.phrase, problem, attempt + 1,
                               step.sleep)
                if paced and asked is not None:
                    throttled = answer  # the limiter holds every attempt of this client until then
                if step.sleep:
                    self._sleep(step.sleep)
                continue
            if step.action == "answer" and answer is not None:
                return answer
            if step.action == "uncertain":
                raise uncertain(method, subject, urlsplit(url).netloc)
            raise self._failure(problem, url, subject, attempt + 1,
                                out_of_time=deadline is not None and limit == deadline and _timed_out(problem)
                                and time.monotonic() >= limit - _CLOCK_SLACK)
        raise AssertionError("unreachable: the last attempt always answers or raises")

    def _attempt(self, method: str, url: str, headers: dict[str, str], json: Any,
                 limit: float) -> tuple[Answer | None, SendError | BodyError | None, str]:
        """One exchange: (answer, None, outcome) or (None, what broke, outcome), for the retry policy's table."""
        try:
            answer = self.transport.request(method, url, headers=headers, json=json, timeout=self.timeout,
                                            deadline=limit)
        except SendError as exc:
            return None, exc, "lost" if exc.maybe_sent else "refused"
        except BodyError as exc:
            return None, exc, "cut" if exc.transient else "unusable"
        return answer, None, outcome_of(answer.status)

    @staticmethod
    def _failure(problem: SendError | BodyError | None, url: str, subject: Subject, attempts: int, *,
                 out_of_time: bool = False) -> AlayaError:
        host = urlsplit(url).netloc
        if out_of_time:  # the caller's budget (a wait's) ended it: not the network's fault, and not said as such
            return AlayaTransportError(
                f"Request for {subject.phrase} to {host} was still unanswered when its caller's time ran out.",
                service_id=subject.service_id, out_of_time=True)
        if isinstance(problem, BodyError) and not problem.transient and not isinstance(problem, BodyTimeout):
            return AlayaMalformedResponseError(
                f"The answer from {host} for {subject.phrase} was unusable: {problem}. "
                "Check base_url points at the Alaya API; retry later.", service_id=subject.service_id)
        what = "timed out" if _timed_out(problem) else (
            str(problem) if isinstance(problem, BodyError) else "lost the connection")
        return AlayaTransportError(
            f"Request for {subject.phrase} to {host} {what} after {attempts} attempt(s). "
            "Check base_url and the network, or raise timeout/retries.", service_id=subject.service_id)

    # -- the management API -----------------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"plain Credential={self._access_key},Signature={self._secret_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def _api_request(self, method: str, path: str, subject: Subject, json: Any = None,
                     deadline: float | None = None) -> Any:
        """Call the management API and return the unwrapped payload, or raise the matching typed error."""
        try:
            answer = self._send(method, self.base_url + path, subject=subject, headers=self._auth_headers(),
                                json=json, deadline=deadline, paced=True)
            if 300 <= answer.status < 400:
                raise redirect_error(answer, subject, "Check base_url: use the address the API answers on.")
            body, problem = parse_json(answer.body)
            if answer.status >= 400:
                raise error_from_response(answer, body, subject, self._scrub)
            if body is None:
                raise AlayaMalformedResponseError(
                    f"Alaya API answered HTTP {answer.status} for {subject.phrase} with a body that is "
                    f"{problem}. Check base_url points at the Alaya API; retry later.",
                    service_id=subject.service_id,
                    http_status=answer.status,
                )
            return unwrap_envelope(body, subject, answer.status, self._scrub)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        raise failure
