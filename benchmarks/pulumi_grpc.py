"""100 Create+Read rounds through the real provider server (gRPC) vs 100 direct client reads (goal <= 1.5x).

Each round is what `pulumi up` then `pulumi refresh` cost one resource; the baseline is the same two reads
made directly with the core client.
Run: python benchmarks/pulumi_grpc.py [--rounds 100]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from _common import report, timed  # noqa: E402
from pulumi_engine import ProviderProcess, secret  # noqa: E402

from pulumi_alaya.client import AlayaClient  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402

SID = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds the emulator adds to each answer (0: loopback; the real API is farther)")
    args = parser.parse_args()
    with start_emulator() as emulator:
        if args.latency:
            emulator.set_faults({SID: {"latency": args.latency}})
        engine = ProviderProcess()
        engine.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(emulator.secret_key),
                          "alaya:baseUrl": emulator.url})
        client = AlayaClient(emulator.access_key, emulator.secret_key, emulator.url)
        inputs = {"service_id": SID, "wait_until_running": True, "wait_timeout": 600.0}

        def grpc_rounds() -> None:
            for _ in range(args.rounds):
                created = engine.create(inputs)
                engine.read(created.id, inputs, inputs)

        def direct() -> None:
            for _ in range(args.rounds):
                client.wait_until_running(SID)
                client.get_deployment(SID)

        grpc_rounds(), direct()  # warm: provider unpickled and configured, pools open
        ours, base = [], []
        for _ in range(3):
            ours += timed(grpc_rounds)
            base += timed(direct)
        engine.stop()
        report(f"{args.rounds} Create+Read over gRPC (latency {args.latency * 1000:.0f} ms)", ours, base, "<= 1.5x")


if __name__ == "__main__":
    main()
