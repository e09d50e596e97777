"""The alaya command: read, create, update and delete Alaya NeW LoRA deployments from a pipeline."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..client import DEFAULT_WAIT_TIMEOUT, AlayaClient, AlayaError, Deployment
from ..client.errors import (
    AlayaAuthError,
    AlayaDeploymentFailedError,
    AlayaForbiddenError,
    AlayaInputError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaWaitTimeoutError,
    AlayaWriteUncertainError,
)
from ..client.settings import DEFAULT_CONCURRENCY, DEFAULT_RETRIES, DEFAULT_TIMEOUT
from ..client.version import VERSION as __version__
from .base_commands import add_base_commands
from .common import client_for, delete, emit, progress
from .outputs import FORMATS
from .rotate import rotate

EXIT_OK, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_AUTH, EXIT_FAILED, EXIT_WAIT_TIMEOUT, EXIT_API, EXIT_SMOKE = (
    0, 2, 3, 4, 5, 6, 7, 8)
EXIT_WRITE_UNCERTAIN, EXIT_INTERRUPTED = 9, 130
DESCRIPTION = """Read, create, update and delete Alaya NeW LoRA and base-model deployments; hand their outputs on.

Keys come from ALAYA_ACCESS_KEY and ALAYA_SECRET_KEY (never from the command line).

exit codes:
  0    ok
  2    usage or input error (nothing was sent), or an output file that cannot be written
  3    deployment not found
  4    authentication or permission error
  5    deployment failed or stopped
  6    wait timed out
  7    API, network, redirect, conflict or malformed-response error
  8    smoke test failed
  9    a write's answer was lost after it was sent: check the console before retrying
  130  interrupted (Ctrl-C)
