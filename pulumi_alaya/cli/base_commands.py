"""``alaya base create/get/update/delete``: base-model deployments, with the same outputs and exit codes as lora.

Only flags and printing live here: the input rules are ``BaseSpec``'s, the calls ``AlayaClient``'s.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..client import AlayaClient, AlayaInputError, BaseSpec
from .common import client_for, delete, emit, progress

__all__ = ["add_base_commands"]

# Flag -> BaseSpec field. ``--vks-namespace``, because ``--namespace`` already names the k8s-secret's namespace.
_SPEC_FLAGS = {"vks_id": "--vks-id", "namespace": "--vks-namespace", "name": "--name",
               "served_name": "--served-name", "model_id": "--model-id", "backend": "--backend",
               "backend_version": "--backend-version", "backend_args": "--backend-arg", "workers": "--workers",
               "cpu": "--cpu", "mem": "--mem", "gpu_type": "--gpu-type", "gpu_count": "--gpu-count"}
_REPEATABLE = ("served_name", "backend_args")
_WHOLE_NUMBERS = ("workers", "gpu_count")


def _whole(text: str) -> Any:
    # Left as text when it is not a whole number, so BaseSpec refuses it in its own one line (not argparse's).
    return int(text) if text.strip().isdigit() else text


def add_base_commands(commands: Any, outputs: argparse.ArgumentParser, waiting: argparse.ArgumentParser,
                      connection: argparse.ArgumentParser) -> None:
    spec = argparse.ArgumentParser(add_help=False)
    for field, flag in _SPEC_FLAGS.items():
        if field in _REPEATABLE:
            hint = " (write --backend-arg=--flag=value: argparse reads a bare --flag as ours)" if (
                flag == "--backend-arg") else ""
            spec.add_argument(flag, dest=field, action="append", help=f"{field} (repeatable){hint}")
        else:
            spec.add_argument(flag, dest=field, type=_whole if field in _WHOLE_NUMBERS else str, help=field)
    base = commands.add_parser("base", help="base-model deployments (the services LoRAs run on)")
    actions = base.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", parents=[spec, outputs, waiting, connection],
                                help="deploy a base model (QuickStart); prints the same outputs as get")
    create.add_argument("--wait", action="store_true", help="wait until the new deployment is running")
    create.set_defaults(handler=_create)
    get = actions.add_parser("get", parents=[outputs, waiting, connection], help="read one base-model deployment")
    get.add_argument("service_id", metavar="SERVICE_ID")
    get.add_argument("--wait", action="store_true", help="wait until the deployment is running")
    get.set_defaults(handler=_get)
    update = actions.add_parser("update", parents=[spec, outputs, waiting, connection],
                                help="offline update: only a stopped deployment, or with --restart")
    update.add_argument("service_id", metavar="SERVICE_ID")
    update.add_argument("--restart", action="store_true",
                        help="stop it (and every LoRA on it), update it and wait until it runs again")
    update.set_defaults(handler=_update)
    delete = actions.add_parser("delete", parents=[waiting, connection],
                                help="delete a base-model deployment (refused while LoRAs run on it)")
    delete.add_argument("service_id", metavar="SERVICE_ID")
    delete.add_argument("--wait", action="store_true", help="wait until the API no longer knows it")
    delete.set_defaults(handler=_delete)


def _given(args: argparse.Namespace) -> dict[str, Any]:
    return {field: getattr(args, field) for field in _SPEC_FLAGS if getattr(args, field) is not None}


def _create(args: argparse.Namespace) -> int:
    given = _given(args)
    missing = [_SPEC_FLAGS[f] for f in _SPEC_FLAGS if f not in given and f not in ("backend_args", "workers")]
    if missing:
        raise AlayaInputError(f"base create needs {', '.join(missing)}.")
    spec = BaseSpec.build(**given)
    with client_for(args) as client:
        service_id = client.create_base_deployment(spec)
        print(f"alaya: created {service_id}", file=sys.stderr, flush=True)
        deployment = client.get_base_deployment(service_id, wait=args.wait, wait_timeout=args.timeout,
                                                on_status=progress)
    return emit([deployment], args)


def _get(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        deployment = client.get_base_deployment(args.service_id, wait=args.wait, wait_timeout=args.timeout,
                                                on_status=progress)
    return emit([deployment], args)


def _update(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        deployment = client.update_base_deployment(args.service_id, _given(args), restart=args.restart,
                                                   wait_timeout=args.timeout, on_status=progress)
    return emit([deployment], args)


def _delete(args: argparse.Namespace) -> int:
    return delete(args, AlayaClient.delete_base_deployment)
