"""Drive ``python -m pulumi.dynamic`` over gRPC the way the Pulumi engine does (there is no CLI here)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from pulumi_alaya.client.declaration import Kind
from pulumi_alaya.dynamic.lora_provider import OwnedLoraDeploymentProvider

URN = "urn:pulumi:dev::alaya-demo::pulumi-python:dynamic/alaya:LoraDeployment::chat-lora"
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"


def secret(value: Any) -> dict[str, Any]:
    return {SECRET_SIG: SECRET_VALUE, "value": value}


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def provider_for(kind: Kind) -> Any:
    """A new provider of the kind's dynamic resource (the module ``scripts/gen_fields.py`` writes for it)."""
    module = importlib.import_module(f"pulumi_alaya.dynamic.{kind.name}_deployment")
    return getattr(module, f"Owned{kind.resource}Provider")()


def plain(message: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(message)


class ProviderProcess:
    """A real provider server process plus a stub; ``provider`` is the ``__provider`` string the engine sends."""

    def __init__(self, env: dict[str, str] | None = None, provider: Any = None) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("ALAYA_")}
        self.process = subprocess.Popen([sys.executable, "-u", "-m", "pulumi.dynamic"], stdout=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL, text=True, env={**clean, **(env or {})})
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline().strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.provider = serialize_provider(provider or OwnedLoraDeploymentProvider())

    def with_provider(self, props: dict[str, Any]) -> struct_pb2.Struct:
        return struct({**props, "__provider": self.provider})

    def configure(self, config: dict[str, Any]) -> provider_pb2.ConfigureResponse:
        return self.stub.Configure(provider_pb2.ConfigureRequest(args=struct(config)))

    def check(self, news: dict[str, Any], olds: dict[str, Any] | None = None) -> provider_pb2.CheckResponse:
        return self.stub.Check(provider_pb2.CheckRequest(urn=URN, olds=self.with_provider(olds or {}),
                                                         news=self.with_provider(news)))

    def create(self, props: dict[str, Any]) -> provider_pb2.CreateResponse:
        return self.stub.Create(provider_pb2.CreateRequest(urn=URN, properties=self.with_provider(props)))

    def read(self, id_: str, props: dict[str, Any], inputs: dict[str, Any]) -> provider_pb2.ReadResponse:
        return self.stub.Read(provider_pb2.ReadRequest(id=id_, urn=URN, properties=self.with_provider(props),
                                                       inputs=self.with_provider(inputs)))

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any],
             olds_provider: str | None = None) -> provider_pb2.DiffResponse:
        old_struct = struct({**olds, "__provider": olds_provider or self.provider})
        return self.stub.Diff(provider_pb2.DiffRequest(id=id_, urn=URN, olds=old_struct,
                                                       news=self.with_provider(news)))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> provider_pb2.UpdateResponse:
        return self.stub.Update(provider_pb2.UpdateRequest(id=id_, urn=URN, olds=self.with_provider(olds),
                                                           news=self.with_provider(news)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=URN, properties=self.with_provider(props)))

    def stop(self) -> None:
        self.channel.close()
        self.process.kill()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
