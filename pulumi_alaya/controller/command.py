"""``alaya controller``: run the Kubernetes controller for LoraDeployment and BaseModelDeployment resources.

Kubernetes: the in-cluster service account, else KUBECONFIG. The Alaya API's keys: ``ALAYA_ACCESS_KEY``/
``ALAYA_SECRET_KEY`` (``ALAYA_BASE_URL``), or ``--credentials-secret NAMESPACE/NAME`` (keys ``accessKey``,
``secretKey``, optional ``baseUrl``: the same Secret examples/gitops' ESO recipe reads), never a flag's value.
"""

from __future__ import annotations

import argparse
import base64
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import kopf

from ..client import AlayaClient, AlayaError
from .discovery import wait_until_served
from .handlers import register
from .handlers import settings as apply_settings
from .kube import Kube, KubeError, connect
from .lease import Lease
from .namespace_watch import watch_namespaces_made_at_start
from .reconcile import Reconciler

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LEASE_LOST, EXIT_CREDENTIALS = 0, 1, 2, 3, 4
LOG = logging.getLogger("alaya.controller")
EPILOG = """exit codes:
  0  stopped (SIGTERM or Ctrl-C)
  1  the controller failed (its log says why)
  2  usage error
  3  the Lease was lost (another replica acts now; a restart makes this one a standby)
  4  no usable credentials (Kubernetes or the Alaya API)
"""
_SERVICE_ACCOUNT_NAMESPACE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
# After a stop kopf waits 5 s for tasks it cannot name; nothing of ours needs them (a step cut short is a step
# killed, which the create intent covers), so the controller leaves this long after the stop at the latest.
STOP_GRACE = 1.0


def parser(prog: str = "alaya controller") -> argparse.ArgumentParser:
    flags = argparse.ArgumentParser(prog=prog, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                                    description="Own Alaya deployments from Kubernetes resources (GitOps).")
    flags.add_argument("--namespace", action="append", default=[], metavar="NS",
                       help="watch this namespace (repeatable); default: all namespaces")
    flags.add_argument("--credentials-secret", metavar="NAMESPACE/NAME",
                       help="read accessKey and secretKey (and baseUrl) from this Secret instead of ALAYA_*")
    flags.add_argument("--lease-namespace", help="where the Lease lives (default: the pod's namespace or default)")
    flags.add_argument("--lease-name", default="alaya-controller", help="the Lease's name (default alaya-controller)")
    flags.add_argument("--lease-duration", type=float, default=15.0, metavar="SECONDS",
                       help="a standby takes over after the holder stops renewing for this long (default 15)")
    flags.add_argument("--workers", type=int, default=16, help="reconcile steps at once (default 16)")
    flags.add_argument("--identity", help="this replica's name in the Lease (default: host name and process id)")
    flags.add_argument("--verbose", action="store_true", help="log at debug level (keys are never logged)")
    return flags


class Credentials:
    """The Alaya client, built from the environment or the credentials Secret; rebuilt after a 401."""

    def __init__(self, kube: Kube, secret: str | None) -> None:
        self.kube = kube
        self.secret = secret
        self._client: AlayaClient | None = None
        self._lock = threading.Lock()

    def client(self) -> AlayaClient:
        with self._lock:
            if self._client is None:
                self._client = self._build()
            return self._client

    def forget(self) -> None:
        with self._lock:
            self._client = None

    def _build(self) -> AlayaClient:
        if not self.secret:
            return AlayaClient.from_env()
        namespace, _, name = self.secret.partition("/")
        found = self.kube.secret(namespace, name)
        if found is None:
            raise AlayaError(f"the credentials Secret {self.secret} does not exist")
        data = {key: base64.b64decode(value).decode() for key, value in (found.get("data") or {}).items()}
        if not data.get("accessKey") or not data.get("secretKey"):
            raise AlayaError(f"the credentials Secret {self.secret} lacks accessKey or secretKey")
        return AlayaClient.from_env(access_key=data["accessKey"], secret_key=data["secretKey"],
                                    base_url=data.get("baseUrl"))


def _hold_lease(lease: Lease, stop: threading.Event) -> None:
    """Renew every third of the duration; lost for a whole duration: exit at once (never act without it)."""
    last = time.monotonic()
    while not stop.wait(lease.duration / 3):
        if lease.try_acquire():
            last = time.monotonic()
        elif time.monotonic() - last > lease.duration * 2 / 3:
            LOG.error("lost the Lease %s: another replica acts now; exiting", lease.name)
            os._exit(EXIT_LEASE_LOST)  # no cleanup that might still write: the other replica owns everything


