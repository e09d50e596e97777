"""`pulumi up` of the whole stack (one base model, two LoRAs on it: the shape of examples/typescript-whole-stack)
through the real engine and the schema-based provider, against the emulator with realistic start times.

The floor is the critical path: the base must run before a LoRA can be created on it, so no `up` can be faster
than base start + LoRA start. Ours: the wall time of `up`. Goal: ours / critical path <= 1.2x. The program is
the example's, in Python (the same plugin serves every language; npm would only add its own start-up).
Default start times: a base model loads its weights in minutes (120 s), a LoRA adapter in tens of seconds (30 s);
the engine's own few seconds weigh more against shorter ones.

Run: python benchmarks/whole_stack.py [--base-start 120] [--lora-start 30] [--rounds 3] [--smoke]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))  # support.engine uses _demo.pulumi_env
from _common import timed  # noqa: E402

from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.engine import Engine, find_cli  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-start", type=float, default=120.0, help="seconds a base model takes to start")
    parser.add_argument("--lora-start", type=float, default=30.0, help="seconds a LoRA takes to start")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="1 s and 0.5 s starts, 1 round: just check it runs")
    args = parser.parse_args()
    if args.smoke:
        args.base_start, args.lora_start, args.rounds = 1.0, 0.5, 1
    cli_dir, why = find_cli()
    if cli_dir is None:
        raise SystemExit(f"whole_stack: no engine: {why}")
    import pulumi_alaya_native as native

    def program() -> None:
        base = native.BaseModelDeployment("qwen", vks_id="vks-1", namespace="ns-a", name="qwen-base",
                                          served_names=["qwen"], model_id="qwen2-7b", backend="vllm",
                                          backend_version="0.6.3", cpu="8", mem="32Gi", gpu_type="A100",
                                          gpu_count=1)
        for key, model in (("support", "lora-support-v3"), ("summary", "lora-summarise-v1")):
            native.LoraDeployment(key, base_service_id=base.service_id, model_id=model, served_names=[key])

    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        emulator.set_timing(args.lora_start, 0, base_startup_seconds=args.base_start)
        engine = Engine(cli_dir, Path(tmp), emulator)
        stack = engine.stack("bench-whole", program)
        samples: list[float] = []
        for _ in range(args.rounds):
            samples += timed(stack.up)
            stack.destroy()
        wall = statistics.median(samples)
        floor = args.base_start + args.lora_start
        print(f"pulumi up of 1 base (starts in {args.base_start:g} s) + 2 LoRAs ({args.lora_start:g} s): "
              f"{wall:.2f} s against a critical path of {floor:.2f} s: {wall / floor:.2f}x (goal <= 1.2x)")


if __name__ == "__main__":
    main()
