"""A local, threaded HTTP emulator of the Alaya serverless-infer API (like moto or LocalStack).

API paths live under ``/api/serverless-infer/v1``; each deployment's ``serviceUrl`` is ``/svc/{serviceId}`` on
the same server and answers ``POST /v1/chat/completions`` and ``GET /v1/models`` as OpenAI does. Test hooks
live under ``/_emulator/`` (no auth, loopback only): ``reset``, ``deployments`` (POST adds, GET lists),
``faults``, ``requests``, ``timing`` (``startupSeconds``/``deleteSeconds``/``baseStartupSeconds``/``gpuCapacity``
until the next reset), ``rate-limit``
(``{"rate": N, "burst": B}``, 0 turns it off; until the next reset) and ``throttling`` (429s answered, early
arrivals: see throttle.py).

Faults (``POST /_emulator/faults``): see ``faults.py``.
"""

from __future__ import annotations

import json
import re
import sys
from http.server import ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from . import openai_api
from .faults import FaultInjectors
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


class _Handler(FaultInjectors):
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

