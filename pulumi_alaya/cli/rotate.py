"""``alaya lora rotate ID``: replace a (leaked) apiKey by a new deployment of the same model, never leaving a gap.

The API has no key rotation, so a rotation is: create the twin (same base, model and served names, a fresh
name), wait until it runs, print its outputs, delete the old one and wait until it is gone (its key then stops
working). Interrupted or failed midway, the one line says which deployment to clean up.
"""

from __future__ import annotations

import argparse
import sys

from ..client import AlayaError, AlayaInputError, LoraSpec
from .common import client_for, emit, progress
from .outputs import render

__all__ = ["rotate"]


def rotate(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        old = client.get_deployment(args.service_id)
        if not old.base_service_id:
            raise AlayaInputError(f"{old.service_id} is a base-model deployment; rotate replaces LoRA deployments.")
        spec = LoraSpec.twin(old, name=args.name)
        # The output options are checked on the old record first: a bad one must fail before anything is made.
        render([old], args.output, args.show_secrets, secret_name=args.secret_name, namespace=args.namespace)
        new_id = client.lora_deployments.create(spec)
        print(f"alaya: created {new_id} ({spec.name}) to replace {old.service_id}", file=sys.stderr, flush=True)
        try:
            new = client.lora_deployments.wait_until_running(new_id, args.wait_timeout, on_status=progress)
        except (AlayaError, KeyboardInterrupt):
            print(f"alaya: rotation stopped before {new_id} ran; {old.service_id} is untouched and still serves. "
                  f"Delete the new one: alaya lora delete {new_id}", file=sys.stderr)
            raise
        # Outputs first: consumers get the new key even if deleting the old one fails below.
        emit([new], args)
        try:
            client.lora_deployments.delete(old.service_id)
            client.lora_deployments.wait_until_deleted(old.service_id, args.wait_timeout, on_status=progress)
        except (AlayaError, KeyboardInterrupt):
            print(f"alaya: {new_id} serves with the new key, but the old {old.service_id} may still run with the "
                  f"old one. Delete it: alaya lora delete {old.service_id} --wait", file=sys.stderr)
            raise
    print(f"alaya: rotated {old.service_id} -> {new_id}; the old apiKey no longer works", file=sys.stderr)
    return 0
