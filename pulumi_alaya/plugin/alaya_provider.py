"""The schema-based provider ``alaya``: the engine's calls (``pulumirpc`` messages) over one ``owning.Owner`` per
kind, answered as Pulumi's ``pulumi.provider.experimental`` servicer answers them, without the Pulumi SDK.

The same rules as the dynamic resources (one ``Owner`` serves both); a ``KindResource`` per kind turns the
engine's requests into plain dicts and back, and this class routes each call to it by the URN's type token. The
client blocks, so each call runs on a thread of its own: the engine's parallel creates and waits overlap instead
of queueing on the server's event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from ..client import DEFAULT_WAIT_TIMEOUT, AlayaClient, AlayaInputError, validate_seconds
from ..client.declaration import Kind
from ..client.kinds import KINDS
from ..owning import Owner
from ..owning.provider_config import CONFIG, client_for, read_settings
from . import wire
from .protocol import provider_pb2 as pb
from .resource import KindResource
from .schema import function_token, token

__all__ = ["AlayaProvider"]

T = TypeVar("T")
# As many calls at once as the engine sends (4 per CPU by default; `--parallel N` more): they mostly wait.
_THREADS = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="alaya")


def _config_value(value: Any) -> Any:
    """A config entry (a ``google.protobuf.Value``, secret or not) as a plain value; unknown or not a scalar: None."""
    raw = None if value is None else wire.plain_value(value)
    if raw is wire.UNKNOWN or isinstance(raw, (dict, list)):
        return None
    return int(raw) if isinstance(raw, float) and raw.is_integer() else raw


def _number_problem(value: Any, kind: str) -> str:
    try:
        number = float(value)
        if kind == "integer":
            return "" if number == int(number) and number >= 0 else "a whole number >= 0"
        validate_seconds(number, "")
    except (ValueError, OverflowError, AlayaInputError):
        return "a whole number >= 0" if kind == "integer" else "a positive, finite number of seconds"
    return ""


class AlayaProvider:
    """CRUD for every kind's resource (``alaya:index:LoraDeployment``...), its ``get...`` function and the config.
    (``GetPluginInfo`` and ``GetSchema`` are answered before this is loaded: ``first_calls.py``.)"""

    def __init__(self) -> None:
        self._settings: tuple[tuple[str, str], ...] = ()
        self._resources = {token(kind): KindResource(kind, self._owner_of(kind), self._run) for kind in KINDS}

    def _owner_of(self, kind: Kind) -> Callable[[], Owner]:
        return lambda: Owner(kind, self._client)

    def _client(self) -> AlayaClient:
        return client_for(self._settings)

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(_THREADS, call, *args)

    async def check_config(self, request: Any) -> Any:
        # Config arrives as the user typed it (`pulumi config set alaya:retries 3` is the string "3").
        failures = []
        for item in CONFIG:
            value = _config_value(request.news.fields.get(item.key))
            if value is None or item.kind == "string":
                continue
            problem = _number_problem(value, item.kind)
            if problem:
                failures.append(pb.CheckFailure(property=item.key,
                                                reason=f"alaya:{item.key} must be {problem}, not {value!r}."))
        return pb.CheckResponse(inputs=request.news, failures=failures)

    async def diff_config(self, request: Any) -> Any:
        # As Pulumi's servicer answers for a provider that leaves config diffs to the engine.
        return pb.DiffResponse(hasDetailedDiff=True)

    async def configure(self, request: Any) -> Any:
        # Called once per provider process with the provider's inputs (stack config alaya:*), secrets included.
        self._settings = read_settings(lambda key: _config_value(request.args.fields.get(key)))
        return pb.ConfigureResponse(acceptSecrets=True, supportsPreview=True)

    def _resource(self, urn: str) -> KindResource:
        """Which resource a call is about: the type token sits in the URN (``...::alaya:index:X::name``)."""
        token = urn.split("::")[2] if urn.count("::") >= 3 else ""
        resource = self._resources.get(token)
        if resource is None:
            raise AlayaInputError(f"unknown resource type {token!r}; this provider has {', '.join(self._resources)}")
        return resource

    async def check(self, request: Any) -> Any:
        return await self._resource(request.urn).check(request)

    async def diff(self, request: Any) -> Any:
        return await self._resource(request.urn).diff(request)

    async def create(self, request: Any) -> Any:
        return await self._resource(request.urn).create(request)

    async def read(self, request: Any) -> Any:
        return await self._resource(request.urn).read(request)

    async def update(self, request: Any) -> Any:
        return await self._resource(request.urn).update(request)

    async def delete(self, request: Any) -> None:
        await self._resource(request.urn).delete(request)

    async def invoke(self, request: Any) -> Any:
        resource = next((r for r in self._resources.values() if function_token(r.kind) == request.tok), None)
        if resource is None:
            names = ", ".join(function_token(r.kind) for r in self._resources.values())
            raise AlayaInputError(f"unknown function {request.tok}; this provider has {names}")
        args = wire.plain_map(request.args)
        wait = args.get("waitUntilRunning") is True
        timeout = float(args.get("waitTimeout") or DEFAULT_WAIT_TIMEOUT)
        service_id = str(args.get("serviceId") or "")

        deployment = await self._run(lambda: self._client().deployments(resource.kind).get(
            service_id, wait=wait, wait_timeout=timeout))
        # `return` is a Python keyword: the field is set by name.
        return pb.InvokeResponse(**{"return": resource.wire.to_wire(deployment.to_dict())})
