"""`pulumi up` of N owned LoRA deployments through the real engine, three ways in one run: the schema-based
provider (`pulumi_alaya_native.LoraDeployment`, plugin `pulumi-resource-alaya`), the dynamic provider
(`pulumi_alaya.LoraDeployment`) and a no-op dynamic provider with the same inputs (the SDK's own floor).
Goals: native <= 1.0x dynamic; dynamic close to the floor. By default the emulator starts deployments at once,
so the ratios say what each provider adds; `--startup 1` lets each take a second to start, where the waits
dominate (the dynamic provider's server runs 4 calls at a time, the plugin as many as the engine sends).

Run: python benchmarks/pulumi_up.py [--resources 20] [--rounds 3] [--startup 0] [--smoke]  (needs scripts/pulumi-cli.sh)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _common import timed  # noqa: E402

import pulumi_alaya as alaya  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.engine import Engine, find_cli  # noqa: E402

BASE = "base-qwen2-7b"


class NoopProvider(ResourceProvider):
    """Defined in __main__, so dill pickles it by value into the provider process."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=str(props["name"]), outs=dict(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class Noop(Resource):
    def __init__(self, name: str) -> None:
        super().__init__(NoopProvider(), name, {"base_service_id": BASE, "model_id": "lora-bench",
                                                "served_names": [name], "name": name, "api_key": None})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--startup", type=float, default=0.0, help="seconds each new deployment takes to start")
    parser.add_argument("--smoke", action="store_true", help="2 resources, 1 round: just check it runs")
    args = parser.parse_args()
    if args.smoke:
        args.resources, args.rounds = 2, 1
    cli_dir, why = find_cli()
    if cli_dir is None:
        raise SystemExit(f"pulumi_up: no engine: {why}")
    import pulumi_alaya_native as native

    names = [f"bench-{n:02d}" for n in range(args.resources)]
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        emulator.set_timing(startup_seconds=args.startup, delete_seconds=0)
        engine = Engine(cli_dir, Path(tmp), emulator)

        def native_program() -> None:
            for name in names:
                native.LoraDeployment(name, base_service_id=BASE, model_id="lora-bench", served_names=[name])

        def dynamic_program() -> None:
            for name in names:
                alaya.LoraDeployment(name, base_service_id=BASE, model_id="lora-bench", served_names=[name])

        def noop_program() -> None:
            for name in names:
                Noop(name)

        stacks = {"native": engine.stack("bench-native", native_program),
                  "dynamic": engine.stack("bench-dynamic", dynamic_program),
                  "no-op": engine.stack("bench-noop", noop_program)}
        times: dict[str, list[float]] = {name: [] for name in stacks}
        for stack in stacks.values():  # warm: plugin discovery, first-run caches
            stack.up()
            stack.destroy()
        for _ in range(args.rounds):
            for name, stack in stacks.items():
                times[name] += timed(stack.up)
                stack.destroy()
        median = {name: statistics.median(samples) for name, samples in times.items()}
        print(f"pulumi up, {args.resources} LoraDeployments starting in {args.startup:g} s: native "
              f"{median['native']:.2f} s, dynamic {median['dynamic']:.2f} s, no-op dynamic {median['no-op']:.2f} s")
        print(f"native/dynamic {median['native'] / median['dynamic']:.2f}x (goal <= 1.0x); "
              f"dynamic/no-op {median['dynamic'] / median['no-op']:.2f}x (close to 1x)")


if __name__ == "__main__":
    main()
