"""What both dynamic providers do with the owner of their kind's deployments (``owning.Owner``): the engine's CRUD
calls in, the owner's plain dicts out. Each provider only says which kind it owns.

A create whose wait fails is deleted again here (the owner's ``keep_unready=False``), naming it when even that
fails: the dynamic provider protocol has no partial create (``pulumi.dynamic`` turns every exception into an
error and keeps nothing), so a kept deployment would be in no state, and a second ``up`` would create another.
The schema-based plugin keeps it instead, as a partial create the next ``up`` resumes."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..client.declaration import Kind
from ..owning import Owner
from .configured_provider import ConfiguredProvider


class OwnerProvider(ConfiguredProvider):
    """CRUD over the owner of ``kind``, which each subclass names."""

    kind: Kind

    def _owner(self) -> Owner:
        return Owner(self.kind, self._client, keep_unready=False)

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
