"""One version, written once in ``pulumi_alaya/client/version.py``, is the version of everything released.

The package (its wheel, as inside the plugin archive), the schema, each SDK, the plugin archives' names, the
Ansible collection (galaxy.yml and its vendored client), the User-Agent a request carries, the examples' SDK
pins and the CHANGELOG's newest release: one place that says otherwise fails, named.
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
from pathlib import Path

import yaml

from pulumi_alaya.client import AlayaClient
from pulumi_alaya.client.version import USER_AGENT, VERSION
from pulumi_alaya.emulator.recorder import Recorder

from support.native_sdks import provider_archive

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import terraform_mirror  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = ROOT / "ansible_collections" / "alayanew" / "serverless"


def _json(path: str, *keys: str) -> str:
    value = json.loads((ROOT / path).read_text())
    for key in keys:
        value = value[key]
    return str(value)


def _match(path: str, pattern: str) -> list[str]:
    return re.findall(pattern, (ROOT / path).read_text(), flags=re.MULTILINE)


def versions_found() -> dict[str, list[str]]:
    """Each place a release's version is written, with what it says there."""
    wheel_in_archive = [name for name in tarfile.open(provider_archive()).getnames() if name.endswith(".whl")]
    return {
        "the package's wheel (inside the plugin archive)": [name.split("-")[1] for name in wheel_in_archive],
        "the plugin archives' names": [re.sub(r"^pulumi-resource-alaya-v(.+?)-\w+-\w+\.tar\.gz$", r"\1", path.name)
                                       for path in provider_archive().parent.glob("*.tar.gz")],
        "provider/cmd/pulumi-resource-alaya/schema.json": [
            _json("provider/cmd/pulumi-resource-alaya/schema.json", "version")],
        "sdk/nodejs/package.json": [_json("sdk/nodejs/package.json", "version"),
                                    _json("sdk/nodejs/package.json", "pulumi", "version")],
        "sdk/python/setup.py": _match("sdk/python/setup.py", r'^VERSION = "(.+)"'),
        "sdk/python/pulumi_alaya_native/pulumi-plugin.json": [
            _json("sdk/python/pulumi_alaya_native/pulumi-plugin.json", "version")],
        "sdk/go/alaya/pulumi-plugin.json": [_json("sdk/go/alaya/pulumi-plugin.json", "version")],
        "sdk/go/alaya/internal/pulumiUtilities.go": _match("sdk/go/alaya/internal/pulumiUtilities.go",
                                                           r'semver\.MustParse\("(.+)"\)'),
        "the collection's galaxy.yml": [str(yaml.safe_load((COLLECTION / "galaxy.yml").read_text())["version"])],
        "the collection's vendored client": _match(
            "ansible_collections/alayanew/serverless/plugins/module_utils/_vendor/alaya_client/version.py",
            r'^VERSION = "(.+)"'),
        "examples/typescript/package.json": [_json("examples/typescript/package.json", "dependencies",
                                                   "@pulumi-alaya/alaya")],
        "examples/go/go.mod": _match("examples/go/go.mod", r"pulumi-alaya/pulumi-alaya/sdk v(\S+)$"),
        "sdk/java/pom.xml": _match("sdk/java/pom.xml", r"^  <version>(.+)</version>"),
        "sdk/java version.txt": [(ROOT / "sdk/java/src/main/resources/com/pulumi/alaya/version.txt").read_text()
                                 .strip()],
        "examples/java/pom.xml": _match("examples/java/pom.xml", r"<alaya.version>(.+)</alaya.version>"),
        "sdk/dotnet/version.txt": [(ROOT / "sdk/dotnet/version.txt").read_text().strip()],
        "CHANGELOG.md's newest release": _match("CHANGELOG.md", r"^## \[(\d[^\]]*)\]")[:1],
        "pulumi_alaya/terraform/schema.json": [_json("pulumi_alaya/terraform/schema.json", "version")],
        "examples/terraform/main.tf": _match("examples/terraform/main.tf", r'^\s+version\s+= "(.+)"$'),
        "the Terraform provider zip's name": [terraform_mirror.zip_name("linux_amd64").split("_")[1]],
    }


def test_every_place_says_the_one_version():
    found = versions_found()
    wrong = [f"{place} says {', '.join(sorted(set(said))) or 'nothing'}" for place, said in found.items()
             if not said or set(said) != {VERSION}]
    assert wrong == [], f"version.py says {VERSION}; " + "; ".join(wrong)


def test_a_request_carries_the_version_in_its_user_agent():
    with Recorder() as other, AlayaClient("ak", "sk", other.url, timeout=5) as client:
        client.get_deployment("sid-1")
        sent = other.log[0]["headers"]
    assert sent["User-Agent"] == USER_AGENT == f"pulumi-alaya/{VERSION}"
