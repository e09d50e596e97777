"""The dynamic provider behind ``BaseModelDeployment``: a thin adapter over ``owning.BaseOwner``.

The Python SDK's dynamic provider interface passes no operation timeout to ``create``/``update``/``delete``
(pulumi 3.272: ``ResourceProvider.create(props)``), so ``customTimeouts`` cannot reach the wait here: the engine
still stops waiting for the provider at the limit, but the wait itself is bounded by ``wait_timeout``. The
schema-based plugin honours ``customTimeouts`` fully.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..owning import BaseOwner
from .configured_provider import ConfiguredProvider


class OwnedBaseModelDeploymentProvider(ConfiguredProvider):
    """CRUD for ``pulumi-python:dynamic/alaya:BaseModelDeployment``: the stack owns the base-model deployment."""

    def _owner(self) -> BaseOwner:
        return BaseOwner(self._client)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # Called on preview and up before anything else: refuse bad input before any request.
        inputs, failures = self._owner().check(news)
        return CheckResult({**news, **inputs}, [CheckFailure(key, reason) for key, reason in failures.items()])

    def create(self, props: dict[str, Any]) -> CreateResult:
        service_id, outputs = self._owner().create(props)
        return CreateResult(id_=service_id, outs=outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
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
