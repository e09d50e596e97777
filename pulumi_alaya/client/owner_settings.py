"""The settings of an owner of deployments (not fields of a deployment: nothing of them is sent to the API),
declared once and shared by the kinds that take them."""

from __future__ import annotations

from .declaration import Input
from .settings import DEFAULT_WAIT_TIMEOUT

__all__ = ["OFFLINE_UPDATE", "STORE_API_KEY", "WAIT_TIMEOUT", "WAIT_UNTIL_RUNNING"]

WAIT_UNTIL_RUNNING = Input(
    "wait_until_running", "waitUntilRunning", "boolean",
    "Wait after create and update until the deployment is running, and after delete until it is gone.", default=True)
WAIT_TIMEOUT = Input(
    "wait_timeout", "waitTimeout", "number",
    "Seconds each wait may take when the operation's own timeout (customTimeouts, a timeouts block) sets none.",
    default=DEFAULT_WAIT_TIMEOUT, minimum=0)
OFFLINE_UPDATE = Input(
    "offline_update", "offlineUpdate", "boolean",
    "Apply changes with the API's offline update (stop, update, start: the model is away meanwhile) instead of a "
    "replacement (a new deployment first, then the old one deleted; its serviceUrl and apiKey change).",
    default=False)
STORE_API_KEY = Input(
    "store_api_key", "storeApiKey", "boolean",
    "Keep the deployment's apiKey in state as the apiKey output (encrypted as a secret). Set false when something "
    "else hands the key to its users, such as External Secrets Operator in a cluster: the apiKey output is then "
    "absent and the key is nowhere in the state.", default=True)
