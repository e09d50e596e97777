"""One spec for every kind: what a deployment is made of, checked before any request, built from its ``Kind``.

A spec holds each spec input's checked value under the client's field name (``Input.option``); ``to_api`` places
each at its ``Input.api_path`` in the request body (``resource.gpu.count``). ``LoraSpec`` and ``BaseModelSpec``
are this class bound to their kind, with no code of their own; any other kind gets its bound class from
``Kind.spec_type``. Frozen and compared by value, like the dataclasses they replace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .errors import AlayaInputError, AlayaWriteUncertainError, Subject, describe_service_id
from .record import frozen_error
from .spec_rules import field_problems, twin_name

if TYPE_CHECKING:
    from .declaration import Input, Kind

__all__ = ["KindSpec", "spec_class"]

SpecT = TypeVar("SpecT", bound="KindSpec")
_BOUND: dict[str, type[KindSpec]] = {}  # each kind's spec class, by kind name


def spec_class(kind: Kind) -> type[KindSpec]:
    """The kind's spec class: the one its declaration module binds (``LoraSpec``), or one made here once."""
    found = _BOUND.get(kind.name)
    if found is None or found.kind is not kind:
        found = type(f"{kind.resource}Spec", (KindSpec,), {"kind": kind, "__module__": __name__})
    return found


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class KindSpec:
    """A deployment of ``kind`` as the client sends it: every spec field, each checked by its input's rule."""

    kind: ClassVar[Kind]

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        if "kind" in cls.__dict__:
            _BOUND[cls.kind.name] = cls

    def __init__(self, **values: Any) -> None:
        """The values as given (already checked): use ``build`` to check them."""
        fields = self.fields()
        if set(values) != set(fields):
            raise TypeError(f"{type(self).__name__} takes exactly {', '.join(fields)}")
        object.__setattr__(self, "_values", {field: _frozen(values[field]) for field in fields})

    # -- the kind's facts ------------------------------------------------------------------------------------

    @classmethod
    def inputs(cls) -> tuple[Input, ...]:
        return cls.kind.spec_inputs

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        """The client's field names, in the declaration's order (the API's)."""
        return tuple(item.option for item in cls.inputs())

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """What a create may leave out, and what it then is: a declared default, or an optional list empty."""
        found = {}
        for item in cls.inputs():
            if item.default is not None:
                found[item.option] = _frozen(item.default)
            elif item.kind == "strings" and not item.required:
                found[item.option] = ()
        return found

    @classmethod
    def _noun(cls) -> str:
        return cls.kind.title.removesuffix(" deployment")  # "unknown LoRA field(s)"

    # -- building one ----------------------------------------------------------------------------------------

    @classmethod
    def build(cls: type[SpecT], *positional: Any, **given: Any) -> SpecT:
        """Every field by name (or in ``fields()`` order); unset (None) ones take their default. One clear line
        (``AlayaInputError``) per refusal."""
        fields = cls.fields()
        if len(positional) > len(fields):
            raise TypeError(f"{cls.__name__}.build takes at most {len(fields)} fields by position")
        given = {**{fields[number]: value for number, value in enumerate(positional)}, **given}
        unknown = sorted(set(given) - set(fields))
        if unknown:
            raise AlayaInputError(f"unknown {cls._noun()} field(s): {', '.join(unknown)}.")
        values = {**cls.defaults(), **{key: value for key, value in given.items() if value is not None}}
        missing = [field for field in fields if field not in values]
        if missing:
            raise AlayaInputError(f"a {cls.kind.title} needs {', '.join(missing)}.")
        return cls(**{item.option: item.checked(values[item.option]) for item in cls.inputs()})

    @classmethod
    def updated(cls: type[SpecT], current: Any, changes: Mapping[str, Any] | None = None, **more: Any) -> SpecT:
        """``current`` (a read deployment) with the given fields changed (``changes`` or keywords, by field name);
        an unset (None) change keeps the value, and a value the API left out takes its default."""
        given = {**(changes or {}), **more}
        unknown = sorted(set(given) - set(cls.fields()))
        if unknown:
            raise AlayaInputError(f"unknown {cls._noun()} field(s): {', '.join(unknown)}.")
        values = {field: getattr(current, field) for field in cls.fields()}
        values = {field: cls.defaults().get(field) if value is None else value for field, value in values.items()}
        return cls.build(**{**values, **{key: value for key, value in given.items() if value is not None}})

    @classmethod
    def twin(cls: type[SpecT], current: Any, name: Any = None) -> SpecT:
        """What rotating ``current`` creates: the same fields under a fresh name, so a new deployment (and apiKey)
        runs beside the old one until the old is deleted (the API has no rotation)."""
        return cls.updated(current, name=twin_name(current.name) if name is None else name)

    @classmethod
    def problems(cls, **values: Any) -> dict[str, str]:
        """Each given field's refusal, by field name (empty when all are fine): for front ends that point at one."""
        checks = {item.option: item.checked for item in cls.inputs()}
        return field_problems(checks, cls._noun(), values)

    # -- the request -----------------------------------------------------------------------------------------

    def to_api(self) -> dict[str, Any]:
        """The request body: each value at its input's ``api_path``, lists as JSON lists."""
        body: dict[str, Any] = {}
        for item in self.inputs():
            *parents, last = item.api_path.split(".")
            place = body
            for parent in parents:
                place = place.setdefault(parent, {})
            value = self._values[item.option]
            place[last] = list(value) if isinstance(value, tuple) else value
        return body

    def differences(self, deployment: Any) -> list[str]:
        """The fields where ``deployment`` (a read deployment of the kind) does not match this spec."""
        return [field for field, value in self._values.items() if _frozen(getattr(deployment, field)) != value]

    # -- what a create's errors say (``deployments.Deployments.create``) -------------------------------------

    def _said(self, template: str, quote: bool) -> str:
        shown = {key: describe_service_id(value) if quote else value for key, value in self._values.items()}
        return template.format(**shown)

    @property
    def place(self) -> str:
        """Where to look for it in the console."""
        return self._said(self.kind.place, quote=False)

    def create_subject(self) -> Subject:
        where = self._said(self.kind.where, quote=True)
        return Subject(f"the new {self.kind.title} {describe_service_id(self.name)} {where}".rstrip(), None)

    def uncertain(self, why: str) -> AlayaWriteUncertainError:
        where = self._said(self.kind.where, quote=False)
        return AlayaWriteUncertainError(
            f"Creating {self.kind.title} {self.name!r} {where} may have succeeded: {why}, so it was not retried "
            f"(a retry could deploy it twice). Look for a deployment named {self.name!r} in the Alaya console "
            f"({self.place}) before creating it again.", service_id=None)

    # -- a value, like the frozen dataclasses it replaces -----------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise frozen_error(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values == self._values

    def __hash__(self) -> int:
        return hash((type(self), tuple(self._values.items())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"
