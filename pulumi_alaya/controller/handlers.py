"""The controller on kopf: per resource, one daemon runs reconcile steps one after another (in a thread pool, so a
slow API never holds the event loop or another resource), and a delete handler holds the finalizer until the
deployment is gone. The daemon wakes when the spec (generation) or the create-pending annotation changes, when
a step asks for it (a deployment starting, an error's retry), else every spec.resyncInterval (drift)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import time
from concurrent.futures import Executor
from typing import Any

import kopf

from .kube import KubeError
from .reconcile import RETRY, Reconciler
from .resource import CREATE_PENDING, FINALIZER, GROUP, RESOURCES, VERSION

__all__ = ["register", "settings"]

LOG = logging.getLogger("alaya.controller")
TICK = 0.5  # seconds between looks at the live object while a daemon waits


def _marker(body: kopf.Body) -> tuple[Any, Any]:
    return body.metadata.get("generation"), (body.metadata.annotations or {}).get(CREATE_PENDING)


def register(registry: kopf.OperatorRegistry, reconciler: Reconciler, executor: Executor) -> None:
    for resource in RESOURCES:
        _register_one(registry, reconciler, executor, resource.plural)


def _register_one(registry: kopf.OperatorRegistry, reconciler: Reconciler, executor: Executor,
                  plural: str) -> None:
    @kopf.daemon(GROUP, VERSION, plural, registry=registry, id="reconcile", cancellation_timeout=1.0)
    async def reconcile(body: kopf.Body, stopped: kopf.DaemonStopped, **_: Any) -> None:
        loop = asyncio.get_running_loop()
        kind, namespace, name = body["kind"], body.metadata.namespace, body.metadata.name
        while not stopped:
            seen = _marker(body)
            try:
                # copy_context: kopf.event in the thread finds the operator's event queue.
                step = functools.partial(reconciler.step, kind, str(namespace), name)
                again = await loop.run_in_executor(executor, contextvars.copy_context().run, step)
            except KubeError as error:
                LOG.warning("%s %s/%s: %s; retrying in %g s", kind, namespace, name, error, RETRY)
                again = RETRY
            if again is None:
                return
            deadline = time.monotonic() + again
            while not stopped and time.monotonic() < deadline and _marker(body) == seen:
                await asyncio.sleep(min(TICK, max(0.0, deadline - time.monotonic())))

    @kopf.on.delete(GROUP, VERSION, plural, registry=registry, id="finalize")
    def finalize(body: kopf.Body, **_: Any) -> None:
        try:
            waiting = reconciler.finalize(body["kind"], str(body.metadata.namespace), str(body.metadata.name))
        except KubeError as error:
            raise kopf.TemporaryError(str(error), delay=RETRY) from None
        except Exception as error:  # an AlayaError (its text names the deployment, never a key)
            raise kopf.TemporaryError(str(error), delay=RETRY) from None
        if waiting:
            raise kopf.TemporaryError(waiting, delay=2.0)
        reconciler.forget(str(body.metadata.uid))


def settings(operator: kopf.OperatorSettings, workers: int) -> None:
    """kopf's settings for this controller: our names for its marks, bounded watches, no log-to-Event noise."""
    operator.persistence.finalizer = FINALIZER
    operator.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=GROUP)
    operator.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(prefix=GROUP)
    operator.posting.level = logging.WARNING  # our own Events say what happened; kopf's info lines stay logs
    operator.execution.max_workers = workers
    # Watches that hang on a broken connection are restarted (kopf's docs advise both timeouts).
    operator.watching.server_timeout = 300
    operator.watching.client_timeout = 330
    operator.watching.connect_timeout = 30
    operator.networking.request_timeout = 60
