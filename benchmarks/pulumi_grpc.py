"""100 Create+Read rounds through the real dynamic provider server (gRPC) vs the same calls made directly.

Each round is what `pulumi up` then `pulumi refresh` cost one owned `LoraDeployment` (create, wait until
running, read); the baseline is the same create, wait and read made directly with the core client (goal 1.5x).
Run: python benchmarks/pulumi_grpc.py [--rounds 100] [--latency 0.01] [--smoke]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from _common import report, timed  # noqa: E402

from pulumi_alaya.client import AlayaClient, LoraSpec  # noqa: E402
from pulumi_alaya.dynamic.lora_provider import OwnedLoraDeploymentProvider  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.dynamic_grpc import ProviderProcess, secret  # noqa: E402

BASE = "base-qwen2-7b"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds the emulator adds to each answer (0: loopback; the real API is farther)")
    parser.add_argument("--smoke", action="store_true", help="2 rounds: just check it runs")
    args = parser.parse_args()
    if args.smoke:
        args.rounds = 2
    with start_emulator() as emulator:
        emulator.set_timing(startup_seconds=0, delete_seconds=0)
        if args.latency:
            emulator.set_faults({BASE: {"latency": args.latency}})
        engine = ProviderProcess(provider=OwnedLoraDeploymentProvider())
        engine.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(emulator.secret_key),
                          "alaya:baseUrl": emulator.url})
        client = AlayaClient(emulator.access_key, emulator.secret_key, emulator.url)
        inputs = {"base_service_id": BASE, "model_id": "lora-bench", "served_names": ["bench"],
                  "wait_until_running": True, "wait_timeout": 600.0, "name_prefix": "bench"}

        def grpc_rounds() -> None:
            for _ in range(args.rounds):
                created = engine.create(inputs)
                engine.read(created.id, inputs, inputs)

        names = itertools.count()

        def direct() -> None:
            for _ in range(args.rounds):
                spec = LoraSpec.build(BASE, "lora-bench", f"direct-{next(names)}", ["bench"])
                sid = client.lora_deployments.create(spec)
                client.wait_until_running(sid)
                client.get_deployment(sid)

        ours: list[float] = []
        base: list[float] = []
        try:
            grpc_rounds(), direct()  # warm: provider unpickled and configured, pools open
            for _ in range(3):
                ours += timed(grpc_rounds)
                base += timed(direct)
        finally:
            engine.stop()  # never leave the provider server behind, even when a round fails
        report(f"{args.rounds} Create+Read over gRPC (latency {args.latency * 1000:.0f} ms)", ours, base, "<= 1.5x")


if __name__ == "__main__":
    main()
