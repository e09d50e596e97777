"""What a kind of deployment is, as data: every front end (client, owners, Pulumi schema and SDKs, CRDs,
Terraform schema, Ansible options, CLI flags, docs) is built from a ``Kind``, so adding a kind is adding one.

A ``Kind`` names its API paths, its inputs (type, required, default, choices, limits, which change replaces and
which updates offline, the text each surface shows) and its outputs (``models.OutputField``). The checks are the
client's own validators; ``pattern``/``minimum``/``maximum`` repeat them in the form a schema (OpenAPI, Terraform)
can enforce before our code runs, and ``tests/client/test_kinds.py`` holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import AlayaInputError
from .kind_record import KindDeployment, record_class, refuse_other_kind
from .kind_spec import KindSpec, spec_class
from .models import CONTROL_CHARACTERS, OutputField
from .record import Record, field

__all__ = ["Input", "Kind", "REPLACE", "UPDATE", "checked_input_text"]

REPLACE = "replace"  # a change is a new deployment (created first where the name allows), then the old deleted
UPDATE = "update"  # a change is the API's offline update (stop, PUT, start)


def checked_input_text(value: Any, what: str) -> Any:
    """The refusals every text input shares, whatever its own rule: a lone surrogate cannot be encoded or
    printed, and a line break forges lines in env files and CI logs."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise AlayaInputError(f"{what} is not valid Unicode (a lone surrogate): use plain text.") from None
        if CONTROL_CHARACTERS.search(value):
            raise AlayaInputError(f"{what} holds control characters or line breaks: use one plain line.")
    return value


class Input(Record):
    """One input of a kind: what a user sets on any surface."""

    key: str  # snake_case: Python, Ansible, Terraform, the CLI's --flag (with dashes)
    wire_name: str  # camelCase: the Pulumi schema, a custom resource's spec
    kind: str  # "string", "strings" (a list), "integer", "number" or "boolean"
    description: str
    required: bool = False
    default: Any = None
    # REPLACE or UPDATE for the deployment's own fields (sent to the API as ``spec_field``); "" for a setting of
    # the owner (wait, timeouts, key storage) that changes nothing at the API.
    change: str = ""
    spec_field: str = ""
    choices: tuple[str, ...] = ()
    pattern: str | None = None  # the check's rule as a regular expression a schema can carry (whole value)
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], Any] | None = field(default=None, compare=False, repr=False)
    # What the input is, said without any surface's change rules: the CLI's help and the Ansible option's docs
    # (each surface adds its own words about changes). Empty: the description says only that.
    summary: str = ""
    flag: str = ""  # the CLI's flag when it is not --<spec field with dashes> (a clash, or a repeatable item)
    # Where the API takes it in a create's or update's body, dotted for nesting ("resource.gpu.count");
    # default: the spec field in camelCase (model_id -> modelId).
    api_path: str = ""
    # A valid value (the docs' examples and the test tables use it) and a second one the tables change it to.
    example: Any = field(default=None, compare=False)
    other_example: Any = field(default=None, compare=False)
    # The kind (its name) whose deployment's serviceId this input holds: a surface that knows the other
    # deployment by another name (a custom resource in the same namespace) may take that instead.
    refers_to: str = ""

    def __post_init__(self) -> None:
        if self.spec_field and not self.api_path:
            head, *rest = self.spec_field.split("_")
            object.__setattr__(self, "api_path", head + "".join(word.capitalize() for word in rest))

    @property
    def text(self) -> str:
        """What the input is, for surfaces that say their own change rules (CLI, Ansible)."""
        return self.summary or self.description

    @property
    def option(self) -> str:
        """The name the CLI (as --flag) and the Ansible modules give it: the client's field name."""
        return self.spec_field or self.key

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.option.replace("_", "-")

    @property
    def is_spec(self) -> bool:
        """Whether the input is a field of the deployment (sent to the API), not a setting of its owner."""
        return bool(self.spec_field)

    def checked(self, value: Any) -> Any:
        """The value as the client sends it, or ``AlayaInputError`` naming the input and its rule."""
        if self.kind == "strings" and isinstance(value, (list, tuple)):
            for item in value:
                checked_input_text(item, f"{self.key} item")
        else:
            checked_input_text(value, self.key)
        return self.check(value) if self.check else value


