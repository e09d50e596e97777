"""A local, threaded HTTP emulator of the Alaya serverless-infer API (like moto or LocalStack).

API paths live under ``/api/serverless-infer/v1``; each deployment's ``serviceUrl`` is ``/svc/{serviceId}`` on
the same server and answers ``POST /v1/chat/completions`` and ``GET /v1/models`` as OpenAI does. Test hooks
live under ``/_emulator/`` (no auth, loopback only): ``reset``, ``deployments`` (POST adds, GET lists),
``faults``, ``requests``, ``timing`` (``startupSeconds``/``deleteSeconds``/``baseStartupSeconds``/``gpuCapacity``
until the next reset), ``rate-limit``
(``{"rate": N, "burst": B}``, 0 turns it off; until the next reset) and ``throttling`` (429s answered, early
arrivals: see throttle.py).

Faults, per serviceId (``POST /_emulator/faults {"<id>": {...}}``):
  ``latency`` seconds before answering; ``methods`` (a list of verbs) limits the failures to those; ``times``
  N failures (-1: forever) of one kind: ``status`` (an HTTP code, with ``retry_after``, ``body: "html"`` and
  ``location`` for a 3xx), ``reset`` (close without
  answering), ``truncate`` (cut JSON), ``cut`` (Content-Length promises more than is sent), ``cut_chunked``
  (a chunked body that stops mid-chunk), ``trickle`` (seconds between single body bytes), ``endless`` (a
  chunked body that never ends), ``huge`` (N bytes declared and streamed), ``bad_gzip``, ``gzip_bomb`` (N
  zero bytes gzipped), ``deep_json`` (arrays nested N deep), ``echo_secret`` (an error whose msg echoes the
  Authorization header); ``body`` a raw 200 body; ``style`` "bare"/"envelope"; ``code_string``;
  ``key_spelling`` "apikey"; ``served_name_string``; ``misspell_status``; ``code_error`` a msg answered as
  ``{code: -1}``; ``raw_data`` a success envelope around any payload; ``override`` fields laid over the
  deployment as the API shows it (multi-line values, an empty serviceUrl, an undocumented status).
Writes: faults keyed by serviceId apply to PUT/DELETE/cancel too; ``POST /deployment/lora`` uses the key
``"lora:create"``, which also takes ``lost_after_create`` (create, then reset) and ``will_fail`` (the new
deployment goes starting -> failed); ``ignore_update`` answers a PUT with success and changes nothing.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from . import openai_api
from .state import World
from .throttle import Throttle

API_PREFIX = "/api/serverless-infer/v1"
_MISSPELL = {"starting": "staring", "stopping": "stoping", "stopped": "stoped"}
_ROUTES = [
    ("GET", re.compile(r"/deployment/([^/]+)"), "get_deployment"),
    ("DELETE", re.compile(r"/deployment/([^/]+)"), "delete_deployment"),
    ("POST", re.compile(r"/deployment/([^/]+)/cancel"), "cancel_deployment"),
    ("POST", re.compile(r"/deployment/lora"), "create_lora"),
    ("PUT", re.compile(r"/deployment/lora/([^/]+)"), "update_lora"),
    ("POST", re.compile(r"/deployment"), "create_base"),
    ("PUT", re.compile(r"/deployment/([^/]+)"), "update_base"),
]


# Faults for POST /deployment/lora (no serviceId yet) live under this key; ``lost_after_create`` creates the
# deployment and then drops the connection, as a timeout after the server acted would look.
CREATE_FAULT_KEY = "lora:create"
BASE_CREATE_FAULT_KEY = "base:create"  # the same, for POST /deployment (a base-model create)
_BODY_FAULTS = ("cut", "cut_chunked", "trickle", "endless", "huge", "bad_gzip", "gzip_bomb", "deep_json")
_BOMBS: dict[int, bytes] = {}


def _zeros_gzipped(size: int) -> bytes:
    if size not in _BOMBS:
        _BOMBS[size] = gzip.compress(b"\0" * size, compresslevel=9)
    return _BOMBS[size]


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many concurrent clients (the lookup's thread pool, benchmarks) connect at once.
    request_queue_size = 128

    def __init__(self, host: str, port: int, seed: dict[str, Any], state_file: str | None = None,
                 rate_limit: float = 0.0, burst: float | None = None) -> None:
        super().__init__((host, port), _Handler)
        shown_host = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown_host}:{self.server_address[1]}"
        self.world = World(seed, self.url, state_file)
        self.throttle = Throttle(rate_limit, burst)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out and hang up mid-answer are normal under fault injection: no traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real API behind its load balancer
    # Headers and body in one segment, sent at once: otherwise Nagle plus delayed ACKs add ~40 ms per answer.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    @property
    def emulator(self) -> EmulatorServer:
        # socketserver types .server as BaseServer, and a narrower annotation would be an unsound override.
        return cast(EmulatorServer, self.server)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # Quiet: request lines would include paths only, but tests read stdout for the port.

    # -- plumbing ---------------------------------------------------------------------------------

    def _read_request_body(self) -> bytes:
        # Always read whole, even when the answer does not need it: left unread, it would be parsed as the
        # next request on this keep-alive connection.
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(length, 1 << 20)) if length > 0 else b""

    def _body(self) -> Any:
        raw = self._raw_body
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def _send(self, status: int, payload: Any = None, *, raw: bytes | None = None,
              headers: dict[str, str] | None = None, content_type: str = "application/json") -> None:
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self._status = status

    def _error(self, status: int, msg: str) -> None:
        self._send(status, {"code": -1, "data": None, "msg": msg})

    def _reset_connection(self) -> None:
        # An abortive close (RST), as a crashing proxy would do: the client sees a connection reset.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True
        self._status = 0

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        self._raw_body = self._read_request_body()
        path = urlsplit(self.path).path
        world = self.emulator.world
        if path.startswith("/_emulator/"):
            return self._admin(method, path[len("/_emulator/"):])
        self._status = 0
        entry = self._entry = world.record(method, path)
        try:
            if path.startswith("/svc/"):
                self._model_endpoint(method, path)
            elif path.startswith(API_PREFIX + "/"):
                self._api(method, path[len(API_PREFIX):])
            else:  # what a web server or proxy in front of the API says: not the API's JSON error shape
                self._send(404, raw=b"<html><body><h1>404 Not Found</h1></body></html>", content_type="text/html")
        finally:
            entry["status"] = self._status

    # -- test hooks -------------------------------------------------------------------------------

    def _admin(self, method: str, what: str) -> None:
        world = self.emulator.world
        if method == "POST" and what == "reset":
            world.reset()
            self.emulator.throttle.reset()
            return self._send(200, {"ok": True})
        if method == "POST" and what == "rate-limit":
            body = self._body() or {}
            try:
                self.emulator.throttle.configure(float(body.get("rate") or 0), body.get("burst"))
            except (TypeError, ValueError) as exc:
                return self._send(400, {"error": str(exc)})
            return self._send(200, {"ok": True})
        if method == "GET" and what == "throttling":
            return self._send(200, self.emulator.throttle.report())
        if method == "POST" and what == "faults":
            world.set_faults(self._body() or {})
            return self._send(200, {"ok": True})
        if method == "POST" and what == "timing":
            world.timing(self._body() or {})
            return self._send(200, {"ok": True})
        if method == "POST" and what == "deployments":
            return self._send(200, {"serviceIds": world.upsert(self._body() or [])})
        if method == "GET" and what == "deployments":
            return self._send(200, world.listing())
        if method == "GET" and what == "requests":
            query = parse_qs(urlsplit(self.path).query)
            return self._send(200, world.requests(query.get("contains", [""])[0], query.get("method", [""])[0]))
        if method == "DELETE" and what == "requests":
            world.clear_requests()
            return self._send(200, {"ok": True})
        if method == "GET" and what == "health":
            return self._send(200, {"ok": True, "url": self.emulator.url})
        self._send(404, {"error": f"unknown emulator hook {method} {what}"})

    # -- the management API -----------------------------------------------------------------------

    def _api(self, method: str, path: str) -> None:
        world = self.emulator.world
        expected = f"plain Credential={world.access_key},Signature={world.secret_key}"
        if self.headers.get("Authorization") != expected:
            return self._error(401, "unauthorized: invalid Authorization header")
        wait = self.emulator.throttle.arrive(world.access_key, method, path, self._raw_body)
        if wait is not None:
            self.emulator.throttle.told(world.access_key, method, path, self._raw_body, wait)
            return self._send(429, {"code": -1, "data": None, "msg": "rate limit exceeded for this access key"},
                              headers={"Retry-After": str(wait)})
        self._api_path = path
        for route_method, pattern, handler in _ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                getattr(self, "_" + handler)(*[unquote(g) for g in match.groups()])
                return
        self._error(404, f"no route {method} {path}")

    def _faulted(self, service_id: str, fault: dict[str, Any]) -> bool:
        """Apply injected latency and failures; True when the answer was already sent (or dropped)."""
        world = self.emulator.world
        if fault.get("latency"):
            time.sleep(float(fault["latency"]))
        if fault.get("methods") and self.command not in fault["methods"]:
            return False  # a fault for some verbs only (a DELETE that fails while reads work)
        failure = world.take_failure(service_id)
        if failure is None:
            return False
        for kind in _BODY_FAULTS:
            if kind in failure:
                getattr(self, "_fault_" + kind)(failure[kind], service_id)
                return True
        status = int(failure.get("status", 503))
        headers = {"Retry-After": str(failure["retry_after"])} if "retry_after" in failure else {}
        if status == 429 and "retry_after" in failure:  # an injected 429 is a come-back time like any other
            self.emulator.throttle.told(world.access_key, self.command, self._api_path, self._raw_body,
                                      float(failure["retry_after"]))
        if "location" in failure:
            headers["Location"] = str(failure["location"])
        if "raw_data" in failure:  # a success envelope around any payload (undocumented answer shapes)
            self._send(200, {"code": 0, "data": failure["raw_data"], "msg": ""})
        elif failure.get("reset"):
            self._reset_connection()
        elif failure.get("truncate"):
            self._send(200, raw=b'{"code": 0, "data": {"serviceId": "' + service_id.encode()[:8])
        elif failure.get("body") == "html":
            page = f"<html><body><h1>{status} {self.responses.get(status, ('',))[0]}</h1></body></html>"
            self._send(status, raw=page.encode(), content_type="text/html", headers=headers)
        elif failure.get("echo_secret"):
            echoed = f"bad request: Authorization: {self.headers.get('Authorization')} was not accepted"
            self._send(status, {"code": -1, "data": None, "msg": echoed}, headers=headers)
        else:
            self._send(status, {"code": -1, "data": None, "msg": f"injected HTTP {status}"}, headers=headers)
        return True

    # -- hostile bodies: each closes the connection afterwards ------------------------------------

    def _head(self, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        self._status = 200

    def _fault_cut(self, _: Any, service_id: str) -> None:
        self._head({"Content-Length": "4096"})
        self.wfile.write(json.dumps({"code": 0, "data": {"serviceId": service_id}}).encode()[:20])

    def _fault_cut_chunked(self, _: Any, service_id: str) -> None:
        self._head({"Transfer-Encoding": "chunked"})
        self.wfile.write(b"400\r\n" + b'{"code": 0, "data": {')  # promises 1024 bytes, sends 21, hangs up

    def _fault_trickle(self, seconds: Any, service_id: str) -> None:
        body = json.dumps({"code": 0, "data": {"serviceId": service_id, "status": "running"}}).encode()
        self._head({"Content-Length": str(len(body))})
        for byte in body:  # bounded by the body's length: ends by itself even if nobody hangs up
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(float(seconds))

    def _fault_endless(self, _: Any, service_id: str) -> None:
        self._head({"Transfer-Encoding": "chunked"})
        chunk = b" " * 65536
        for _ in range(16 * 1024):  # 1 GiB at most, so a client that never hangs up cannot keep us forever
            self.wfile.write(b"10000\r\n" + chunk + b"\r\n")

    def _fault_huge(self, size: Any, service_id: str) -> None:
        self._head({"Content-Length": str(int(size))})
        chunk, left = b" " * 65536, int(size)
        while left > 0:
            self.wfile.write(chunk[:left])
            left -= len(chunk)

    def _fault_bad_gzip(self, _: Any, service_id: str) -> None:
        body = b"\x1f\x8b\x08\x00 this is not gzip at all"
        self._head({"Content-Encoding": "gzip", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _fault_gzip_bomb(self, size: Any, service_id: str) -> None:
        body = _zeros_gzipped(int(size))
        self._head({"Content-Encoding": "gzip", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _fault_deep_json(self, depth: Any, service_id: str) -> None:
        body = b"[" * int(depth) + b"]" * int(depth)
        self._head({"Content-Length": str(len(body))})
        self.wfile.write(body)

    def _get_deployment(self, service_id: str) -> None:
        world = self.emulator.world
        fault = world.fault(service_id)
        if self._faulted(service_id, fault):
            return
        if "body" in fault:
            return self._send(200, raw=str(fault["body"]).encode())
        if fault.get("code_error"):
            return self._send(200, {"code": -1, "data": None, "msg": fault["code_error"]})
        dep = world.read(service_id)
        if dep is None:
            return self._error(404, f"deployment {service_id} not found")
        # What this read showed, so a test can prove an order of states from the log alone (no sleeps).
        self._entry["deploymentStatus"] = dep["status"]
        if fault.get("key_spelling") == "apikey":
            dep["apikey"] = dep.pop("apiKey")
        if fault.get("served_name_string") and isinstance(dep.get("servedName"), list):
            dep["servedName"] = dep["servedName"][0]
        if fault.get("misspell_status"):
            dep["status"] = _MISSPELL.get(dep["status"], dep["status"])
        dep.update(fault.get("override") or {})
        if fault.get("style") == "bare":
            return self._send(200, dep)
        self._send(200, {"code": "0" if fault.get("code_string") else 0, "data": dep, "msg": ""})

    def _delete_deployment(self, service_id: str) -> None:
        if self._faulted(service_id, self.emulator.world.fault(service_id)):
            return
        outcome = self.emulator.world.delete(service_id)
        if isinstance(outcome, str):
            return self._error(400, outcome)
        if outcome:
            return self._send(200, {"code": 0, "data": None, "msg": ""})
        self._error(404, f"deployment {service_id} not found")

    def _cancel_deployment(self, service_id: str) -> None:
        if self._faulted(service_id, self.emulator.world.fault(service_id)):
            return
        if self.emulator.world.cancel(service_id):
            return self._send(200, {"code": 0, "data": None, "msg": ""})
        self._error(404, f"deployment {service_id} not found")

    def _create_lora(self) -> None:
        world = self.emulator.world
        fault = world.fault(CREATE_FAULT_KEY)
        if not fault.get("lost_after_create") and self._faulted(CREATE_FAULT_KEY, fault):
            return
        problem, created = world.create_lora(self._body(), will_fail=bool(fault.get("will_fail")))
        if problem:
            return self._error(400, problem)
        if fault.get("lost_after_create") and world.take_failure(CREATE_FAULT_KEY) is not None:
            return self._reset_connection()  # made it, then the answer never arrives
        self._send(200, {"code": 0, "data": created, "msg": ""})

    def _update_lora(self, service_id: str) -> None:
        fault = self.emulator.world.fault(service_id)
        if self._faulted(service_id, fault):
            return
        if fault.get("ignore_update"):  # says yes, changes nothing: what a client must not call success
            return self._send(200, {"code": 0, "data": None, "msg": ""})
        problem = self.emulator.world.update_lora(service_id, self._body())
        if problem == "not found":
            return self._error(404, f"deployment {service_id} not found")
        if problem:
            return self._error(400, problem)
        self._send(200, {"code": 0, "data": None, "msg": ""})

    def _create_base(self) -> None:
        world = self.emulator.world
        fault = world.fault(BASE_CREATE_FAULT_KEY)
        if not fault.get("lost_after_create") and self._faulted(BASE_CREATE_FAULT_KEY, fault):
            return
        problem, created = world.create_base(self._body())
        if problem:
            return self._error(400, problem)
        if fault.get("lost_after_create") and world.take_failure(BASE_CREATE_FAULT_KEY) is not None:
            return self._reset_connection()  # made it, then the answer never arrives
        self._send(200, {"code": 0, "data": created, "msg": ""})

    def _update_base(self, service_id: str) -> None:
        fault = self.emulator.world.fault(service_id)
        if self._faulted(service_id, fault):
            return
        if fault.get("ignore_update"):  # says yes, changes nothing (as for a LoRA update)
            return self._send(200, {"code": 0, "data": None, "msg": ""})
        problem = self.emulator.world.update_base(service_id, self._body())
        if problem == "not found":
            return self._error(404, f"deployment {service_id} not found")
        if problem:
            return self._error(400, problem)
        self._send(200, {"code": 0, "data": None, "msg": ""})

    # -- each deployment's OpenAI-compatible endpoint ---------------------------------------------

    def _model_endpoint(self, method: str, path: str) -> None:
        match = re.fullmatch(r"/svc/([^/]+)(/v1/.*)", path)
        dep = self.emulator.world.chat_target(unquote(match.group(1))) if match else None
        if dep is None or match is None:
            status, payload, content_type = openai_api.error(404, "invalid_request_error", "not_found",
                                                             "No such deployment endpoint.")
        else:
            status, payload, content_type = openai_api.answer(method, match.group(2), self.headers.get("apiKey"),
                                                              self._body(), dep)
        if isinstance(payload, bytes):
            return self._send(status, raw=payload, content_type=content_type)
        self._send(status, payload, content_type=content_type)

