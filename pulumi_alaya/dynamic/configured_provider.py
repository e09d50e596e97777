"""What both dynamic providers share: stack config in, a client out, and one-line errors in the engine.

dill pickles the providers by reference into every resource's ``__provider``, so this module must import
cleanly in the provider process and register nothing on import. Credentials arrive in ``configure()``
(stack config ``alaya:*``, unwrapped from secrets) and live in module state of the provider process only,
never on ``self``, so they never reach the pickle or the state file.
"""

from __future__ import annotations

import sys
from typing import Any

from pulumi.dynamic import CheckFailure, ConfigureRequest, ResourceProvider

from ..client import AlayaClient, AlayaError, AlayaNotFoundError, Deployment, validate_seconds
from ..owning.provider_config import Settings, client_for, read_settings

# Set by configure() in the provider process (never on self, so never pickled); unset keys use ALAYA_*.
_settings: list[Settings] = [()]


class _OneLineErrors:
    """Stands in for the ``traceback`` module inside the SDK's provider server (``python -m pulumi.dynamic``).

    The server reports any provider exception as ``traceback.format_exc()``, so ``pulumi up`` would show a
    Python traceback for an ordinary 404. Our errors become their one-line message; anything else (a bug)
    keeps its full traceback.
    """

    def __init__(self, real: Any) -> None:
        self._real = real

    def format_exc(self, *args: Any, **kwargs: Any) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, AlayaError):
            return f"{type(error).__name__}: {error}"
        return str(self._real.format_exc(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _one_line_errors_in_provider_server() -> None:
    server: Any = sys.modules.get("__main__")
    spec = getattr(server, "__spec__", None)
    if getattr(spec, "name", None) == "pulumi.dynamic.__main__" and hasattr(server, "traceback"):
        if not isinstance(server.traceback, _OneLineErrors):
            server.traceback = _OneLineErrors(server.traceback)


_one_line_errors_in_provider_server()


class ConfiguredProvider(ResourceProvider):
    """Stack config in, a client out: what every provider of this package shares."""

    def configure(self, req: ConfigureRequest) -> None:
        # Called once per provider process, after unpickling, with the stack config.
        _settings[0] = read_settings(lambda key: req.config.get("alaya:" + key))

    def _client(self) -> AlayaClient:
        return client_for(_settings[0])

    @staticmethod
    def _wait_timeout_failures(news: dict[str, Any]) -> list[CheckFailure]:
        """The client's rule for a wait's seconds, as a check failure on the input."""
        try:
            if news.get("wait_timeout") is not None:
                validate_seconds(news["wait_timeout"], "wait_timeout")
        except AlayaError as error:
            return [CheckFailure("wait_timeout", str(error))]
        return []

    def _get_or_none(self, service_id: str) -> Deployment | None:
        """The deployment, or None when the API says it is gone (refresh then drops it from the stack)."""
        try:
            return self._client().get_deployment(service_id)
        except AlayaNotFoundError:
            return None
