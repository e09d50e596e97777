"""``alaya <kind> create|get|update|delete`` for every kind (``client.kinds.KINDS``): the flags are built from the
kind's declaration (its spec inputs: flag, help text, choices, repeatable or whole number), the calls are the
kind's ``Deployments`` on the client. Only flags and printing live here."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..client import AlayaCreatedNotReadyError, AlayaError, AlayaInputError, Deployment
from ..client.declaration import Input, Kind
from ..client.settings import DEFAULT_CONCURRENCY
from .common import check_outputs, client_for, delete, emit, progress
from .exit_codes import EXIT_CREATED_NOT_READY, exit_code_for

__all__ = ["ACTIONS", "add_kind_commands"]


def _whole(text: str) -> Any:
    # Left as text when it is not a whole number, so the spec refuses it in its own one line (not argparse's).
    return int(text) if text.strip().isdigit() else text


def _flag_help(item: Input, kind: Kind) -> str:
    words = [item.text.rstrip(".")]
    if item.kind == "strings":
        words.append(f"(repeatable: one {item.option.rstrip('s').replace('_', ' ')} each"
                     + (f"; write {item.cli_flag}=--flag=value, since a bare --flag is read as ours)"
                        if item.cli_flag == "--backend-arg" else ")"))
    if item in kind.needed_to_create:
        words.append("[needed to create]")
    return " ".join(words)


def _spec_flags(kind: Kind) -> argparse.ArgumentParser:
    spec = argparse.ArgumentParser(add_help=False)
    for item in kind.spec_inputs:
        options: dict[str, Any] = {"dest": item.option, "help": _flag_help(item, kind),
                                   "metavar": item.cli_flag[2:].upper().replace("-", "_")}
        if item.kind == "strings":
            options["action"] = "append"
        else:
            options["type"] = _whole if item.kind == "integer" else str
        if item.choices:  # shown, and refused by the spec's own one line (argparse's refusal is a usage block)
            options["metavar"] = "{" + ",".join(item.choices) + "}"
        spec.add_argument(item.cli_flag, **options)
    return spec


def add_kind_commands(commands: Any, kind: Kind, outputs: argparse.ArgumentParser,
                      waiting: argparse.ArgumentParser, connection: argparse.ArgumentParser,
                      only: str | None = None) -> Any:
    """The kind's subcommand and its actions (with ``only``, just that one of ``ACTIONS``); returns the actions,
    where a kind may add its own (rotate)."""
    title = kind.title
    parser = commands.add_parser(kind.command, aliases=list(kind.cli_aliases), help=f"{title}s")
    parser.set_defaults(kind=kind)
    actions = parser.add_subparsers(dest="action", required=True)
    for name in ACTIONS if only is None else (name for name in ACTIONS if name == only):
        _ACTION_PARSERS[name](actions, kind, outputs, waiting, connection)
    return actions


def _add_create(actions: Any, kind: Kind, outputs: argparse.ArgumentParser, waiting: argparse.ArgumentParser,
                connection: argparse.ArgumentParser) -> None:
    create = actions.add_parser("create", parents=[_spec_flags(kind), outputs, waiting, connection],
                                help=f"create a {kind.title}; prints the same outputs as get (also when its wait "
                                     "fails: exit code 10)")
    create.add_argument("--wait", action="store_true", help="wait until the new deployment is running")
    create.set_defaults(handler=_create)


def _add_get(actions: Any, kind: Kind, outputs: argparse.ArgumentParser, waiting: argparse.ArgumentParser,
             connection: argparse.ArgumentParser) -> None:
    get = actions.add_parser("get", parents=[outputs, waiting, connection], help=f"read {kind.title}s")
    get.add_argument("service_ids", metavar="SERVICE_ID", nargs="+",
                     help="one or more; several are read concurrently and printed in the order given")
    get.add_argument("--wait", action="store_true", help="wait until the deployment is running")
    get.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                     help=f"reads at once with several IDs (default {DEFAULT_CONCURRENCY})")
    get.add_argument("--smoke", action="store_true", help="send one chat completion to the served model")
    get.set_defaults(handler=_get)


def _add_update(actions: Any, kind: Kind, outputs: argparse.ArgumentParser, waiting: argparse.ArgumentParser,
                connection: argparse.ArgumentParser) -> None:
    update = actions.add_parser("update", parents=[_spec_flags(kind), outputs, waiting, connection],
                                help="offline update: only a stopped deployment, or with --restart")
    update.add_argument("service_id", metavar="SERVICE_ID")
    update.add_argument("--restart", action="store_true",
                        help=f"stop it ({kind.away} is away meanwhile), update it and wait until it runs again")
    update.set_defaults(handler=_update)


def _add_delete(actions: Any, kind: Kind, outputs: argparse.ArgumentParser, waiting: argparse.ArgumentParser,
                connection: argparse.ArgumentParser) -> None:
    refused = f"; {kind.delete_refused[0].lower()}{kind.delete_refused[1:]}" if kind.delete_refused else ""
    remove = actions.add_parser("delete", parents=[waiting, connection],
                                help=f"delete a {kind.title} (already gone counts as success{refused})")
    remove.add_argument("service_id", metavar="SERVICE_ID")
    remove.add_argument("--wait", action="store_true", help="wait until the API no longer knows it")
    remove.set_defaults(handler=_delete)


_ACTION_PARSERS = {"create": _add_create, "get": _add_get, "update": _add_update, "delete": _add_delete}
ACTIONS = tuple(_ACTION_PARSERS)


def _given(args: argparse.Namespace) -> dict[str, Any]:
    return {item.option: getattr(args, item.option) for item in args.kind.spec_inputs
            if getattr(args, item.option) is not None}


def _create(args: argparse.Namespace) -> int:
    kind: Kind = args.kind
    given = _given(args)
    missing = [item.cli_flag for item in kind.needed_to_create if item.option not in given]
    if missing:
        raise AlayaInputError(f"{kind.command} create needs {', '.join(missing)}.")
    check_outputs(args)
    with client_for(args) as client:
        deployments = client.deployments(kind)
        spec = deployments.spec(**given)  # refused before any request
        try:
            deployment = deployments.deploy(spec, wait=args.wait, wait_timeout=args.wait_timeout,
                                            on_status=progress, on_created=_created)
        except AlayaCreatedNotReadyError as error:
            return _created_not_ready(error, args)
    return emit([deployment], args)


def _created(service_id: str) -> None:
    print(f"alaya: created {service_id}", file=sys.stderr, flush=True)


def _created_not_ready(error: AlayaCreatedNotReadyError, args: argparse.Namespace) -> int:
    """The deployment exists: what is known of it goes to stdout (a pipeline keeps what it must clean up), and
    one line says how to resume or clean up."""
    sid, command = str(error.service_id), args.kind.command
    known = error.deployment or Deployment.from_raw({"serviceId": sid, "status": "unknown"}, sid)
    emit([known], args)
    print(f"alaya: error: {error} Resume: alaya {command} get {sid} --wait; clean up: alaya {command} delete "
          f"{sid}", file=sys.stderr)
    return EXIT_CREATED_NOT_READY


def _get(args: argparse.Namespace) -> int:
    if len(args.service_ids) > 1:
        return _get_many(args)
    with client_for(args) as client:
        deployment = client.deployments(args.kind).get(args.service_ids[0], wait=args.wait,
                                                       wait_timeout=args.wait_timeout, on_status=progress)
        if args.smoke:
            answer = client.probe(deployment)
            print(f"alaya: smoke test of {deployment.model} answered: {answer[:60]!r}", file=sys.stderr)
    return emit([deployment], args)


def _get_many(args: argparse.Namespace) -> int:
    """Several IDs: all read (concurrently); any failure names every failed ID and prints no outputs."""
    if args.smoke:
        raise AlayaInputError("--smoke takes exactly one SERVICE_ID.")
    with client_for(args, workers=args.concurrency) as client:
        results = [_as_record(args.kind, result) for result in
                   client.read_many(args.service_ids, wait=args.wait, wait_timeout=args.wait_timeout)]
    failures = [r for r in results if isinstance(r, AlayaError)]
    for failure in failures:
        print(f"alaya: error: {failure}", file=sys.stderr)
    if failures:
        print(f"alaya: {len(failures)} of {len(results)} deployments failed; nothing was written",
              file=sys.stderr)
        return exit_code_for(failures[0])
    return emit([r for r in results if isinstance(r, Deployment)], args)


def _as_record(kind: Kind, result: Deployment | AlayaError) -> Deployment | AlayaError:
    if isinstance(result, AlayaError):
        return result
    try:
        record: Deployment = kind.record(result)
    except AlayaError as error:
        return error
    return record


def _update(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        deployment = client.deployments(args.kind).update(args.service_id, _given(args), restart=args.restart,
                                                          wait_timeout=args.wait_timeout, on_status=progress)
    return emit([deployment], args)


def _delete(args: argparse.Namespace) -> int:
    return delete(args)
