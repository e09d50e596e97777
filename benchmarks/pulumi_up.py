"""`pulumi up` of a 20-resource stack through the real engine: LoraDeployment against the emulator vs the same
stack with a no-op dynamic provider (the SDK's own floor), so the ratio says what our provider adds.

Run: python benchmarks/pulumi_up.py [--resources 20] [--rounds 3]     (needs scripts/pulumi-cli.sh or pulumi)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _common import report, timed  # noqa: E402
from pulumi_cli import Engine, find_cli  # noqa: E402

import pulumi_alaya as alaya  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402


class NoopProvider(ResourceProvider):
    """Defined in __main__, so dill pickles it by value into the provider process."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=str(props["service_id"]), outs=dict(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class Noop(Resource):
    def __init__(self, name: str, service_id: str) -> None:
        super().__init__(NoopProvider(), name, {"service_id": service_id, "status": None})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cli_dir, why = find_cli()
    if cli_dir is None:
        raise SystemExit(f"pulumi_up: no engine: {why}")
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        ids = emulator.add_deployments(*[{"serviceId": f"bench-{n:02d}"} for n in range(args.resources)])
        engine = Engine(cli_dir, Path(tmp), emulator)

        def ours_program() -> None:
            for sid in ids:
                alaya.LoraDeployment(sid, service_id=sid)

        def noop_program() -> None:
            for sid in ids:
                Noop(sid, sid)

        ours = engine.stack("bench-ours", ours_program)
        noop = engine.stack("bench-noop", noop_program)

        def cycle(stack: Any) -> None:
            stack.up()
            stack.destroy()

        cycle(ours), cycle(noop)  # warm: plugin discovery, first-run caches
        ours_t, noop_t = [], []
        for _ in range(args.rounds):
            ours_t += timed(lambda: ours.up())
            ours.destroy()
            noop_t += timed(lambda: noop.up())
            noop.destroy()
        report(f"pulumi up, {args.resources} resources", ours_t, noop_t, "close to 1x")


if __name__ == "__main__":
    main()
