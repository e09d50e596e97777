"""The emulator's fault injectors: what a hostile network or a misbehaving API does to one answer.

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
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

__all__ = ["FaultInjectors"]

_BODY_FAULTS = ("cut", "cut_chunked", "trickle", "endless", "huge", "bad_gzip", "gzip_bomb", "deep_json")
_BOMBS: dict[int, bytes] = {}


def _zeros_gzipped(size: int) -> bytes:
    if size not in _BOMBS:
        _BOMBS[size] = gzip.compress(b"\0" * size, compresslevel=9)
    return _BOMBS[size]


class FaultInjectors(BaseHTTPRequestHandler):
    """The request handler's faults: ``_faulted`` applies a serviceId's injected latency and failures."""

    _status: int
    _raw_body: bytes
    _api_path: str

    @property
    def emulator(self) -> Any:  # the EmulatorServer (server.py)
        raise NotImplementedError

    def _send(self, status: int, payload: Any = None, *, raw: bytes | None = None,
              headers: dict[str, str] | None = None, content_type: str = "application/json") -> None:
        raise NotImplementedError

    def _reset_connection(self) -> None:
        # An abortive close (RST), as a crashing proxy would do: the client sees a connection reset.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True
        self._status = 0

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
