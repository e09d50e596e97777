"""Serve one Pulumi program to the engine from its own process: ``python program_server.py MODULE:FUNC``.

What the Automation API does in-process (a language server the CLI reaches with ``--client``), moved out of
pytest: a CLI killed mid-``up`` leaves this program stranded, and it must not strand the test process too.
Prints the port it listens on, then serves until killed.
"""

from __future__ import annotations

import importlib
import sys
from concurrent import futures
from pathlib import Path

import grpc
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2_grpc

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    module, function = sys.argv[1].split(":")
    program = getattr(importlib.import_module(module), function)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageServer(program), server)
    print(server.add_insecure_port("127.0.0.1:0"), flush=True)
    server.start()
    server.wait_for_termination()
