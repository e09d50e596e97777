"""Pipelines: 200 IDs through one `alaya lora get` call vs 200 separate calls (goal >= 20x), and the Ansible
lookup over 1000 IDs at 20 ms emulated API latency with concurrency 64 vs the default 16.

Run: python benchmarks/pipelines.py [--ids 200] [--lookup-ids 1000] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from _common import timed  # noqa: E402

from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.ansible_runner import ansible_env, tool  # noqa: E402

LOOKUP = """- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        deps: "{{ lookup('alayanew.serverless.lora_deployment', *ids, concurrency=concurrency) }}"
      no_log: true
    - ansible.builtin.assert: {that: [deps | length == ids | length]}
"""


def cli(env: dict[str, str], *ids: str) -> None:
    subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", "get", *ids, "-o", "json"], env=env,
                   check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ids", type=int, default=200)
    parser.add_argument("--lookup-ids", type=int, default=1000)
    parser.add_argument("--smoke", action="store_true", help="5 and 10 IDs: just check it runs")
    args = parser.parse_args()
    if args.smoke:
        args.ids, args.lookup_ids = 5, 10
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        ids = emulator.add_deployments(*({"serviceId": f"pipe-{i:04d}"} for i in range(args.ids)))
        env = {**os.environ, **emulator.env}
        one = timed(lambda: cli(env, *ids), 3)
        separate = timed(lambda: [cli(env, sid) for sid in ids], 1)
        print(f"{args.ids} IDs: one call {min(one):.2f} s, {args.ids} calls {separate[0]:.2f} s, "
              f"{separate[0] / min(one):.1f}x faster (goal >= 20x)")

        many = emulator.add_deployments(*({"serviceId": f"look-{i:04d}"} for i in range(args.lookup_ids)))
        emulator.set_faults({sid: {"latency": 0.02} for sid in many})
        play = Path(tmp, "lookup.yml")
        play.write_text(LOOKUP)
        results = {}
        for concurrency in (16, 64):
            extra = ["-e", json.dumps({"ids": many, "concurrency": concurrency})]
            command = [tool("ansible-playbook"), str(play), *extra]
            results[concurrency] = min(timed(lambda command=command: subprocess.run(
                command, env=ansible_env(emulator), check=True, capture_output=True), 2))
        print(f"lookup, {args.lookup_ids} IDs at 20 ms: concurrency 16 {results[16]:.2f} s, 64 {results[64]:.2f} s, "
              f"{results[16] / results[64]:.1f}x faster")


if __name__ == "__main__":
    main()
