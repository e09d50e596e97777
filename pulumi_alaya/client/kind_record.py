"""One record for every kind: a read deployment (``models.Deployment``) plus the kind's own outputs, each read by
its ``OutputField`` (``source``, ``path``, ``read``) from the answer. ``BaseModelDeployment`` is this class bound
to its kind, with no code of its own; any other kind with outputs of its own gets its bound class from
``Kind.record_type``.

An output with ``source="mode"`` is read at ``path`` inside the object ``mode`` names (``quickStart`` or
``expert``; when ``mode`` is missing, the one object present: ``models.settings_mode``).
Counts may come as numeric strings, settings as numbers where text is expected (``cpu``: 8, 0.5); every text is checked
like the shared fields (no lone surrogates, no line breaks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from .errors import AlayaConflictError, AlayaMalformedResponseError, describe_service_id
from .models import FIELDS, Deployment, OutputField, checked_text, settings_mode
from .record import record_fields

if TYPE_CHECKING:
    from .declaration import Kind

__all__ = ["KindDeployment", "record_class", "refuse_other_kind"]

_SHARED = frozenset(field.key for field in FIELDS)  # what ``Deployment`` itself reads
_BOUND: dict[str, type[KindDeployment]] = {}  # each kind's record class, by kind name


def record_class(kind: Kind) -> type[KindDeployment] | None:
    """The kind's record: None when ``Deployment`` holds all its outputs, else the class its declaration module
    binds (``BaseModelDeployment``) or one made here once."""
    if all(field.key in _SHARED for field in kind.outputs):
        return None
    found = _BOUND.get(kind.name)
    if found is None or found.kind is not kind:
        found = type(f"{kind.resource}", (KindDeployment,), {"kind": kind, "__module__": __name__})
    return found


class _Shown:
    """A deployment's fields as ``str.format_map`` reads them, each shown as an error shows a value."""

    def __init__(self, deployment: Deployment) -> None:
        self._deployment = deployment

    def __getitem__(self, key: str) -> str:
        return describe_service_id(getattr(self._deployment, key, ""))


def refuse_other_kind(kind: Kind, deployment: Deployment) -> None:
    """Refuse, by name, a deployment another kind's marker claims (a LoRA read as a base model)."""
    from .kinds import KINDS  # noqa: PLC0415 - the kinds are declared with this module's classes

    keys = {field.key for field in kind.outputs}
    for other in KINDS:
        if other.marker and other.marker not in keys and getattr(deployment, other.marker, None):
            sid = deployment.service_id
            where = other.where.format_map(_Shown(deployment))
            raise AlayaConflictError(
                f"serviceId {describe_service_id(sid)} is a {other.title} ({where}), not a {kind.title}. Use the "
                f"{other.command} commands for it.", service_id=sid)


class KindDeployment(Deployment):
    """A deployment of ``kind``: ``Deployment`` plus the kind's own outputs, as attributes (``base.gpu_count``)."""

    kind: ClassVar[Kind]
    extra: tuple[tuple[str, Any], ...] = ()

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        if "kind" in cls.__dict__:
            _BOUND[cls.kind.name] = cls

    def __getattr__(self, name: str) -> Any:
        for key, value in self.__dict__.get("extra", ()):
            if key == name:
                return value
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    @classmethod
    def outputs(cls) -> tuple[OutputField, ...]:
        return cls.kind.outputs

    @classmethod
    def from_deployment(cls, deployment: Deployment) -> Any:
        """The kind's own outputs read from ``deployment.raw``; a deployment of another kind is refused by name."""
        refuse_other_kind(cls.kind, deployment)
        sid, raw = deployment.service_id, deployment.raw
        mode = settings_mode(raw)
        settings = raw.get(mode) if mode else None
        settings = settings if isinstance(settings, dict) else {}
        extra = []
        for field in cls.kind.outputs:
            if field.key in _SHARED:
                continue
            if field.read is not None:
                try:
                    value = field.read(raw)
                except ValueError as error:
                    raise _malformed(sid, str(error)) from None
            elif field.source == "mode":
                value = _at(settings, field.path)
            else:
                value = _at(raw, field.path or (field.api_name,))
            extra.append((field.key, _typed(value, field, sid)))
        common = {name: getattr(deployment, name) for name in record_fields(Deployment)}
        return cls(**common, extra=tuple(extra))


def _at(settings: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = settings
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _typed(value: Any, field: OutputField, sid: str) -> Any:
    if field.kind == "integer":
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _malformed(sid, f"field '{field.api_name}' is not a whole number")
        return value
    if field.kind == "strings":
        if value is None:
            return ()
        if not isinstance(value, list):
            raise _malformed(sid, f"field '{field.api_name}' is not a list of strings")
        return tuple(_text(item, field.api_name, sid) for item in value)
    if field.source == "mode" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"  # a setting such as cpu: 8 or 0.5, as the docs' examples write numbers
    return _text(value, field.api_name, sid)


def _text(value: Any, key: str, sid: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _malformed(sid, f"field '{key}' is {type(value).__name__}, not a string")
    return checked_text(value, key, sid)  # the same refusals (surrogates, line breaks) as every other text field


def _malformed(sid: str, what: str) -> AlayaMalformedResponseError:
    return AlayaMalformedResponseError(
        f"Alaya API answered for serviceId {describe_service_id(sid)} with a deployment whose {what}. "
        "Retry later; report it if it persists.", service_id=sid)
