"""Wait, before kopf starts, until the API server serves every custom resource the controller owns.

kopf lists the API's resources once at its start and lists them again only when a CRD changes. An API server
serves a new CRD a moment after it is Established (its discovery is updated apart), so a controller started in
that moment (Argo CD syncing the CRDs and the Deployment together; the tests' fixtures) never watched its own
resources, without a word. Waiting here closes that gap."""

from __future__ import annotations

import logging
import threading
import time

from .kube import Kube, KubeError
from .resource import GROUP, RESOURCES, VERSION, Resource

__all__ = ["unserved", "wait_until_served"]

LOG = logging.getLogger("alaya.controller")
LOOK_EVERY = 0.5  # seconds between looks at the API's discovery
SAY_EVERY = 30.0  # seconds between the warnings while it waits


def unserved(kube: Kube, resources: tuple[Resource, ...] = RESOURCES) -> list[str]:
    """The plurals of ``resources`` the API server does not serve yet (all of them when it cannot be asked)."""
    try:
        found = kube.get(f"/apis/{GROUP}/{VERSION}") or {}
    except KubeError:
        return [item.plural for item in resources]
    served = {item.get("name") for item in found.get("resources") or []}
    return [item.plural for item in resources if item.plural not in served]


def wait_until_served(kube: Kube, stop: threading.Event, resources: tuple[Resource, ...] = RESOURCES) -> bool:
    """True once every resource is served; False when ``stop`` is set first."""
    said = -SAY_EVERY
    while missing := unserved(kube, resources):
        if time.monotonic() - said >= SAY_EVERY:
            said = time.monotonic()
            LOG.warning("the API server does not serve %s.%s yet: waiting (install the CRDs in "
                        "deploy/kubernetes/crds if they are missing)", ", ".join(missing), GROUP)
        if stop.wait(LOOK_EVERY):
            return False
    return True
