"""The tour: each surface of pulumi-alaya hands a LoRA deployment's outputs to a next step, against the emulator.

1. the CLI as a pipeline step: ``alaya lora get --wait --output env``, ``eval``, a program that chats with it;
2. Ansible: ``examples/ansible/deploy-read-call.yml`` creates one, reads it (module and lookup), calls it;
3. Pulumi, dynamic resource: ``examples/pulumi-create`` with ``up``, ``stack output``, ``destroy``;
4. Pulumi, schema-based provider: ``examples/yaml`` the same way;
5. OpenTofu: ``examples/terraform`` (base model -> LoRA -> outputs) with ``tofu init`` from the provider's
   mirror, ``apply``, ``output``, ``destroy``; skipped, saying how to build it, when no tofu is built.

The emulator (a real HTTP server on a free 127.0.0.1 port) is stopped at the end, also after a failure or
Ctrl-C. Without a Pulumi engine the demo builds one first (it says so and how long); ``--quick`` skips the
Pulumi and Terraform steps. Exit code 0 when every step that ran worked, 1 when one failed, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import sys

from pulumi_alaya.emulator import start_emulator

from _demo.report import exit_code, run_step, say, skip, summary
from _demo.steps import steps


def main() -> int:
    parser = argparse.ArgumentParser(description="The tour of pulumi-alaya against the bundled emulator.")
    parser.add_argument("--quick", action="store_true",
                        help="skip the Pulumi and Terraform steps (no engine needed or built)")
    args = parser.parse_args()
    try:
        with start_emulator() as emulator:
            emulator.set_timing(startup_seconds=1, delete_seconds=0.5)  # new deployments start in a second
            say("pulumi-alaya demo: the CLI, Ansible and Pulumi each hand a LoRA deployment's serviceUrl, apiKey and")
            say(f"model to a next step. Against the bundled Alaya API emulator, listening on {emulator.url}.")
            rows = []
            for number, step in enumerate(steps(emulator), 1):
                if args.quick and step.surface.startswith(("Pulumi", "Terraform")):
                    rows.append(skip(number, step, "--quick (./scripts/demo.sh without it runs Pulumi and Terraform)"))
                else:
                    rows.append(run_step(number, step))
    except KeyboardInterrupt:
        say("\ndemo: interrupted; the emulator is stopped")
        return 130
    except RuntimeError as exc:  # start_emulator's "did not start"
        say(f"demo: {exc}")
        return 1
    say("\nThe emulator is stopped. Summary:")
    for line in summary(rows):
        say("  " + line)
    code = exit_code(rows)
    if code:
        say("\nA step FAILED: its lines above say what failed and what to check.")
    elif args.quick:
        say("\nEvery step that ran worked; the Pulumi and Terraform steps were skipped (--quick).")
    else:
        say("\nEvery step worked.")
    return code


if __name__ == "__main__":
    sys.exit(main())
