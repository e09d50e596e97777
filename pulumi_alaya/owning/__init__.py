"""What owning a deployment means, written once for every kind and every front end that owns deployments.

``owner``: ``Owner(kind, client)`` (check, create and wait, replace or update offline, adopt, read, delete) and
``CreatedNotReady``; ``defaults``: what an unset input means; ``naming``: auto-names; ``timeouts``: the
operation's own limit or waitTimeout;
``provider_config``: the provider's settings (``alaya:*`` config, ``ALAYA_*`` fallbacks).
"""

from collections.abc import Callable

from ..client import AlayaClient
from ..client.declaration import Kind
from .defaults import spec_values, with_defaults
from .owner import CreatedNotReady, Owner, Plan
from .timeouts import Budget

__all__ = ["Budget", "CreatedNotReady", "Owner", "Plan", "owner_for", "spec_values", "with_defaults"]


def owner_for(kind: Kind, client: Callable[[], AlayaClient]) -> Owner:
    """The owner of ``kind``'s deployments over ``client`` (called once per operation): check, create, read,
    diff, update, delete, with the same rules on every surface that owns deployments."""
    return Owner(kind, client)
