"""The generated Java SDK builds with Maven, and examples/java runs through the real Java language host.

``sdk/java`` is compiled against ``com.pulumi:pulumi`` from Maven Central and installed (``mvn install``) into one
local repository under the git-ignored ``.cache/`` once per SDK content; ``examples/java`` depends on it by its
coordinates, as a user's program does, and resolves everything else from that same repository, so a warm run
downloads nothing. The engine test runs the program against the emulator: ``up`` creates and waits, the apiKey is
``[secret]`` and never plaintext in ``pulumi stack export`` or the CLI's output, a second preview changes nothing,
a ``modelId`` change replaces create-before-delete, ``destroy`` deletes. Drift of ``sdk/java`` from the schema is
``scripts/gen_provider.py --check`` (tests/test_provider_sdks.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from test_native_provider import BASE, gone, no_changes_then_a_model_change_replaces, owned

from support.build_lock import build_lock
from support.native_sdks import CACHE, _digest, _run
from support.prerequisites import missing
from support.project import PulumiProject, engine_or_skip
from support.seed import SUMMARY, SUPPORT

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk" / "java"
MAVEN_REPO = ROOT / ".cache" / "maven-repo"  # the one local repository of the SDK build and the program
POM = "{http://maven.apache.org/POM/4.0.0}"
# Maven and the program share one short-lived JVM per engine call: the quick JIT tier starts it sooner.
FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def _mvn_or_skip() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        missing("no mvn: the Java SDK and examples/java need Maven and a JDK")
    return mvn


def _coordinates() -> tuple[str, str, str]:
    """(groupId, artifactId, version) of sdk/java's pom.xml."""
    pom = ElementTree.parse(SDK / "pom.xml").getroot()
    return tuple(pom.findtext(f"{POM}{name}") or "" for name in ("groupId", "artifactId", "version"))  # type: ignore[return-value]


def java_sdk_jar() -> Path:
    """sdk/java built and installed into MAVEN_REPO, once per content; the installed jar."""
    mvn = _mvn_or_skip()
    group, artifact, version = _coordinates()
    folder = CACHE / f"java-{_digest(SDK, skip=('target',))}"
    install = [mvn, "--batch-mode", "--no-transfer-progress", f"-Dmaven.repo.local={MAVEN_REPO}", "install"]
    with build_lock("maven-repo"):  # one Maven at a time in the shared local repository
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(SDK, folder, ignore=shutil.ignore_patterns("target"))
            _run(install, folder)
            (folder / ".done").touch()
        built = folder / "target" / f"{artifact}-{version}.jar"
        installed = MAVEN_REPO.joinpath(*group.split("."), artifact, version, built.name)
        # Another checkout sharing .cache/ may have installed its own build of the same version since.
        if not installed.exists() or installed.read_bytes() != built.read_bytes():
            _run(install, folder)
    return installed


def test_the_java_sdk_compiles_with_maven_and_carries_what_it_reads_at_run_time():
    jar = java_sdk_jar()
    with zipfile.ZipFile(jar) as packed:
        names = set(packed.namelist())
        utilities = next(name for name in names if name.endswith("/Utilities.class"))
        # The resource folder Utilities.getVersion() reads, named in its bytecode.
        read = re.search(rb"([\w/]+)/version\.txt", packed.read(utilities))
        assert read, "Utilities no longer names the version.txt it reads"
        folder = read.group(1).decode()
        version = packed.read(f"{folder}/version.txt").decode().strip()
        plugin = json.loads(packed.read(f"{folder}/plugin.json"))
    assert {"com/pulumialaya/alaya/LoraDeployment.class", "com/pulumialaya/alaya/AlayaFunctions.class"} <= names
    assert version == _coordinates()[2]
    # The Java host finds a package's plugin by com/pulumi/NAME/plugin.json on the program's classpath.
    assert folder == "com/pulumi/alaya" and plugin == {**plugin, "resource": True, "name": "alaya",
                                                        "version": version}


def java_project(tmp: Path, emulator) -> PulumiProject:
    cli_dir = engine_or_skip()
    _mvn_or_skip()
    hosts = subprocess.run([str(ROOT / "scripts" / "pulumi-hosts-java-dotnet.sh")], capture_output=True, text=True,
                           timeout=1800)
    if hosts.returncode != 0:
        missing("no Pulumi Java language host: " + hosts.stderr.strip()[-500:])
    version = _coordinates()[2]
    java_sdk_jar()
    # The Java host runs mvn; MAVEN_OPTS points it at the warm repository. This venv's pulumi-resource-alaya
    # is the plugin (an ambient plugin on PATH, as the Go and YAML examples use it).
    path = os.pathsep.join([cli_dir, hosts.stdout.strip().splitlines()[-1], str(Path(sys.executable).parent),
                            os.environ["PATH"]])
    project = PulumiProject(ROOT / "examples" / "java", tmp, cli_dir,
                            env={"PATH": path, "MAVEN_OPTS": f"-Dmaven.repo.local={MAVEN_REPO} {FAST_JVM}"})
    pom = project.dir / "pom.xml"
    pom.write_text(re.sub(r"<alaya.version>[^<]*</alaya.version>", f"<alaya.version>{version}</alaya.version>",
                          pom.read_text()))
    project.use_emulator(emulator, {"baseServiceId": BASE, "modelId": "lora-support-v3", "readServiceId": SUMMARY})
    return project


def test_the_java_example_through_the_engine(emulator, client, tmp_path):
    emulator.set_timing(startup_seconds=0.3, delete_seconds=0.2)
    project = java_project(tmp_path, emulator)

    up = project.up()
    shown = project.stack_output()
    assert shown["apiKey"] == "[secret]"
    assert shown["model"] == "support-bot" and shown["openaiBaseUrl"].startswith(emulator.url + "/svc/")
    revealed = project.stack_output(show_secrets=True)
    first = revealed["serviceId"]
    deployment = client.get_deployment(first)
    assert deployment.status_name == "running"  # up waited for it
    key = deployment.api_key
    assert revealed["apiKey"] == key and key.startswith("sk-")
    assert revealed["readModel"] == "summariser"  # getLoraDeployment read a deployment the stack does not own
    state = json.dumps(project.export())
    assert key not in state and emulator.secret_key not in state
    assert key not in up.stdout + up.stderr

    replaced = no_changes_then_a_model_change_replaces(project, emulator, client, first)

    project.destroy()
    assert owned(project) == {} and gone(client, replaced)
    assert client.get_deployment(SUPPORT).status_name == "running"  # what the stack did not own stays
