"""The dynamic provider behind ``LoraDeployment``: a thin adapter over ``owning.LoraOwner``.

Like ``provider.py`` (the 0.1 tracker, kept so old state still unpickles to a delete that does nothing), this
module must import cleanly in the provider process; credentials come from ``configure()`` into module state.
The rules of owning a deployment live in ``owning.py``, shared with the schema-based plugin.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..owning import LoraOwner
from .configured_provider import ConfiguredProvider


class OwnedLoraDeploymentProvider(ConfiguredProvider):
    """CRUD for ``pulumi-python:dynamic/alaya:LoraDeployment`` (0.2): the stack owns the deployment."""

    def _owner(self) -> LoraOwner:
        return LoraOwner(self._client)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # Called on preview and up before anything else: refuse bad input before any request.
        inputs, failures = self._owner().check(news)
        return CheckResult({**news, **inputs}, [CheckFailure(key, reason) for key, reason in failures.items()])

    def create(self, props: dict[str, Any]) -> CreateResult:
        service_id, outputs = self._owner().create(props)
        return CreateResult(id_=service_id, outs=outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Refresh and LoraDeployment.get(): an empty id tells the engine the deployment is gone.
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
