"""``alaya:index:BaseModelDeployment`` in the plugin: engine requests to ``owning.BaseOwner`` and back.

The same shape as the LoRA calls in ``alaya_provider.py``; the engine's ``timeout`` on create, update and
delete (the ``customTimeouts`` resource option, 0 when unset) is passed to the owner as the wait budget.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import PropertyValue

from ..owning import BASE_INPUTS, BaseOwner
from ..owning.base_inputs import REPLACED_ON_CHANGE
from .wire import BASE, UNKNOWN, unknown_keys

__all__ = ["BaseResource"]

Run = Callable[..., Awaitable[Any]]
_INPUT_KEYS = tuple(item.key for item in BASE_INPUTS)
_DEFAULTS = {item.key: item.default for item in BASE_INPUTS if item.default is not None}


class BaseResource:
    def __init__(self, owner: Callable[[], BaseOwner], run: Run) -> None:
        self._owner = owner
        self._run = run

    def _state(self, outputs: dict[str, Any], request_inputs: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
        return BASE.to_wire(outputs, BASE.secret_keys(request_inputs))

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        news = BASE.plain(request.new_inputs)
        unknown = unknown_keys(news)
        inputs, failures = self._owner().check({k: (None if k in unknown else v) for k, v in news.items()})
        failures = {key: reason for key, reason in failures.items() if key not in unknown}
        checked = {key: news[key] if key in unknown else inputs[key] for key in _INPUT_KEYS}
        return p.CheckResponse(inputs=BASE.to_wire(checked, BASE.secret_keys(request.new_inputs)),
                               failures=[p.CheckFailure(BASE.wire_for[key], reason)
                                         for key, reason in failures.items()])

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        olds, news = BASE.plain(request.old_state), BASE.plain(request.new_inputs)
        unknown = unknown_keys(news)
        plan = self._owner().diff(olds, {key: value for key, value in news.items() if key not in unknown})
        changed = list(dict.fromkeys([*plan.changed, *unknown]))
        replaces = list(dict.fromkeys([*plan.replaces, *(k for k in unknown if k in REPLACED_ON_CHANGE)]))
        kinds = {key: p.PropertyDiff(p.PropertyDiffKind.UPDATE_REPLACE if key in replaces
                                     else p.PropertyDiffKind.UPDATE, True) for key in changed}
        return p.DiffResponse(changes=bool(changed), replaces=[BASE.wire_for[key] for key in replaces],
                              delete_before_replace=plan.delete_before_replace,
                              detailed_diff={BASE.wire_for[key]: kind for key, kind in kinds.items()})

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        if request.preview:
            planned = BASE.plain(request.properties)
            return p.CreateResponse(properties=self._state(
                {key: planned.get(key, UNKNOWN) for key in BASE.wire_for}, request.properties))
        service_id, outputs = await self._run(self._owner().create, BASE.plain(request.properties),
                                              request.timeout)
        return p.CreateResponse(resource_id=service_id, properties=self._state(outputs, request.properties))

    async def read(self, request: p.ReadRequest) -> p.ReadResponse:
        found = await self._run(self._owner().read, request.resource_id, BASE.plain(request.properties))
        if found is None:
            return p.ReadResponse(resource_id="")
        outputs, inputs = found
        kept = {key: inputs[key] for key in _INPUT_KEYS
                if inputs[key] not in (None, []) and inputs[key] != _DEFAULTS.get(key)}
        return p.ReadResponse(resource_id=request.resource_id, properties=self._state(outputs, request.properties),
                              inputs=BASE.to_wire(kept, BASE.secret_keys(request.inputs)))

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        if request.preview:
            return p.UpdateResponse(properties=self._state({**BASE.plain(request.olds), **BASE.plain(request.news)},
                                                           request.news))
        outputs = await self._run(self._owner().update, request.resource_id, BASE.plain(request.olds),
                                  BASE.plain(request.news), request.timeout)
        return p.UpdateResponse(properties=self._state(outputs, request.news))

    async def delete(self, request: p.DeleteRequest) -> None:
        await self._run(self._owner().delete, request.resource_id, BASE.plain(request.properties), request.timeout)

