"""The 0.1 tracking provider (kept for old state) and what every provider here shares: config and errors.

dill pickles this class by reference into every resource's ``__provider``, so this module must import
cleanly in the provider process and register nothing on import. Credentials arrive in ``configure()``
(stack config ``alaya:*``, unwrapped from secrets) and live in module state of the provider process only,
never on ``self``, so they never reach the pickle or the state file.
"""

from __future__ import annotations

import sys
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from ._config import Settings, client_for, read_settings
from .client import (
    DEFAULT_WAIT_TIMEOUT,
    AlayaClient,
    AlayaError,
    AlayaNotFoundError,
    Deployment,
    validate_seconds,
    validate_service_id,
)

INPUTS = ("service_id", "wait_until_running", "wait_timeout")

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


def with_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """The resource's inputs with their defaults: the one place that says what an unset input means."""
    return {
        "service_id": props.get("service_id"),
        "wait_until_running": props.get("wait_until_running") is not False,
        "wait_timeout": props.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT,
    }


def outputs_for(deployment: Deployment, inputs: dict[str, Any]) -> dict[str, Any]:
    return {**{key: inputs.get(key) for key in INPUTS}, **deployment.to_dict()}


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


class LoraDeploymentProvider(ConfiguredProvider):
    """The 0.1 tracker of an existing deployment. ``LoraDeployment`` now owns what it creates; this class stays
    so that stacks created with 0.1 unpickle their ``__provider`` to it and its ``delete`` keeps doing nothing
    (removing a tracked deployment from a stack must never delete it)."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # Called on preview and up before anything else: refuse bad input before any request.
        inputs = {**news, **with_defaults(news)}
        failures = []
        try:
            validate_service_id(news.get("service_id"))
        except AlayaError as error:
            failures.append(CheckFailure("service_id", str(error)))
        return CheckResult(inputs, failures + self._wait_timeout_failures(news))

    def _read(self, service_id: str, inputs: dict[str, Any]) -> Deployment:
        settings = with_defaults(inputs)
        try:
            return self._client().read_deployment(
                service_id, wait=settings["wait_until_running"], wait_timeout=float(settings["wait_timeout"])
            )
        except AlayaError as error:
            # The engine shows the exception's last line: keep it the client's one-line message.
            raise error.with_traceback(None) from None

    def create(self, props: dict[str, Any]) -> CreateResult:
        # Called on `pulumi up` for a new resource: start tracking; the id is the serviceId.
        deployment = self._read(props["service_id"], props)
        return CreateResult(id_=deployment.service_id, outs=outputs_for(deployment, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Called on refresh and on LoraDeployment.get(): an empty id tells the engine the deployment is gone.
        inputs = with_defaults(props)
        inputs["service_id"] = inputs["service_id"] or id_
        deployment = self._get_or_none(id_)
        if deployment is None:
            return ReadResult(id_="", outs={}, inputs={})
        return ReadResult(id_=id_, outs=outputs_for(deployment, inputs), inputs=inputs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Only the tracked serviceId matters; without this, the re-pickled provider would show as a change.
        replace = olds.get("service_id") != news.get("service_id")
        return DiffResult(changes=replace, replaces=["service_id"] if replace else [], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only reached when the engine decides to update anyway: re-read.
        return UpdateResult(outs=outputs_for(self._read(news["service_id"], news), news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        # Deliberately nothing: this resource tracks a deployment; removing it from a stack must not delete it.
        return None
