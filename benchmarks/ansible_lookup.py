"""One task with the lookup over 200 deployments vs an ansible.builtin.uri loop over the same 200 (goal >= 20x).

Both are whole `ansible-playbook` runs against the emulator (same startup cost on both sides).
Run: python benchmarks/ansible_lookup.py [--ids 200] [--smoke]
"""

from __future__ import annotations

import argparse
import json
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
        deps: "{{ lookup('alayanew.serverless.lora_deployment', *ids) }}"
      no_log: true
    - ansible.builtin.assert: {that: [deps | length == ids | length]}
"""
URI = """- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.uri:
        url: "{{ url }}/api/serverless-infer/v1/deployment/{{ item }}"
        headers: {Authorization: "plain Credential={{ ak }},Signature={{ sk }}"}
      loop: "{{ ids }}"
      register: deps
      no_log: true
    - ansible.builtin.assert: {that: [deps.results | length == ids | length]}
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ids", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="5 IDs: just check it runs")
    args = parser.parse_args()
    if args.smoke:
        args.ids = 5
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        ids = emulator.add_deployments(*({"serviceId": f"bench-{i:04d}"} for i in range(args.ids)))
        env = ansible_env(emulator)
        extra = ["-e", json.dumps({"ids": ids, "url": emulator.url, "ak": emulator.access_key,
                                   "sk": emulator.secret_key})]
        paths = {}
        for name, text in (("lookup", LOOKUP), ("uri", URI)):
            paths[name] = Path(tmp, f"{name}.yml")
            paths[name].write_text(text)

        def run(name: str) -> None:
            subprocess.run([tool("ansible-playbook"), str(paths[name]), *extra], env=env, check=True,
                           capture_output=True)

        lookup_t = timed(lambda: run("lookup"), 3)
        uri_t = timed(lambda: run("uri"), 1)
        emulator.clear_requests()
        run("lookup")
        assert len(emulator.requests("/bench-")) == args.ids
        speedup = uri_t[0] / min(lookup_t)
        print(f"{args.ids} deployments: lookup {min(lookup_t):.2f} s, uri loop {uri_t[0]:.2f} s, "
              f"lookup is {speedup:.1f}x faster (goal >= 20x)")


if __name__ == "__main__":
    main()
