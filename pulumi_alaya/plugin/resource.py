"""One resource of the plugin (``alaya:index:LoraDeployment``, ``alaya:index:BaseModelDeployment``): the engine's
requests to the kind's ``owning.Owner`` and back. Written once for every kind; the engine's ``timeout`` on create,
update and delete (the ``customTimeouts`` resource option, 0 when unset) is the owner's wait budget."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..client.declaration import REPLACE, Kind
from ..owning import CreatedNotReady, Owner
from .partial import PartialFailure
from .protocol import provider_pb2 as pb
from .protocol import struct_pb2
from .wire import UNKNOWN, Wire, unknown_keys

__all__ = ["KindResource", "name_of"]

Run = Callable[..., Awaitable[Any]]


def name_of(urn: str) -> str:
    """The resource's name: the URN's last part (``urn:pulumi:STACK::PROJECT::TYPE::NAME``)."""
    parts = urn.split("::")
    return parts[-1] if len(parts) > 1 else ""


class KindResource:
    """CRUD of one kind's resource; ``owner`` gives a fresh ``Owner`` (with the configured client) per call."""

    def __init__(self, kind: Kind, owner: Callable[[], Owner], run: Run) -> None:
        self.kind = kind
        # "autoNamed" in state says the program set no name (only kinds whose name may be made up have it).
        self.wire = Wire(kind.inputs, kind.outputs, {"auto_named": "autoNamed"} if kind.auto_named else None)
        self._owner = owner
        self._run = run
        self._input_keys = tuple(item.key for item in kind.inputs)
        self._defaults = {item.key: item.default for item in kind.inputs if item.default is not None}

    def _named(self, props: dict[str, Any], resource_name: str) -> dict[str, Any]:
        """An auto-named kind's name is made from the resource's name."""
        return {**props, "name_prefix": resource_name} if self.kind.auto_named else props

    def _state(self, outputs: dict[str, Any], request_inputs: Any) -> Any:
        return self.wire.to_wire(outputs, self.wire.secret_keys(request_inputs))

    async def check(self, request: Any) -> Any:
        news = self._named(self.wire.plain(request.news), name_of(request.urn))
        unknown = unknown_keys(news)
        inputs, failures = self._owner().check({k: (None if k in unknown else v) for k, v in news.items()})
        # An input that is only known after another resource exists is checked when it is known (on up).
        failures = {key: reason for key, reason in failures.items() if key not in unknown}
        checked = {key: news[key] if key in unknown else inputs[key] for key in self._input_keys}
        return pb.CheckResponse(inputs=self.wire.to_wire(checked, self.wire.secret_keys(request.news)),
                                failures=[pb.CheckFailure(property=self.wire.wire_for.get(key, key), reason=reason)
                                          for key, reason in failures.items()] or None)

    async def diff(self, request: Any) -> Any:
        olds, news = self.wire.plain(request.olds), self.wire.plain(request.news)
        olds.setdefault("service_id", request.id)
        unknown = unknown_keys(news)
        plan = await self._run(self._owner().diff, olds,
                               {key: value for key, value in news.items() if key not in unknown})
        changed = list(dict.fromkeys([*plan.changed, *unknown]))
        replaces = list(dict.fromkeys([*plan.replaces, *(key for key in unknown if self._may_replace(key, news))]))
        kinds = {key: pb.PropertyDiff(kind=pb.PropertyDiff.UPDATE_REPLACE if key in replaces
                                      else pb.PropertyDiff.UPDATE, inputDiff=True) for key in changed}
        return pb.DiffResponse(changes=pb.DiffResponse.DIFF_SOME if changed else pb.DiffResponse.DIFF_NONE,
                               replaces=[self.wire.wire_for[key] for key in replaces],
                               deleteBeforeReplace=plan.delete_before_replace,
                               detailedDiff={self.wire.wire_for[key]: kind for key, kind in kinds.items()},
                               hasDetailedDiff=True)

    def _may_replace(self, key: str, news: dict[str, Any]) -> bool:
        """Not known until up: a field that may change is a possible replacement, a setting never is."""
        item = next((i for i in self.kind.spec_inputs if i.key == key), None)
        if item is None:
            return False
        if self.kind.offline_opt_in:
            return not news.get("offline_update")
        return item.change == REPLACE

    async def create(self, request: Any) -> Any:
        if request.preview:  # nothing is created during preview: every output is known only after up
            planned = self.wire.plain(request.properties)
            return pb.CreateResponse(properties=self._state(
                {key: planned.get(key, UNKNOWN) for key in self.wire.wire_for}, request.properties))
        props = self._named(self.wire.plain(request.properties), name_of(request.urn))
        try:
            service_id, outputs = await self._run(self._owner().create, props, request.timeout)
        except CreatedNotReady as error:
            raise PartialFailure(error.message, error.service_id or "",
                                 self._state(error.outputs, request.properties)) from None
        return pb.CreateResponse(id=service_id, properties=self._state(outputs, request.properties))

    async def read(self, request: Any) -> Any:
        # Refresh, `get` and `pulumi import` (no properties): an empty id tells the engine it is gone.
        found = await self._run(self._owner().read, request.id, self.wire.plain(request.properties),
                                name_of(request.urn))
        if found is None:
            return pb.ReadResponse(id="", properties=struct_pb2.Struct(), inputs=struct_pb2.Struct())
        outputs, inputs = found
        # Inputs left at their defaults are not written back, so imported program code stays short.
        kept = {key: inputs[key] for key in self._input_keys
                if inputs[key] not in (None, []) and inputs[key] != self._defaults.get(key)}
        return pb.ReadResponse(id=request.id, properties=self._state(outputs, request.properties),
                               inputs=self.wire.to_wire(kept, self.wire.secret_keys(request.inputs)))

    async def update(self, request: Any) -> Any:
        if request.preview:
            return pb.UpdateResponse(properties=self._state(
                {**self.wire.plain(request.olds), **self.wire.plain(request.news)}, request.news))
        try:
            outputs = await self._run(self._owner().update, request.id, self.wire.plain(request.olds),
                                      self.wire.plain(request.news), request.timeout)
        except CreatedNotReady as error:
            raise PartialFailure(error.message, request.id, self._state(error.outputs, request.news)) from None
        return pb.UpdateResponse(properties=self._state(outputs, request.news))

    async def delete(self, request: Any) -> None:
        await self._run(self._owner().delete, request.id, self.wire.plain(request.properties), request.timeout)
