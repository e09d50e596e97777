"""A second loopback server that records whatever reaches it: the "other host" of redirect and leak tests.

It answers every request with a plausible running deployment, so a client that followed a redirect to it
would be seen accepting an unauthenticated answer, and its log shows which headers and body came along.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Recorder:
    def __init__(self) -> None:
        self.log: list[dict[str, Any]] = []
        # When set, every request is answered with a 307 to this URL (plus the path): a redirecting host.
        self.redirect_to: str | None = None
        # When set, every answer sets this cookie: a host that would have it sent back.
        self.cookie: str | None = None
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                recorder.log.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                     "body": body})
                if recorder.redirect_to:
                    self.send_response(307)
                    self.send_header("Location", recorder.redirect_to + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                service_id = self.path.rstrip("/").rsplit("/", 1)[-1]
                data = json.dumps({"code": 0, "msg": "", "data": {
                    "serviceId": service_id, "status": "running", "serviceUrl": "http://127.0.0.1:9/svc",
                    "apiKey": "sk-from-the-other-host", "servedName": ["other"],
                }}).encode()
                self.send_response(200)
                if recorder.cookie:
                    self.send_header("Set-Cookie", recorder.cookie)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    def text(self) -> str:
        """Everything that reached this server, as one string to search for leaked secrets."""
        return json.dumps(self.log)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