"""
# Most specific first: the first class an error is an instance of decides the exit code.
_EXIT_CODES: list[tuple[type[AlayaError], int]] = [
    (AlayaInputError, EXIT_USAGE),
    (AlayaNotFoundError, EXIT_NOT_FOUND),
    (AlayaAuthError, EXIT_AUTH),
    (AlayaForbiddenError, EXIT_AUTH),
    (AlayaDeploymentFailedError, EXIT_FAILED),
    (AlayaWaitTimeoutError, EXIT_WAIT_TIMEOUT),
    (AlayaProbeError, EXIT_SMOKE),
    (AlayaWriteUncertainError, EXIT_WRITE_UNCERTAIN),
]


def exit_code_for(error: AlayaError) -> int:
    return next((code for cls, code in _EXIT_CODES if isinstance(error, cls)), EXIT_API)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alaya", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"alaya {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    # Its flags are the emulator's own (pulumi_alaya.emulator.command); main() hands them over unparsed.
    commands.add_parser("emulator", help="run the local Alaya API emulator (alaya emulator --help)",
                        add_help=False)
    # The same for the Kubernetes controller (pulumi_alaya.controller.command), imported only when run.
    commands.add_parser("controller", help="run the Kubernetes controller (alaya controller --help)", add_help=False)

    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument("--base-url", help="API endpoint (default: ALAYA_BASE_URL, else https://api.alayanew.com)")
    connection.add_argument("--request-timeout", type=float, default=DEFAULT_TIMEOUT,
                            help=f"seconds per HTTP request (default {DEFAULT_TIMEOUT:g})")
    connection.add_argument("--retries", type=int, default=DEFAULT_RETRIES,
                            help=f"retries on 429/5xx/network errors (default {DEFAULT_RETRIES})")
    waiting = argparse.ArgumentParser(add_help=False)
    waiting.add_argument("--timeout", type=float, default=DEFAULT_WAIT_TIMEOUT,
                         help=f"seconds --wait may take (default {DEFAULT_WAIT_TIMEOUT:g})")
    outputs = argparse.ArgumentParser(add_help=False)
    outputs.add_argument("--output", "-o", choices=FORMATS, default="table",
                         help="table, json, env (shell), dotenv (GitLab, docker --env-file), github, k8s-secret")
    outputs.add_argument("--show-secrets", action="store_true", help="print the apiKey instead of ***")
    outputs.add_argument("--secret-name", help="metadata.name of the k8s-secret (default alaya-<name>)")
    outputs.add_argument("--namespace", help="metadata.namespace of the k8s-secret")
    spec = argparse.ArgumentParser(add_help=False)
    spec.add_argument("--base-service-id", help="serviceId of the running base-model deployment")
    spec.add_argument("--model-id", help="the LoRA model to deploy")
    spec.add_argument("--name", help="display name, unique in the base service's namespace")
    spec.add_argument("--served-name", action="append", help="a name chat requests put in 'model' (repeatable)")

    lora = commands.add_parser("lora", help="LoRA deployments").add_subparsers(dest="action", required=True)
    get = lora.add_parser("get", parents=[outputs, waiting, connection],
                          help="read one deployment (keys from ALAYA_ACCESS_KEY/ALAYA_SECRET_KEY)")
    get.add_argument("service_ids", metavar="SERVICE_ID", nargs="+",
                     help="one or more; several are read concurrently and printed in the order given")
    get.add_argument("--wait", action="store_true", help="wait until the deployment is running")
    get.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                     help=f"reads at once with several IDs (default {DEFAULT_CONCURRENCY})")
    get.add_argument("--smoke", action="store_true", help="send one chat completion to the served model")
    create = lora.add_parser("create", parents=[spec, outputs, waiting, connection],
                             help="deploy a LoRA model on a base-model service; prints the same outputs as get")
    create.add_argument("--wait", action="store_true", help="wait until the new deployment is running")
    update = lora.add_parser("update", parents=[spec, outputs, waiting, connection],
                             help="offline update: only a stopped deployment, or with --restart")
    update.add_argument("service_id", metavar="SERVICE_ID")
    update.add_argument("--restart", action="store_true",
                        help="stop a running deployment, update it and wait until it runs again")
    delete = lora.add_parser("delete", parents=[waiting, connection],
                             help="delete a deployment (already gone counts as success)")
    delete.add_argument("service_id", metavar="SERVICE_ID")
    delete.add_argument("--wait", action="store_true", help="wait until the API no longer knows it")
    rotate_parser = lora.add_parser("rotate", parents=[outputs, waiting, connection],
                                    help="a new deployment (new apiKey) of the same model, then delete the old one")
    rotate_parser.add_argument("service_id", metavar="SERVICE_ID")
    rotate_parser.add_argument("--name", help="the new deployment's name (default: the old one + -r<6 hex>)")
    rotate_parser.set_defaults(handler=rotate)
    add_base_commands(commands, outputs, waiting, connection)
    return parser


def _controller(argv: list[str]) -> int:
    try:
        from ..controller.command import main as controller
    except ModuleNotFoundError as error:  # kopf: the optional extra
        print(f"alaya: error: {error.name} is missing: pip install 'pulumi-alaya[controller]'", file=sys.stderr)
        return EXIT_USAGE
    return controller(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["emulator"]:
        from ..emulator.command import main as emulator

        return emulator(argv[1:])
    if argv[:1] == ["controller"]:
        return _controller(argv[1:])
    args = _parser().parse_args(argv)
    try:
        handler = getattr(args, "handler", None) or _COMMANDS[args.action]
        return int(handler(args))
    except AlayaError as error:
        print(f"alaya: error: {error}", file=sys.stderr)
        return exit_code_for(error)
    except KeyboardInterrupt:
        print("alaya: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _lora_get(args: argparse.Namespace) -> int:
    if len(args.service_ids) > 1:
        return _lora_get_many(args)
    with client_for(args) as client:
        deployment = client.read_deployment(args.service_ids[0], wait=args.wait, wait_timeout=args.timeout,
                                            on_status=progress)
        if args.smoke:
            answer = client.probe(deployment)
            print(f"alaya: smoke test of {deployment.model} answered: {answer[:60]!r}", file=sys.stderr)
    return emit([deployment], args)


def _lora_get_many(args: argparse.Namespace) -> int:
    """Several IDs: all read (concurrently); any failure names every failed ID and prints no outputs."""
    if args.smoke:
        raise AlayaInputError("--smoke takes exactly one SERVICE_ID.")
    with client_for(args, workers=args.concurrency) as client:
        results = client.read_many(args.service_ids, wait=args.wait, wait_timeout=args.timeout)
    failures = [r for r in results if isinstance(r, AlayaError)]
    for failure in failures:
        print(f"alaya: error: {failure}", file=sys.stderr)
    if failures:
        print(f"alaya: {len(failures)} of {len(results)} deployments failed; nothing was written",
              file=sys.stderr)
        return exit_code_for(failures[0])
    return emit([r for r in results if isinstance(r, Deployment)], args)


def _lora_create(args: argparse.Namespace) -> int:
    missing = [flag for flag, value in (("--base-service-id", args.base_service_id), ("--model-id", args.model_id),
                                        ("--name", args.name), ("--served-name", args.served_name)) if not value]
    if missing:
        raise AlayaInputError(f"lora create needs {', '.join(missing)}.")
    with client_for(args) as client:
        service_id = client.create_lora_deployment(args.base_service_id, args.model_id, args.name,
                                                   args.served_name)
        print(f"alaya: created {service_id}", file=sys.stderr, flush=True)
        deployment = client.read_deployment(service_id, wait=args.wait, wait_timeout=args.timeout,
                                            on_status=progress)
    return emit([deployment], args)


def _lora_update(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        deployment = client.update_lora_deployment(
            args.service_id, base_service_id=args.base_service_id, model_id=args.model_id, name=args.name,
            served_name=args.served_name, restart=args.restart, wait_timeout=args.timeout, on_status=progress)
    return emit([deployment], args)


def _lora_delete(args: argparse.Namespace) -> int:
    return delete(args, AlayaClient.delete_deployment)


_COMMANDS = {"get": _lora_get, "create": _lora_create, "update": _lora_update, "delete": _lora_delete}


if __name__ == "__main__":
    sys.exit(main())
