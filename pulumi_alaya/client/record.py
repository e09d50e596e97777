"""Frozen value records that cost nothing to define: the client's declarations and read records.

``@dataclasses.dataclass(frozen=True)`` imports ``inspect`` (with ``ast`` and ``dis``) and compiles each class's
methods when its module is imported: about 12 ms of every ``alaya lora get``, which must start within 1.10x a
bare ``requests`` GET (issue 31). A ``Record`` reads its fields from the class's annotations instead and shares
one ``__init__``, ``__repr__``, ``__eq__`` and ``__hash__``; it behaves as the frozen dataclass it replaces:
checkers see one (``dataclass_transform``), and ``dataclasses.fields``, ``replace`` and ``asdict`` work on it
(``__dataclass_fields__`` is built, by ``dataclasses`` itself, the first time one of them asks).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

__all__ = ["Record", "field", "frozen_error", "record_fields", "replaced"]

T = TypeVar("T")

if sys.version_info >= (3, 11):  # noqa: UP036 - the Ansible copy runs on older targets too
    from typing import dataclass_transform
else:  # pragma: no cover - the Ansible copy may run on an older Python, where no checker reads it

    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda cls: cls


_MISSING: Any = object()


class _Field:
    """A field's options, as ``dataclasses.field`` takes them (the ones records use)."""

    __slots__ = ("compare", "default", "repr")

    def __init__(self, default: Any, repr: bool, compare: bool) -> None:  # noqa: A002 - dataclasses' names
        self.default, self.repr, self.compare = default, repr, compare


def field(*, default: Any = _MISSING, repr: bool = True, compare: bool = True) -> Any:  # noqa: A002
    """A field with options: ``api_key: str = field(repr=False)``."""
    return _Field(default, repr, compare)


class _DataclassFields:
    """``__dataclass_fields__`` for ``dataclasses``' functions: made by ``dataclasses`` from the record's fields,
    once per class, the first time it is read (so only code that uses ``dataclasses`` imports it)."""

    def __init__(self) -> None:
        self._made: dict[type, dict[str, Any]] = {}

    def __get__(self, instance: Any, owner: type[Record]) -> dict[str, Any]:
        made = self._made.get(owner)
        if made is None:
            import dataclasses  # noqa: PLC0415 - the point of this class

            fields = []
            for name, options in owner._record_fields.items():
                default = {} if options.default is _MISSING else {"default": options.default}
                # pylint: disable-next=invalid-field-call  # it is for make_dataclass, two lines down
                fields.append((name, Any, dataclasses.field(**default, repr=options.repr, compare=options.compare)))
            shadow = dataclasses.make_dataclass(owner.__name__, fields, frozen=True)
            made = self._made[owner] = shadow.__dataclass_fields__  # type: ignore[attr-defined]
        return made


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class Record:
    """A frozen record: annotate its fields (``name: str``, ``kind: str = "string"``, ``x: T = field(...)``);
    subclasses add fields after their parents', as dataclasses do. ``__post_init__`` runs after ``__init__``."""

    _record_fields: ClassVar[dict[str, _Field]] = {}
    __dataclass_fields__: ClassVar[Any] = _DataclassFields()

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        fields = dict(cls._record_fields)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, _MISSING)
            fields[name] = value if isinstance(value, _Field) else _Field(value, True, True)
            if isinstance(value, _Field):  # the class attribute is the default, as a dataclass leaves it
                if value.default is _MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, value.default)
        cls._record_fields = fields
        cls._compared = tuple(name for name, options in fields.items() if options.compare)
        cls._post_init = getattr(cls, "__post_init__", None)

    _compared: ClassVar[tuple[str, ...]] = ()
    _post_init: ClassVar[Callable[[Any], None] | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._record_fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} positional arguments, {len(args)} given")
        values = dict(zip(fields, args))  # noqa: B905 - lengths checked above; strict= is 3.10+
        for name, value in kwargs.items():
            if name not in fields or name in values:
                problem = "an unexpected" if name not in fields else "a second value for"
                raise TypeError(f"{type(self).__name__}() got {problem} argument {name!r}")
            values[name] = value
        for name, options in fields.items():
            if name in values:
                value = values[name]
            elif options.default is not _MISSING:
                value = options.default
            else:
                raise TypeError(f"{type(self).__name__}() missing required argument {name!r}")
            object.__setattr__(self, name, value)
        if self._post_init is not None:
            self._post_init()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, options in self._record_fields.items()
                          if options.repr)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._compared)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self._compared))

    def __setattr__(self, name: str, value: Any) -> None:
        raise frozen_error(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise frozen_error(f"cannot delete field {name!r}")


def frozen_error(message: str) -> AttributeError:
    """``dataclasses.FrozenInstanceError``, what a frozen dataclass raises, imported only when a mistake needs it."""
    import dataclasses  # noqa: PLC0415 - only a mistake pays for it

    return dataclasses.FrozenInstanceError(message)


def record_fields(record: type[Record] | Record) -> tuple[str, ...]:
    """The record's field names, in order (``dataclasses.fields`` without importing ``dataclasses``)."""
    return tuple(record._record_fields)


def replaced(record: T, **changes: Any) -> T:
    """A copy with some fields changed (``dataclasses.replace`` without importing ``dataclasses``)."""
    values = {name: getattr(record, name) for name in record_fields(record)}  # type: ignore[arg-type]
    return type(record)(**{**values, **changes})
