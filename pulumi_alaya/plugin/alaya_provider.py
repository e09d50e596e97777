"""The schema-based provider ``alaya``: ``pulumi.provider.experimental.Provider`` over one ``owning.Owner`` per kind.

The same rules as the dynamic resources (one ``Owner`` serves both); a ``KindResource`` per kind turns the
engine's requests into plain dicts and back, and this class routes each call to it by the URN's type token. The
client blocks, so each call runs on a thread of its own: the engine's parallel creates and waits overlap instead
of queueing on the server's event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Callable
from typing import Any, TypeVar

from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import PropertyValue

from ..client import DEFAULT_WAIT_TIMEOUT, AlayaClient, AlayaInputError, validate_seconds
from ..client.declaration import Kind
from ..client.kinds import KINDS
from ..owning import Owner
from ..owning.provider_config import CONFIG, client_for, read_settings
from . import wire
from .resource import KindResource
from .schema import function_token, schema, token

__all__ = ["AlayaProvider"]

T = TypeVar("T")
# As many calls at once as the engine sends (4 per CPU by default; `--parallel N` more): they mostly wait.
_THREADS = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="alaya")


def _config_value(value: PropertyValue | None) -> Any:
    if value is None or isinstance(value.value, (dict, list, tuple)) or value.type.name == "COMPUTED":
        return None
    raw = value.value
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


class AlayaProvider(p.Provider):
    """CRUD for every kind's resource (``alaya:index:LoraDeployment``...), its ``get...`` function and the config."""

    def __init__(self) -> None:
        self._settings: tuple[tuple[str, str], ...] = ()
        self._schema = json.dumps(schema(), indent=2, sort_keys=False)
        self._resources = {token(kind): KindResource(kind, self._owner_of(kind), self._run) for kind in KINDS}

    def _owner_of(self, kind: Kind) -> Callable[[], Owner]:
        return lambda: Owner(kind, self._client)

    def _client(self) -> AlayaClient:
        return client_for(self._settings)

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(_THREADS, call, *args)

    async def get_schema(self, request: p.GetSchemaRequest) -> p.GetSchemaResponse:
        return p.GetSchemaResponse(schema=self._schema)

    async def check_config(self, request: p.CheckRequest) -> p.CheckResponse:
        # Config arrives as the user typed it (`pulumi config set alaya:retries 3` is the string "3").
        failures = []
        for item in CONFIG:
            value = _config_value(request.new_inputs.get(item.key))
            if value is None or item.kind == "string":
                continue
            problem = _number_problem(value, item.kind)
            if problem:
                failures.append(p.CheckFailure(item.key, f"alaya:{item.key} must be {problem}, not {value!r}."))
        return p.CheckResponse(inputs=request.new_inputs, failures=failures)

    async def configure(self, request: p.ConfigureRequest) -> p.ConfigureResponse:
        # Called once per provider process with the provider's inputs (stack config alaya:*), secrets included.
        self._settings = read_settings(lambda key: _config_value(request.args.get(key)))
        return p.ConfigureResponse(accept_secrets=True, supports_preview=True)

    def _resource(self, urn: str) -> KindResource:
        """Which resource a call is about: the type token sits in the URN (``...::alaya:index:X::name``)."""
        token = urn.split("::")[2] if urn.count("::") >= 3 else ""
        resource = self._resources.get(token)
        if resource is None:
            raise AlayaInputError(f"unknown resource type {token!r}; this provider has {', '.join(self._resources)}")
        return resource

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        return await self._resource(request.urn).check(request)

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        return await self._resource(request.urn).diff(request)

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        return await self._resource(request.urn).create(request)

    async def read(self, request: p.ReadRequest) -> p.ReadResponse:
        return await self._resource(request.urn).read(request)

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        return await self._resource(request.urn).update(request)

    async def delete(self, request: p.DeleteRequest) -> None:
        await self._resource(request.urn).delete(request)

    async def invoke(self, request: p.InvokeRequest) -> p.InvokeResponse:
        resource = next((r for r in self._resources.values() if function_token(r.kind) == request.tok), None)
        if resource is None:
            names = ", ".join(function_token(r.kind) for r in self._resources.values())
            raise AlayaInputError(f"unknown function {request.tok}; this provider has {names}")
        args = {name: wire.plain_value(value) for name, value in request.args.items()}
        wait = args.get("waitUntilRunning") is True
        timeout = float(args.get("waitTimeout") or DEFAULT_WAIT_TIMEOUT)
        service_id = str(args.get("serviceId") or "")

        deployment = await self._run(lambda: self._client().deployments(resource.kind).get(
            service_id, wait=wait, wait_timeout=timeout))
        return p.InvokeResponse(return_value=resource.wire.to_wire(deployment.to_dict()))
