"""The tfplugin6.Provider service: each RPC decodes its values, asks ``Managed`` (resources) or the owner (data
sources, the ephemeral key) and answers with values and diagnostics. Nothing raised escapes as a gRPC error:
an unexpected one is one diagnostic, so tofu shows one line, never a Python traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import grpc  # type: ignore[import-untyped]

from ..client import AlayaClient
from ..client.errors import AlayaError, bug_report
from ..client.kinds import KINDS, LORA, Kind
from ..owning import Owner, owner_for
from ..owning.provider_config import CONFIG, Settings, client_for, read_settings
from . import diagnostics
from . import tfplugin6_pb2 as pb
from .managed import Managed
from .names import EPHEMERAL_KEY, type_name
from .schema import attribute_names
from .values import decode, decode_json, encode, is_known, shaped

__all__ = ["Provider"]


def _snake(key: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in key)


class Provider:
    """One provider process: its settings (from ConfigureProvider) and the resource types over them."""

    def __init__(self) -> None:
        self.settings: Settings = read_settings(lambda key: None)
        self.managed = {type_name(kind): Managed(kind, functools.partial(self.owner, kind)) for kind in KINDS}
        self.kinds = {type_name(kind): kind for kind in KINDS}

    def client(self) -> AlayaClient:
        return client_for(self.settings)

    def owner(self, kind: Kind) -> Owner:
        return owner_for(kind, self.client)

    # -- the provider itself ------------------------------------------------------------------------------------

    def get_metadata(self, request: pb.GetMetadata.Request) -> pb.GetMetadata.Response:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(get_provider_schema_optional=True),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=name) for name in self.managed],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=name) for name in self.kinds],
            ephemeral_resources=[pb.GetMetadata.EphemeralMetadata(type_name=EPHEMERAL_KEY)])

    def validate_provider_config(self, request: pb.ValidateProviderConfig.Request,
                                 ) -> pb.ValidateProviderConfig.Response:
        return pb.ValidateProviderConfig.Response()

    def configure_provider(self, request: pb.ConfigureProvider.Request) -> pb.ConfigureProvider.Response:
        config = decode(request.config) or {}
        if not is_known(config):  # set from another resource's output: tofu configures us again at apply
            return pb.ConfigureProvider.Response()
        self.settings = read_settings(lambda key: config.get(_snake(key)))
        try:
            self.client()  # missing keys or a refused base URL: said now, before any plan
        except AlayaError as problem:
            names = ", ".join(f"{_snake(item.key)} ({item.env})" for item in CONFIG[:3])
            return pb.ConfigureProvider.Response(diagnostics=[diagnostics.error(
                "The alaya provider is not configured", f"{problem.message} Settings: {names}.")])
        return pb.ConfigureProvider.Response()

    # -- managed resources --------------------------------------------------------------------------------------

    def validate_resource_config(self, request: pb.ValidateResourceConfig.Request,
                                 ) -> pb.ValidateResourceConfig.Response:
        config = decode(request.config) or {}
        return pb.ValidateResourceConfig.Response(diagnostics=self.managed[request.type_name].validate(config))

    def upgrade_resource_state(self, request: pb.UpgradeResourceState.Request) -> pb.UpgradeResourceState.Response:
        managed = self.managed[request.type_name]
        state = decode_json(request.raw_state.json)
        return pb.UpgradeResourceState.Response(upgraded_state=encode(shaped(state, managed.names)))

    def read_resource(self, request: pb.ReadResource.Request) -> pb.ReadResource.Response:
        state, found = self.managed[request.type_name].read(decode(request.current_state))
        return pb.ReadResource.Response(new_state=encode(state), diagnostics=found, private=request.private)

    def plan_resource_change(self, request: pb.PlanResourceChange.Request) -> pb.PlanResourceChange.Response:
        planned, replaces, found = self.managed[request.type_name].plan(decode(request.prior_state),
                                                                       decode(request.proposed_new_state))
        return pb.PlanResourceChange.Response(planned_state=encode(planned), requires_replace=replaces,
                                              planned_private=request.prior_private, diagnostics=found)

    def apply_resource_change(self, request: pb.ApplyResourceChange.Request) -> pb.ApplyResourceChange.Response:
        state, found = self.managed[request.type_name].apply(decode(request.prior_state),
                                                             decode(request.planned_state))
        return pb.ApplyResourceChange.Response(new_state=encode(state), private=request.planned_private,
                                               diagnostics=found)

    def import_resource_state(self, request: pb.ImportResourceState.Request) -> pb.ImportResourceState.Response:
        managed = self.managed[request.type_name]
        imported = pb.ImportResourceState.ImportedResource(type_name=request.type_name,
                                                           state=encode(managed.imported(request.id)))
        return pb.ImportResourceState.Response(imported_resources=[imported])

    # -- data sources and the ephemeral key ---------------------------------------------------------------------

    def _read_existing(self, kind: Kind, service_id: Any) -> tuple[dict[str, Any] | None, list[pb.Diagnostic]]:
        try:
            found = self.owner(kind).read(str(service_id), {})
        except AlayaError as problem:
            return None, [diagnostics.failure(kind.title, "read", problem)]
        if found is None:
            return None, [diagnostics.error(f"{kind.title} {service_id}: not found",
                                            "No deployment has this serviceId: check it (alaya lora list).")]
        outputs, inputs = found
        return {**outputs, **{item.key: inputs[item.key] for item in kind.spec_inputs}}, []

    def validate_data_resource_config(self, request: pb.ValidateDataResourceConfig.Request,
                                      ) -> pb.ValidateDataResourceConfig.Response:
        return pb.ValidateDataResourceConfig.Response()

    def read_data_source(self, request: pb.ReadDataSource.Request) -> pb.ReadDataSource.Response:
        config = decode(request.config) or {}
        values, found = self._read_existing(self.kinds[request.type_name], config.get("service_id"))
        if values is None:
            return pb.ReadDataSource.Response(diagnostics=found)
        state = shaped({**values, "id": config["service_id"]}, attribute_names("data_sources", request.type_name))
        return pb.ReadDataSource.Response(state=encode(state))

    def validate_ephemeral_resource_config(self, request: pb.ValidateEphemeralResourceConfig.Request,
                                           ) -> pb.ValidateEphemeralResourceConfig.Response:
        return pb.ValidateEphemeralResourceConfig.Response()

    def open_ephemeral_resource(self, request: pb.OpenEphemeralResource.Request,
                                ) -> pb.OpenEphemeralResource.Response:
        config = decode(request.config) or {}
        values, found = self._read_existing(LORA, config.get("service_id"))
        if values is None:
            return pb.OpenEphemeralResource.Response(diagnostics=found)
        result = shaped({**values, "service_id": config["service_id"]},
                        attribute_names("ephemeral_resources", EPHEMERAL_KEY))
        return pb.OpenEphemeralResource.Response(result=encode(result))

    def renew_ephemeral_resource(self, request: pb.RenewEphemeralResource.Request,
                                 ) -> pb.RenewEphemeralResource.Response:
        return pb.RenewEphemeralResource.Response()

    def close_ephemeral_resource(self, request: pb.CloseEphemeralResource.Request,
                                 ) -> pb.CloseEphemeralResource.Response:
        return pb.CloseEphemeralResource.Response()

    # -- the gRPC table -----------------------------------------------------------------------------------------

    def handlers(self) -> dict[str, grpc.RpcMethodHandler]:
        """Method name -> handler for every RPC answered past the fixed answers (``first_calls.py``: the schema,
        StopProvider, GetFunctions); the rest are UNIMPLEMENTED, which tofu tolerates."""
        table: dict[str, tuple[Callable[[Any], Any], Any]] = {
            "GetMetadata": (self.get_metadata, pb.GetMetadata),
            "ValidateProviderConfig": (self.validate_provider_config, pb.ValidateProviderConfig),
            "ConfigureProvider": (self.configure_provider, pb.ConfigureProvider),
            "ValidateResourceConfig": (self.validate_resource_config, pb.ValidateResourceConfig),
            "UpgradeResourceState": (self.upgrade_resource_state, pb.UpgradeResourceState),
            "ReadResource": (self.read_resource, pb.ReadResource),
            "PlanResourceChange": (self.plan_resource_change, pb.PlanResourceChange),
            "ApplyResourceChange": (self.apply_resource_change, pb.ApplyResourceChange),
            "ImportResourceState": (self.import_resource_state, pb.ImportResourceState),
            "ValidateDataResourceConfig": (self.validate_data_resource_config, pb.ValidateDataResourceConfig),
            "ReadDataSource": (self.read_data_source, pb.ReadDataSource),
            "ValidateEphemeralResourceConfig": (self.validate_ephemeral_resource_config,
                                                pb.ValidateEphemeralResourceConfig),
            "OpenEphemeralResource": (self.open_ephemeral_resource, pb.OpenEphemeralResource),
            "RenewEphemeralResource": (self.renew_ephemeral_resource, pb.RenewEphemeralResource),
            "CloseEphemeralResource": (self.close_ephemeral_resource, pb.CloseEphemeralResource),
        }
        return {name: _handler(method, messages) for name, (method, messages) in table.items()}


def _handler(method: Callable[[Any], Any], messages: Any) -> grpc.RpcMethodHandler:
    def answer(request: Any, context: Any) -> Any:
        try:
            return method(request)
        except Exception as problem:  # noqa: BLE001 - one diagnostic, never a traceback on tofu's screen
            response = messages.Response()
            response.diagnostics.append(diagnostics.error(
                "terraform-provider-alaya failed unexpectedly",
                bug_report(problem, method.__name__)))
            return response

    return grpc.unary_unary_rpc_method_handler(answer, request_deserializer=messages.Request.FromString,
                                               response_serializer=messages.Response.SerializeToString)
