"""What every CLI command shares: the client from flags and environment, progress lines, writing outputs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..client import AlayaClient, AlayaInputError, Deployment
from ..client.settings import DEFAULT_CONCURRENCY
from .outputs import render

__all__ = ["check_outputs", "client_for", "delete", "emit", "progress"]


def client_for(args: argparse.Namespace, workers: int = DEFAULT_CONCURRENCY) -> AlayaClient:
    if getattr(args, "output", None) == "github" and not os.environ.get("GITHUB_OUTPUT"):
        raise AlayaInputError("--output github needs $GITHUB_OUTPUT (run it as a GitHub Actions step).")
    return AlayaClient.from_env(base_url=args.base_url, timeout=args.request_timeout, retries=args.retries,
                                max_workers=workers)


def progress(deployment: Deployment) -> None:
    print(f"alaya: {deployment.service_id} is {deployment.status_name}", file=sys.stderr, flush=True)


def delete(args: argparse.Namespace) -> int:
    """``alaya <kind> delete``: delete (already gone is success), optionally wait until gone, say which."""
    with client_for(args) as client:
        deployments = client.deployments(args.kind)
        existed = deployments.delete(args.service_id)
        if existed and args.wait:
            deployments.wait_until_deleted(args.service_id, args.wait_timeout, on_status=progress)
    print(f"alaya: {args.service_id} {'deleted' if existed else 'was already gone'}", file=sys.stderr)
    return 0


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse bad output options before a write: once a deployment is made, its outputs must be printable."""
    stand_in = Deployment.from_raw({"serviceId": "stand-in", "status": "unknown"}, "stand-in")
    render([stand_in], args.output, args.show_secrets, secret_name=args.secret_name, namespace=args.namespace)


def emit(deployments: Sequence[Deployment], args: argparse.Namespace) -> int:
    # Rendered whole before anything is written: a failure never leaves half an env file or output set.
    rendered = render(deployments, args.output, args.show_secrets, secret_name=args.secret_name,
                      namespace=args.namespace)
    if rendered.github_output is not None:
        _append(os.environ["GITHUB_OUTPUT"], rendered.github_output)
    sys.stdout.write(rendered.stdout)
    return 0


def _append(path: str, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as sink:
            sink.write(text)
    except OSError as exc:
        failure = AlayaInputError(f"cannot write $GITHUB_OUTPUT ({exc.strerror or type(exc).__name__}); "
                                  "nothing was written. Run it as a GitHub Actions step.")
    else:
        return
    raise failure


