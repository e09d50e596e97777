"""What every dynamic resource of a kind does, written once: each kind's resource (``LoraDeployment``,
``BaseModelDeployment``...) is generated from its declaration by ``scripts/gen_fields.py`` and only names its kind,
its typed inputs (for checkers) and its provider.

Two ways to build one, as Pulumi's generated SDKs have: an args object, or keywords with the required inputs
required. ``get`` reads an existing deployment into the stack without owning it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from ..client.declaration import Kind
from .owner_provider import OwnerProvider

__all__ = ["ADOPT_SERVICE_ID", "KindResource", "KindResourceUsageError"]

# The one input a dynamic resource has beyond its kind's (``pulumi import`` cannot adopt dynamic resources).
ADOPT_SERVICE_ID = ("Take ownership of this existing deployment instead of creating one; it must match the other "
                    "inputs (``pulumi import`` cannot adopt dynamic resources, pulumi/pulumi#16175).")


class KindResourceUsageError(pulumi.RunError, TypeError):
    """A wrong way to build a resource: a RunError, so ``pulumi up`` shows one line, not a traceback."""


class KindResource(Resource):
    """A deployment of ``kind`` owned by the stack (``pulumi-python:dynamic/alaya:<Resource>``)."""

    kind: ClassVar[Kind]
    args_type: ClassVar[type[Any]]
    usage_error: ClassVar[type[KindResourceUsageError]]
    provider_type: ClassVar[type[OwnerProvider]]

    @classmethod
    def moved(cls) -> str:
        """How to read or adopt one instead (0.1's ``service_id`` argument tracked one)."""
        name = cls.kind.resource
        return (f"{name} creates and owns a deployment since pulumi-alaya 0.2; to read an existing one by serviceId "
                f"use alaya.{name}.get(name, service_id), or adopt it with {name}(..., adopt_service_id=...)")

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        if args and isinstance(args[0], pulumi.ResourceOptions):  # the keyword form's opts, given positionally
            args = (None, *args)
        self._init(resource_name, *args, **kwargs)

    def _init(self, resource_name: str, args: Any = None, opts: pulumi.ResourceOptions | None = None, *,
              service_id: object = None, **inputs: Any) -> None:
        # ``inputs``: the keyword form's inputs. ``service_id``: 0.1's tracking argument, in no overload (so
        # checkers flag it), refused here with the way to do it now.
        if service_id is not None:
            raise self.usage_error(self.moved())
        reading = opts is not None and opts.id is not None
        if args is None:
            required = [item.key for item in self.kind.inputs if item.required]
            if not reading and any(inputs.get(key) is None for key in required):
                raise self.usage_error(f"{self.kind.resource} needs {_listed(required)}. {self.moved()}")
            try:
                args = self.args_type(**{**dict.fromkeys(required), **inputs})
            except TypeError as error:  # a misspelt input: one line, not the constructor's traceback
                raise self.usage_error(f"{self.kind.resource}: {error}") from None
        props: dict[str, Any] = {**{field.key: None for field in self.kind.outputs}, **vars(args),
                                 "name_prefix": resource_name}
        # api_key exists only as an output, so the engine would store it in plaintext without this.
        secret = pulumi.ResourceOptions(additional_secret_outputs=["api_key"])
        Resource.__init__(self, self.provider_type(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret))

    @classmethod
    def _get(cls, resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None) -> Any:
        """Read an existing deployment by serviceId into the stack; it is not owned, so never deleted."""
        # Reading by id takes no inputs, which the overloads (written for users) rightly refuse.
        resource = cls.__new__(cls)
        resource._init(resource_name, opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)))
        return resource


def _listed(keys: list[str]) -> str:
    return ", ".join(keys[:-1]) + f" and {keys[-1]}" if len(keys) > 1 else "".join(keys)
