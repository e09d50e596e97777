"""Test-only, on PYTHONPATH of the processes a test starts: send the client's debug log to that test.

Each record of the ``pulumi_alaya`` logger (one line per answer and per retry) goes as one UDP datagram to
127.0.0.1:$ALAYA_TEST_LOG_PORT, prefixed ``refused`` when nothing was sent (a connection refused). A test can
then act on what a wait inside a CLI, an Ansible module or a Pulumi provider has met, instead of sleeping.
"""

from __future__ import annotations

import logging
import os
import socket


class ForwardClientLog(logging.Handler):
    def __init__(self, port: int) -> None:
        super().__init__(logging.DEBUG)
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        refused = any(getattr(arg, "maybe_sent", True) is False for arg in args)
        line = ("refused " if refused else "") + record.getMessage()
        try:
            self.sock.sendto(line.encode(), ("127.0.0.1", self.port))
        except OSError:
            pass  # the test is gone: nothing to tell


def install(port: int) -> ForwardClientLog:
    handler = ForwardClientLog(port)
    logger = logging.getLogger("pulumi_alaya")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    return handler


if os.environ.get("ALAYA_TEST_LOG_PORT"):
    install(int(os.environ["ALAYA_TEST_LOG_PORT"]))
