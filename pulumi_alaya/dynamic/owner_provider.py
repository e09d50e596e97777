"""What both dynamic providers do with an owner of deployments (``owning.LoraOwner``, ``owning.BaseOwner``): the
engine's CRUD calls in, the owner's plain dicts out. Each provider only says which owner it uses."""

from __future__ import annotations

from typing import Any, Protocol

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..owning import Plan
from .configured_provider import ConfiguredProvider


class Owner(Protocol):
    def check(self, news: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]: ...
    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]: ...
    def read(self, service_id: str, props: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None: ...
    def diff(self, olds: dict[str, Any], news: dict[str, Any]) -> Plan: ...
    def update(self, service_id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]: ...
    def delete(self, service_id: str, props: dict[str, Any]) -> None: ...


class OwnerProvider(ConfiguredProvider):
    """CRUD over ``_owner()``, which each subclass names."""

    def _owner(self) -> Owner:
        raise NotImplementedError

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # Called on preview and up before anything else: refuse bad input before any request.
        inputs, failures = self._owner().check(news)
        return CheckResult({**news, **inputs}, [CheckFailure(key, reason) for key, reason in failures.items()])

    def create(self, props: dict[str, Any]) -> CreateResult:
        service_id, outputs = self._owner().create(props)
        return CreateResult(id_=service_id, outs=outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Refresh and Resource.get(): an empty id tells the engine the deployment is gone.
        found = self._owner().read(id_, props)
        if found is None:
            return ReadResult(id_="", outs={}, inputs={})
        outputs, inputs = found
        return ReadResult(id_=id_, outs=outputs, inputs=inputs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        plan = self._owner().diff(olds, news)
        return DiffResult(changes=bool(plan.changed), replaces=plan.replaces,
                          delete_before_replace=plan.delete_before_replace)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs=self._owner().update(id_, olds, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._owner().delete(id_, props)
