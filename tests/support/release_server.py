"""A stand-in for this repository's GitHub releases on 127.0.0.1, for the engine to download the plugin from.

It serves a folder laid out as GitHub serves release assets (``releases/download/vVERSION/ASSET``) and records
every path asked for, so a test can say what the engine downloaded, and that a second run downloaded nothing.
``override()`` is the ``PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES`` value that sends the engine here instead of to the
schema's ``github://api.github.com/pulumi-alaya`` (the engine matches it against the GitHub source's URL,
``github://api.github.com/pulumi-alaya/pulumi-alaya``, and fills ``${VERSION}`` itself).
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SOURCE_URL = r"^github://api\.github\.com/pulumi-alaya/pulumi-alaya$"


class ReleaseServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.asked: list[str] = []
        asked = self.asked

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                asked.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def publish(self, files: list[Path], version: str, folder: str = "releases/download") -> str:
        """Copy ``files`` in as the release ``vVERSION`` under ``folder``; the URL of that release's folder."""
        release = self.root / folder / f"v{version}"
        release.mkdir(parents=True, exist_ok=True)
        for path in files:
            shutil.copy(path, release / path.name)
        return f"{self.url}/{folder}/v{version}"

    def override(self, folder: str = "releases/download") -> str:
        return f"{SOURCE_URL}={self.url}/{folder}/v${{VERSION}}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
