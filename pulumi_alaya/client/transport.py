"""HTTP on a hostile network: URL checks with the parser that sends, no redirects, no ambient auth, bounded bodies.

``requests`` on its own follows redirects with the ``apiKey`` header and body, swaps the signed header for
``~/.netrc`` credentials, proxies loopback through ``HTTP_PROXY``, rescans the environment on every call and
reads bodies of any size for as long as they trickle. ``Transport`` turns all of that off and resolves what a
user may legitimately set (``HTTPS_PROXY``/``NO_PROXY``, ``REQUESTS_CA_BUNDLE``/``SSL_CERT_FILE``) once per host.
"""

from __future__ import annotations

import os
import time
from typing import Any, NamedTuple

import requests
import requests.adapters

from .urls import is_loopback, parse_http_url

__all__ = ["Answer", "BodyError", "BodyTimeout", "SendError", "Transport"]

# One deployment is a few hundred bytes; a few MB is room for any real answer and a bound for a hostile one.
MAX_BODY_BYTES = 4 * 1024 * 1024
_CHUNK = 64 * 1024
_CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


class Answer(NamedTuple):
    """One HTTP answer, its body already read under the byte and time bounds. (A NamedTuple: a frozen dataclass
    costs a millisecond to define, at every start of every command.)"""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    url: str

    def __repr__(self) -> str:  # the URL left out, as the dataclass did
        return f"Answer(status={self.status!r}, reason={self.reason!r}, headers={self.headers!r}, body={self.body!r})"


class BodyError(Exception):
    """The body could not be read whole (cut short, bad chunking, bad gzip, over the size bound)."""

    def __init__(self, what: str, *, transient: bool) -> None:
        super().__init__(what)
        self.transient = transient


class SendError(Exception):
    """No HTTP answer: refused, reset or timed out. ``maybe_sent``: the server may have acted on it."""

    def __init__(self, *, timed_out: bool, maybe_sent: bool) -> None:
        super().__init__("timed out" if timed_out else "lost the connection")
        self.timed_out = timed_out
        self.maybe_sent = maybe_sent


class BodyTimeout(BodyError):
    def __init__(self) -> None:
        super().__init__("timed out while the body was still arriving", transient=True)


class Transport:
    """One pooled ``requests.Session`` that never consults the environment per request."""

    def __init__(self, *, verify: bool | str, pool_size: int, user_agent: str) -> None:
        session = requests.Session()
        # No netrc, no per-request proxy/CA environment scan: resolved once per host below instead.
        session.trust_env = False
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = user_agent
        session.headers["Accept-Encoding"] = "gzip, deflate"
        self.verify: bool | str = _ca_bundle() if verify is True else verify
        session.verify = self.verify
        self.session = session
        self._proxies: dict[str, dict[str, str]] = {}

    def close(self) -> None:
        self.session.close()

    def proxies_for(self, url: str) -> dict[str, str]:
        """``HTTPS_PROXY``/``HTTP_PROXY`` honouring ``NO_PROXY``, looked up once per host; never for loopback."""
        # Keyed by the URL's scheme and authority as written (the client validated it already), so a repeat
        # call parses nothing: this runs on every request.
        key = url.split("/", 3)[0] + "//" + url.split("/", 3)[2]
        if key not in self._proxies:
            scheme, host, _port, _path = parse_http_url(url, "URL", "https://api.alayanew.com")
            if is_loopback(host):
                self._proxies[key] = {}
            else:
                found = requests.utils.get_environ_proxies(url)
                self._proxies[key] = {k: v for k, v in found.items() if k in (scheme, "all")}
        return self._proxies[key]

    def request(self, method: str, url: str, *, headers: dict[str, str], json: Any, timeout: float,
                deadline: float) -> Answer:
        """Send once (no redirects) and read the body within ``deadline`` (a ``time.monotonic()`` value).

        Raises ``SendError``, ``BodyError`` or ``BodyTimeout``; never an exception that holds the request
        (its headers carry the keys).
        """
        # ``timeout`` bounds the whole attempt, body included: a body that trickles one byte at a time would
        # otherwise never trip a per-read timeout.
        deadline = min(deadline, time.monotonic() + timeout)
        limit = max(0.001, deadline - time.monotonic())
        try:
            # Straight to the adapter: Session.send would read a 3xx body whole to look for the next hop, and
            # would keep cookies a hostile server sets. Prepared here too: Session.prepare_request would merge
            # the session's (empty) cookies, params and auth into each request, a fifth of a read's CPU.
            prepared = requests.PreparedRequest()
            prepared.prepare_method(method)
            prepared.prepare_url(url, None)
            prepared.prepare_headers({**self.session.headers, **headers})
            prepared.prepare_body(None, None, json)
            response = self.session.get_adapter(url).send(prepared, stream=True, verify=self.verify,
                                                          proxies=self.proxies_for(url),
                                                          timeout=(min(limit, 10.0), limit))
        except (requests.ConnectionError, requests.Timeout) as exc:
            failure = SendError(timed_out=isinstance(exc, requests.Timeout), maybe_sent=not _before_sending(exc))
        else:
            try:
                body = _read_body(response, deadline)
            finally:
                response.close()
            return Answer(response.status_code, response.reason or "", dict(response.headers), body, url)
        raise failure  # outside the except block: no __context__ carrying the request


def _before_sending(exc: Exception) -> bool:
    """True when the request certainly never reached a server (refused, DNS, connect timeout)."""
    import urllib3.exceptions

    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the urllib3 cause
    return isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _ca_bundle() -> bool | str:
    for variable in _CA_VARIABLES:
        value = os.environ.get(variable)
        if value:
            return value
    return True


def _read_body(response: requests.Response, deadline: float) -> bytes:
    """The decoded body, at most ``MAX_BODY_BYTES``, with the attempt's deadline checked before every chunk."""
    from http.client import HTTPException

    import urllib3.exceptions

    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES and "Content-Encoding" not in response.headers:
        raise BodyError(f"the answer declares {int(declared)} bytes, over the {MAX_BODY_BYTES} byte bound",
                        transient=False)
    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BodyTimeout()
            _set_socket_timeout(raw, remaining)
            chunk = raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise BodyError(f"the answer's body is over the {MAX_BODY_BYTES} byte bound", transient=False)
            chunks.append(chunk)
    except urllib3.exceptions.DecodeError:
        raise BodyError("the answer's body is not valid gzip/deflate", transient=False) from None
    except (TimeoutError, urllib3.exceptions.ReadTimeoutError):
        raise BodyTimeout() from None
    except (urllib3.exceptions.HTTPError, HTTPException, OSError, ValueError):
        raise BodyError("the answer's body was cut short", transient=True) from None


def _set_socket_timeout(raw: Any, seconds: float) -> None:
    # requests sets the read timeout once per request; the remaining deadline shrinks while a body trickles.
    connection = getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(0.001, seconds))
