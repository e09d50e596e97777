"""The alaya command: read, create, update and delete Alaya NeW deployments of every kind from a pipeline."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..client import AlayaError, settings
from ..client.errors import bug_report
from ..client.kinds import KINDS, LORA
from ..client.version import VERSION as __version__
from .exit_codes import (  # EXIT_* stay importable from main, their 0.4 home
    DOC,
    EXIT_API,
    EXIT_AUTH,
    EXIT_BUG,
    EXIT_CREATED_NOT_READY,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SMOKE,
    EXIT_USAGE,
    EXIT_WAIT_TIMEOUT,
    EXIT_WRITE_UNCERTAIN,
    exit_code_for,
)
from .kind_commands import ACTIONS, add_kind_commands
from .outputs import FORMATS

DESCRIPTION = f"""Read, create, update and delete Alaya NeW {' and '.join(k.title for k in KINDS)}s; hand their
outputs on.

Keys come from {settings.ENV_ACCESS_KEY} and {settings.ENV_SECRET_KEY} (never from the command line).

{DOC}"""


def _common_flags() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser, argparse.ArgumentParser]:
    """The flags every action shares: the connection (per request), the wait, the outputs."""
    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument("--base-url", help=f"API endpoint (default: {settings.ENV_BASE_URL}, else "
                                               f"{settings.DEFAULT_BASE_URL})")
    connection.add_argument("--request-timeout", type=float, default=settings.DEFAULT_TIMEOUT,
                            help=f"seconds each HTTP request may take (default {settings.DEFAULT_TIMEOUT:g})")
    connection.add_argument("--retries", type=int, default=settings.DEFAULT_RETRIES,
                            help=f"retries on 429/5xx/network errors (default {settings.DEFAULT_RETRIES})")
    waiting = argparse.ArgumentParser(add_help=False)
    waiting.add_argument("--wait-timeout", type=float, default=settings.DEFAULT_WAIT_TIMEOUT,
                         help="seconds a wait (--wait, --restart) may take in all "
                              f"(default {settings.DEFAULT_WAIT_TIMEOUT:g})")
    # The 0.4 name of --wait-timeout (it never bounded a request): still read, with a warning, until 0.6.
    waiting.add_argument("--timeout", dest="old_timeout", type=float, default=None, help=argparse.SUPPRESS)
    outputs = argparse.ArgumentParser(add_help=False)
    outputs.add_argument("--output", "-o", choices=FORMATS, default="table",
                         help="table, json, env (shell), dotenv (GitLab, docker --env-file), github, k8s-secret")
    outputs.add_argument("--show-secrets", action="store_true", help="print the apiKey instead of ***")
    outputs.add_argument("--secret-name", help="metadata.name of the k8s-secret (default alaya-<name>)")
    outputs.add_argument("--namespace", help="metadata.namespace of the k8s-secret")
    return connection, waiting, outputs


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The whole command line, or with ``argv`` naming a kind and one of its actions (``lora get``) only that
    action's parser: each parser costs argparse's formatter and translation look-ups at every start, and a
    command only ever parses with its own. Anything else (``--help``, a typo) gets every parser, so help and
    errors list every choice."""
    parser = argparse.ArgumentParser(prog="alaya", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"alaya {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    # Its flags are the emulator's own (pulumi_alaya.emulator.command); main() hands them over unparsed.
    commands.add_parser("emulator", help="run the local Alaya API emulator (alaya emulator --help)",
                        add_help=False)
    # The same for the Kubernetes controller (pulumi_alaya.controller.command), imported only when run.
    commands.add_parser("controller", help="run the Kubernetes controller (alaya controller --help)", add_help=False)
    connection, waiting, outputs = _common_flags()
    chosen = next((kind for kind in KINDS if argv[:1] and argv[0] in (kind.command, *kind.cli_aliases)), None)
    for kind in KINDS if chosen is None else (chosen,):
        own = (*ACTIONS, "rotate") if kind is LORA else ACTIONS
        only = argv[1] if chosen is not None and len(argv) > 1 and argv[1] in own else None
        actions = add_kind_commands(commands, kind, outputs, waiting, connection, only=only)
        if kind is LORA and only in (None, "rotate"):
            rotate_parser = actions.add_parser(
                "rotate", parents=[outputs, waiting, connection],
                help="a new deployment (new apiKey) of the same model, then delete the old one")
            rotate_parser.add_argument("service_id", metavar="SERVICE_ID")
            rotate_parser.add_argument("--name", help="the new deployment's name (default: the old one + -r<6 hex>)")
            rotate_parser.set_defaults(handler=_rotate)
    return parser


def _rotate(args: argparse.Namespace) -> int:
    from .rotate import rotate  # only rotate creates from a LoRA spec's twin

    return rotate(args)


def _controller(argv: list[str]) -> int:
    try:
        from ..controller.command import main as controller
    except ModuleNotFoundError as error:  # kopf: the optional extra
        print(f"alaya: error: {error.name} is missing: pip install 'pulumi-alaya[controller]'", file=sys.stderr)
        return EXIT_USAGE
    return controller(argv)


def _wait_timeout(args: argparse.Namespace) -> None:
    old = getattr(args, "old_timeout", None)
    if old is not None:
        print("alaya: warning: --timeout is now --wait-timeout (seconds a wait may take; --request-timeout bounds "
              "each request); --timeout goes in 0.6", file=sys.stderr)
        args.wait_timeout = old


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["emulator"]:
        from ..emulator.command import main as emulator

        return emulator(argv[1:])
    if argv[:1] == ["controller"]:
        return _controller(argv[1:])
    args = _parser(argv).parse_args(argv)
    _wait_timeout(args)
    try:
        return int(args.handler(args))
    except AlayaError as error:
        print(f"alaya: error: {error}", file=sys.stderr)
        return exit_code_for(error)
    except KeyboardInterrupt:
        print("alaya: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - a bug: one line, never a traceback (its text could hold a key)
        command = " ".join(word for word in argv[:2] if not word.startswith("-"))
        print(f"alaya: error: {bug_report(error, command or 'alaya')}", file=sys.stderr)
        return EXIT_BUG


__all__ = ["DOC", "EXIT_API", "EXIT_AUTH", "EXIT_BUG", "EXIT_CREATED_NOT_READY", "EXIT_FAILED", "EXIT_INTERRUPTED",
           "EXIT_NOT_FOUND", "EXIT_OK", "EXIT_SMOKE", "EXIT_USAGE", "EXIT_WAIT_TIMEOUT", "EXIT_WRITE_UNCERTAIN",
           "exit_code_for", "main"]


if __name__ == "__main__":
    sys.exit(main())
