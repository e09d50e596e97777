"""A launch of the provider answers tofu's first calls without loading it (protobuf, the client, the rules), and
loads it on the first call that needs it, with the cyclic collector off while it loads
(``terraform/first_calls.py``, ``terraform/service.py``; what it buys: benchmarks/tofu_plan.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from pulumi_alaya.terraform import first_calls, tfplugin6_pb2
from pulumi_alaya.terraform.provider import Provider
from pulumi_alaya.terraform.schema import provider_schema_response

from support.tofu import ROOT


def test_the_fixed_answers_are_the_protocol_messages_they_stand_for():
    served = tfplugin6_pb2.GetProviderSchema.Response.FromString(first_calls.ANSWERS["GetProviderSchema"]())
    assert served == provider_schema_response()  # as the declarations give it (schema.json, schema.pb)
    assert first_calls.ANSWERS["StopProvider"]() == tfplugin6_pb2.StopProvider.Response().SerializeToString()
    assert first_calls.ANSWERS["GetFunctions"]() == tfplugin6_pb2.GetFunctions.Response().SerializeToString()
    # The provider has no second answer to them: the service never asks it.
    assert not {"GetProviderSchema", "StopProvider", "GetFunctions"} & set(Provider().handlers())


LAUNCH = """
import gc, sys
from pulumi_alaya.terraform.service import ProviderService
class Call:
    def __init__(self, name): self.method = "/tfplugin6.Provider/" + name
service = ProviderService()
for name in ("GetProviderSchema", "StopProvider"):  # a plan's schema-only launch
    service.service(Call(name)).unary_unary(b"", None)
heavy = ("google.protobuf", "requests", "pulumi_alaya.client.kinds", "pulumi_alaya.terraform.provider")
print([name for name in heavy if name in sys.modules])
answer = service.service(Call("ValidateProviderConfig")).unary_unary(b"", None)  # loads the provider
print([name for name in heavy if name not in sys.modules], gc.isenabled(), gc.get_freeze_count() > 10000)
print(service.service(Call("NoSuchCall")), service.service(type("C", (), {"method": "/other.Service/X"})()))
"""


def test_a_schema_only_launch_never_loads_the_provider_and_the_first_other_call_does():
    run = subprocess.run([sys.executable, "-c", LAUNCH], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.stdout.splitlines() == ["[]", "[] True True", "None None"], run.stdout + run.stderr


BROKEN = """
import sys
sys.modules["requests"] = None  # an install without one of the provider's dependencies
from pulumi_alaya.terraform.service import ProviderService
class Call:
    def __init__(self, name): self.method = "/tfplugin6.Provider/" + name
class Aborted(Exception): pass
class Context:
    def abort(self, code, details): raise Aborted(code.name + " " + details)
service = ProviderService()
print(len(service.service(Call("GetProviderSchema")).unary_unary(b"", None)) > 1000)  # still answered
for name in ("ConfigureProvider", "ReadResource"):  # each call that needs the provider: the same one line
    try:
        service.service(Call(name)).unary_unary(b"", Context())
    except Aborted as error:
        print(error)
"""


def test_a_provider_that_cannot_load_says_so_in_one_line_on_each_call_needing_it():
    run = subprocess.run([sys.executable, "-c", BROKEN], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = ("UNAVAILABLE terraform-provider-alaya cannot load (ModuleNotFoundError: requests): reinstall it with "
            "`tofu init -upgrade` (manual/terraform.md).")
    assert run.stdout.splitlines() == ["True", line, line], run.stdout + run.stderr
