"""The CRDs and the Argo CD patch are generated from the kinds (scripts/gen_crds.py): written copies current,
every input of a kind in its CRD with the declared type, pattern, limits, choices and default."""

from __future__ import annotations

import subprocess
import sys

from pulumi_alaya.client.kinds import KINDS
from pulumi_alaya.controller.crds import crds
from pulumi_alaya.controller.resource import RESOURCES, controller_fields, crd_inputs

from support.kubernetes.cluster import ROOT


def test_written_files_are_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_crds.py"), "--check"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_every_input_is_in_its_crd_as_declared() -> None:
    for kind, resource, crd in zip(KINDS, RESOURCES, crds(), strict=True):
        version = crd["spec"]["versions"][0]
        spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
        assert crd["spec"]["names"]["kind"] == kind.resource
        references = {ref.field for ref in resource.references}  # baseRef: where an input refers to a kind
        assert references == {f"{i.wire_name.removesuffix('ServiceId')}Ref" for i in kind.inputs if i.refers_to}
        fields = {i.wire_name for i in crd_inputs(kind)} | {f.name for f in controller_fields()} | references
        assert set(spec["properties"]) == fields
        for item in crd_inputs(kind):
            schema = spec["properties"][item.wire_name]
            scalar = schema["items"] if item.kind == "strings" else schema
            assert scalar.get("pattern") == (f"^(?:{item.pattern})$" if item.pattern else None), item.key
            assert scalar.get("enum") == (list(item.choices) or None), item.key
            assert schema.get("default") == item.default, item.key
            assert (scalar.get("minimum"), scalar.get("maximum")) == (item.minimum, item.maximum), item.key
        required = [i.wire_name for i in crd_inputs(kind) if i.required]
        assert all(name in spec["x-kubernetes-validations"][2]["rule"] for name in required)
        assert version["subresources"] == {"status": {}}
        status = version["schema"]["openAPIV3Schema"]["properties"]["status"]["properties"]
        assert not {"apiKey", "apikey", "api_key"} & set(status)


def test_the_cli_imports_kopf_only_for_the_controller() -> None:
    done = subprocess.run([sys.executable, "-c", "import sys; from pulumi_alaya.cli import main; "
                           "main(['lora', 'get', '--help']) if False else None; print('kopf' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