def main(argv: Sequence[str] | None = None, prog: str = "alaya controller") -> int:
    args = parser(prog).parse_args(argv)
    if args.credentials_secret is not None and "/" not in args.credentials_secret:
        parser(prog).error("--credentials-secret takes NAMESPACE/NAME")
    kopf.configure(verbose=args.verbose, debug=args.verbose)
    logging.getLogger("urllib3").setLevel(logging.INFO)  # request lines only; never headers or bodies
    try:
        kube = connect()
        credentials = Credentials(kube, args.credentials_secret)
        credentials.client()  # fail now, with one line, rather than on the first resource
    except (KubeError, AlayaError, kopf.LoginError) as error:
        print(f"alaya controller: error: {error}", file=sys.stderr)
        return EXIT_CREDENTIALS
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    identity = args.identity or f"{socket.gethostname()}-{os.getpid()}"
    namespace = args.lease_namespace or (_SERVICE_ACCOUNT_NAMESPACE.read_text().strip()
                                         if _SERVICE_ACCOUNT_NAMESPACE.exists() else "default")
    lease = Lease(kube, namespace, args.lease_name, identity, args.lease_duration)
    LOG.info("%s waits for the Lease %s/%s", identity, namespace, args.lease_name)
    while not lease.try_acquire():
        if stop.wait(max(0.5, args.lease_duration / 5)):
            return EXIT_OK
    LOG.info("%s holds the Lease %s/%s and acts", identity, namespace, args.lease_name)
    threading.Thread(target=_hold_lease, args=(lease, stop), daemon=True, name="lease").start()
    threading.Thread(target=_leave_after_grace, args=(lease, stop), daemon=True, name="stop").start()
    code = _run(args, kube, credentials, stop)
    _leave(lease, stop, code)
    return code  # not reached


_LEAVING = threading.Lock()


def _leave(lease: Lease, stop: threading.Event, code: int) -> None:
    with _LEAVING:  # once: kopf's own end and the grace's end may come together
        stop.set()  # the renewals end before the release, or one would take the Lease again
        lease.release()
        LOG.info("%s stopped and released the Lease", lease.identity)
        logging.shutdown()
        # At once: a worker thread still in a reconcile step must not write after the Lease is given up.
        os._exit(code)


def _leave_after_grace(lease: Lease, stop: threading.Event) -> None:
    stop.wait()
    time.sleep(STOP_GRACE)
    _leave(lease, stop, EXIT_OK)


def _run(args: Any, kube: Kube, credentials: Credentials, stop: threading.Event) -> int:
    if not wait_until_served(kube, stop):
        return EXIT_OK  # stopped while waiting
    watch_namespaces_made_at_start()
    registry = kopf.OperatorRegistry()
    reconciler = Reconciler(kube, credentials.client, _event, credentials.forget)
    executor = ThreadPoolExecutor(max_workers=args.workers, thread_name_prefix="reconcile")
    register(registry, reconciler, executor)

    @kopf.on.login(registry=registry)
    def login(**_: Any) -> kopf.ConnectionInfo:
        return kube.info

    @kopf.on.startup(registry=registry)
    def configure(**kwargs: Any) -> None:
        apply_settings(kwargs["settings"], args.workers)

    @kopf.on.cleanup(registry=registry)
    def stopping(**_: Any) -> None:  # kopf took the signal (its handlers replace ours): the grace starts now
        stop.set()

    try:
        kopf.run(registry=registry, standalone=True, namespaces=args.namespace, clusterwide=not args.namespace,
                 stop_flag=stop)
    except Exception as error:  # kopf's own failure (its log has the details)
        LOG.error("the controller stopped: %s", error)
        return EXIT_CREDENTIALS if isinstance(error, kopf.LoginError) else EXIT_FAILED
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    return EXIT_OK


def _event(obj: dict[str, Any], kind: str, reason: str, message: str) -> None:
    LOG.info("%s %s/%s: %s: %s", obj.get("kind"), obj["metadata"].get("namespace"), obj["metadata"].get("name"),
             reason, message)
    kopf.event(cast(kopf.Body, obj), type=kind, reason=reason, message=message)