class Kind(Record):
    """One kind of deployment, declared once (see ``lora_kind.py`` and ``base_model_kind.py``)."""

    name: str  # "lora", "base_model": module, CLI and Ansible names
    title: str  # "LoRA deployment": what errors and docs call one
    resource: str  # "LoraDeployment": the Pulumi type, the custom resource's kind
    create_path: str  # POST
    update_path: str  # PUT, with {service_id}
    description: str  # what a resource of this kind is, for schemas and docs
    inputs: tuple[Input, ...]
    outputs: tuple[OutputField, ...]
    # LoRA: a change of a field is a replacement unless the user opts into the offline update (offlineUpdate);
    # base model: each field's own ``change`` decides.
    offline_opt_in: bool = False
    # The inputs that scope the name's uniqueness: a replacement that changes one of them may create the new
    # deployment first even under the same name; otherwise an explicit name makes it delete first.
    name_unique_in: tuple[str, ...] = ()

    @property
    def auto_named(self) -> bool:
        """Whether an unset name is made up (the resource's name plus a random suffix) instead of refused."""
        return not self.input("name").required

    # What a create's errors say of the new deployment, with the spec's fields in braces: where it goes
    # ("on base {base_service_id}") and where to look for it in the console ("namespace {namespace}").
    where: str = ""
    place: str = "its namespace"
    # The output whose value marks a deployment as this kind (a LoRA's base_service_id): a read through another
    # kind's record refuses such a deployment by name.
    marker: str = ""
    away: str = "the deployment"  # what an offline update takes away until it runs again
    delete_refused: str = ""  # what to do when the API refuses a delete (HTTP 400), if it does for this kind
    cli_name: str = ""  # the CLI's subcommand (alaya <cli_name> create ...); default: name with dashes
    cli_aliases: tuple[str, ...] = ()  # older subcommand names still accepted
    since: tuple[str, str] = ("0.5.0", "0.5.0")  # the collection versions that added its module and _info module

    @property
    def command(self) -> str:
        return self.cli_name or self.name.replace("_", "-")

    @property
    def spec_type(self) -> type[KindSpec]:
        """The client's spec of this kind (``kind_spec.KindSpec`` bound to it: ``LoraSpec``, ``BaseModelSpec``)."""
        return spec_class(self)

    @property
    def record_type(self) -> type[KindDeployment] | None:
        """The record a read gives when the kind has outputs beyond ``models.Deployment``'s; else None."""
        return record_class(self)

    def record(self, deployment: Any) -> Any:
        """A read deployment as this kind's record (refusing one of another kind where its marker tells)."""
        refuse_other_kind(self, deployment)
        record = self.record_type
        return deployment if record is None else record.from_deployment(deployment)

    @property
    def spec_inputs(self) -> tuple[Input, ...]:
        return tuple(item for item in self.inputs if item.is_spec)

    @property
    def settings(self) -> tuple[Input, ...]:
        return tuple(item for item in self.inputs if not item.is_spec)

    @property
    def needed_to_create(self) -> tuple[Input, ...]:
        """The spec inputs a create through the client must be given (the spec has no default for them)."""
        defaults = self.spec_type.defaults()
        return tuple(item for item in self.spec_inputs if item.option not in defaults)

    @property
    def replaced_on_change(self) -> frozenset[str]:
        """Input keys whose change is always a new deployment."""
        return frozenset(item.key for item in self.spec_inputs if item.change == REPLACE)

    def input(self, key: str) -> Input:
        for item in self.inputs:
            if item.key == key:
                return item
        raise KeyError(key)

    def spec_field_for(self, key: str) -> str:
        """The client's field for an input key (``served_names`` -> ``served_name``)."""
        return self.input(key).spec_field or key

    def problems(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Each given input's refusal by input key (empty when all are fine): for front ends that point at one.
        Unset (None) values are left to the caller's required-input rule."""
        found = {}
        for key, value in values.items():
            if value is None:
                continue
            try:
                self.input(key).checked(value)
            except KeyError:
                found[key] = f"unknown {self.title} input: {key}."
            except AlayaInputError as error:
                found[key] = str(error)
        return found
