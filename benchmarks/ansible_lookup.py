"""One task with the lookup over 200 deployments vs an ansible.builtin.uri loop over the same 200 (goal >= 100x).

Both are whole `ansible-playbook` runs against the emulator (same startup cost on both sides). Where the lookup's
run goes: the same playbook with the IDs in place of the lookup (Ansible's own start and two tasks), in the same
run; the rest is the lookup (importing the vendored client and requests, 200 GETs at its concurrency). The
collection is byte-compiled first, as its second run on a user's machine finds it (an editable checkout under
PYTHONDONTWRITEBYTECODE=1 would compile the vendored client on every run).
Run: python benchmarks/ansible_lookup.py [--ids 200] [--smoke]
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
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
        # The lookup's playbook with the lookup's answer given: Ansible's share of the lookup's run.
        ansible_only = LOOKUP.replace("lookup('alayanew.serverless.lora_deployment', *ids)", "ids")
        for name, text in (("lookup", LOOKUP), ("uri", URI), ("ansible only", ansible_only)):
            paths[name] = Path(tmp, f"{name}.yml")
            paths[name].write_text(text)

        def run(name: str) -> None:
            subprocess.run([tool("ansible-playbook"), str(paths[name]), *extra], env=env, check=True,
                           capture_output=True)

        compileall.compile_dir(HERE.parent / "ansible_collections", quiet=1)
        lookup_t: list[float] = []
        ansible_t: list[float] = []
        for _ in range(3):  # alternating, so load that comes and goes hits both alike
            lookup_t += timed(lambda: run("lookup"))
            ansible_t += timed(lambda: run("ansible only"))
        uri_t = timed(lambda: run("uri"), 1)
        emulator.clear_requests()
        run("lookup")
        assert len(emulator.requests("/bench-")) == args.ids
        lookup, ansible = statistics.median(lookup_t), statistics.median(ansible_t)
        print(f"{args.ids} deployments: lookup {lookup:.2f} s, uri loop {uri_t[0]:.2f} s: lookup is "
              f"{uri_t[0] / lookup:.1f}x faster (goal >= 100x); of the lookup's run, Ansible's own start and tasks "
              f"{ansible:.2f} s ({ansible / lookup:.0%}), the lookup {lookup - ansible:.2f} s; the uri loop against "
              f"Ansible's own: {uri_t[0] / ansible:.1f}x (the ceiling of the ratio)")


if __name__ == "__main__":
    main()
