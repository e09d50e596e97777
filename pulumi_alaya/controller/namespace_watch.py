"""A namespace made while the controller starts is watched too (kopf misses it with a ``--namespace`` pattern).

For a pattern (``team-*``), kopf lists the namespaces once, then starts a watch of them, which lists them again
first. It reads that second listing as "already seen" and skips it, so a namespace made between the two
listings matches the pattern but is never watched until the controller restarts: a team's first
``LoraDeployment`` there would never be reconciled. Argo CD creating a namespace and the controller together
does exactly that. Here the second listing is read like any other event (the revision is idempotent: a namespace
is added to the watched set once, whatever number of times it is seen). kopf 1.38-1.45 have the gap; if a later
kopf moves these functions the fix stands down with a warning (``tests/controller/test_namespace_watch.py``
holds it to the kopf installed).
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["watch_namespaces_made_at_start"]

LOG = logging.getLogger("alaya.controller")


def watch_namespaces_made_at_start() -> bool:
    """Make kopf's namespace watch revise its own first listing too; True when it is in place."""
    try:
        from kopf._core.reactor import observation  # noqa: PLC0415 - kopf's own (private) module
    except ImportError:
        return _stand_down()
    if not hasattr(observation, "process_discovered_namespace_event") or \
            not hasattr(observation, "revise_namespaces"):
        return _stand_down()
    if getattr(observation.process_discovered_namespace_event, "revises_every_event", False):
        return True
    revise = observation.revise_namespaces

    async def process_every_namespace_event(*, raw_event: Any, namespaces: Any, insights: Any,
                                            **_: Any) -> None:
        async with insights.revised:
            revise(raw_events=[raw_event], insights=insights, namespaces=namespaces)
            insights.revised.notify_all()

    process_every_namespace_event.revises_every_event = True  # type: ignore[attr-defined]
    observation.process_discovered_namespace_event = process_every_namespace_event
    return True


def _stand_down() -> bool:
    LOG.warning("this kopf no longer has the namespace observer the controller mends: a namespace made while it "
                "starts may be watched only after a restart")
    return False
