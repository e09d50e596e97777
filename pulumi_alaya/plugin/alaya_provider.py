"""The schema-based provider ``alaya``: ``pulumi.provider.experimental.Provider`` over ``owning.LoraOwner``.

The same rules as the dynamic ``LoraDeployment`` (one ``LoraOwner`` serves both); this class only turns the
engine's requests into plain dicts and back. The client blocks, so each call runs on a thread of its own: the
engine's parallel creates and waits overlap instead of queueing on the server's event loop.
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
from ..owning import INPUTS, SPEC_INPUTS, BaseOwner, LoraOwner
from ..owning.provider_config import CONFIG, client_for, read_settings
from . import wire
from .base_resource import BaseResource
from .schema import BASE_FUNCTION_TOKEN, BASE_TOKEN, FUNCTION_TOKEN, schema

__all__ = ["AlayaProvider"]

T = TypeVar("T")
# As many calls at once as the engine sends (4 per CPU by default; `--parallel N` more): they mostly wait.
_THREADS = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="alaya")
_INPUT_KEYS = tuple(item.key for item in INPUTS)
_DEFAULTS = {item.key: item.default for item in INPUTS if item.default is not None}


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
    """CRUD for ``alaya:index:LoraDeployment``, the ``getLoraDeployment`` function and the provider's config."""

    def __init__(self) -> None:
        self._settings: tuple[tuple[str, str], ...] = ()
        self._schema = json.dumps(schema(), indent=2, sort_keys=False)
        self._base = BaseResource(lambda: BaseOwner(self._client), self._run)

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

    def _owner(self) -> LoraOwner:
        return LoraOwner(self._client)

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        if _is_base(request.urn):
            return await self._base.check(request)
        news = {**wire.plain(request.new_inputs), "name_prefix": request.name}
        unknown = wire.unknown_keys(news)
        known = {key: (None if key in unknown else value) for key, value in news.items()}
        inputs, failures = self._owner().check(known)
        # An input that is only known after another resource exists is checked when it is known (on up).
        failures = {key: reason for key, reason in failures.items() if key not in unknown}
        checked = {key: news[key] if key in unknown else inputs[key] for key in _INPUT_KEYS}
        return p.CheckResponse(inputs=wire.to_wire(checked, wire.secret_keys(request.new_inputs)),
                               failures=[p.CheckFailure(wire.WIRE_FOR.get(key, key), reason)
                                         for key, reason in failures.items()])

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        if _is_base(request.urn):
            return await self._base.diff(request)
        olds, news = wire.plain(request.old_state), wire.plain(request.new_inputs)
        unknown = wire.unknown_keys(news)
        plan = self._owner().diff(olds, {key: value for key, value in news.items() if key not in unknown})
        changed = list(dict.fromkeys([*plan.changed, *unknown]))
        replaces = plan.replaces
        if unknown and not news.get("offline_update"):
            # Not known until up: a spec input that may change is a possible replacement, a setting never is.
            replaces = list(dict.fromkeys([*replaces, *(key for key in SPEC_INPUTS if key in unknown)]))
        kinds = {key: p.PropertyDiff(p.PropertyDiffKind.UPDATE_REPLACE if key in replaces
                                     else p.PropertyDiffKind.UPDATE, True) for key in changed}
        return p.DiffResponse(changes=bool(changed), replaces=[wire.WIRE_FOR[key] for key in replaces],
                              delete_before_replace=plan.delete_before_replace,
                              detailed_diff={wire.WIRE_FOR[key]: kind for key, kind in kinds.items()})

    def _state(self, outputs: dict[str, Any], request_inputs: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
        return wire.to_wire(outputs, wire.secret_keys(request_inputs))

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        if _is_base(request.urn):
            return await self._base.create(request)
        if request.preview:  # nothing is created during preview: every output is known only after up
            planned = wire.plain(request.properties)
            return p.CreateResponse(properties=self._state(
                {key: planned.get(key, wire.UNKNOWN) for key in wire.WIRE_FOR}, request.properties))
        props = {**wire.plain(request.properties), "name_prefix": request.name}
        # request.timeout: the customTimeouts create limit (0 when unset: waitTimeout then bounds the wait).
        service_id, outputs = await self._run(self._owner().create, props, request.timeout)
        return p.CreateResponse(resource_id=service_id, properties=self._state(outputs, request.properties))

    async def read(self, request: p.ReadRequest) -> p.ReadResponse:
        # Refresh, `get` and `pulumi import` (no properties): an empty id tells the engine it is gone.
        if _is_base(request.urn):
            return await self._base.read(request)
        found = await self._run(self._owner().read, request.resource_id, wire.plain(request.properties),
                                request.name)
        if found is None:
            return p.ReadResponse(resource_id="")
        outputs, inputs = found
        # Inputs left at their defaults are not written back, so imported program code stays short.
        kept = {key: inputs[key] for key in _INPUT_KEYS
                if inputs[key] is not None and inputs[key] != _DEFAULTS.get(key)}
        return p.ReadResponse(resource_id=request.resource_id, properties=self._state(outputs, request.properties),
                              inputs=wire.to_wire(kept, wire.secret_keys(request.inputs)))

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        if _is_base(request.urn):
            return await self._base.update(request)
        if request.preview:
            return p.UpdateResponse(properties=self._state({**wire.plain(request.olds), **wire.plain(request.news)},
                                                           request.news))
        outputs = await self._run(self._owner().update, request.resource_id, wire.plain(request.olds),
                                  wire.plain(request.news), request.timeout)
        return p.UpdateResponse(properties=self._state(outputs, request.news))

    async def delete(self, request: p.DeleteRequest) -> None:
        if _is_base(request.urn):
            return await self._base.delete(request)
        await self._run(self._owner().delete, request.resource_id, wire.plain(request.properties), request.timeout)

    async def invoke(self, request: p.InvokeRequest) -> p.InvokeResponse:
        if request.tok not in (FUNCTION_TOKEN, BASE_FUNCTION_TOKEN):
            raise AlayaInputError(f"unknown function {request.tok}; this provider has {FUNCTION_TOKEN} and "
                                  f"{BASE_FUNCTION_TOKEN}")
        args = {name: wire.plain_value(value) for name, value in request.args.items()}
        wait = args.get("waitUntilRunning") is True
        timeout = float(args.get("waitTimeout") or DEFAULT_WAIT_TIMEOUT)
        service_id = str(args.get("serviceId") or "")
        if request.tok == BASE_FUNCTION_TOKEN:
            base = await self._run(lambda: self._client().get_base_deployment(service_id, wait=wait,
                                                                              wait_timeout=timeout))
            return p.InvokeResponse(return_value=wire.BASE.to_wire(base.to_dict()))
        deployment = await self._run(lambda: self._client().read_deployment(service_id, wait=wait,
                                                                            wait_timeout=timeout))
        return p.InvokeResponse(return_value=wire.to_wire(deployment.to_dict()))


def _is_base(urn: str) -> bool:
    """Which resource a call is about: the type token sits in the URN (``...::alaya:index:X::name``)."""
    return f"::{BASE_TOKEN}::" in urn

