"""The plugin starts on grpc alone: what must wait for the first call that needs it is not imported before.

Every ``pulumi preview``/``up`` starts the plugin and waits for its port line, then for ``GetPluginInfo`` and
``GetSchema`` (a YAML program's schema load starts a plugin that is asked nothing else). An import-time guard,
not a timing assertion: the plugin runs with ``PYTHONPROFILEIMPORTTIME``, which lists every module it imports
on stderr (benchmarks/pulumi_preview.py measures the time). The answers it writes itself are held equal to
what Pulumi's own protobuf classes and servicer write.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from pulumi_alaya.client.version import VERSION
from pulumi_alaya.plugin import first_calls, sdk_trim, server
from pulumi_alaya.plugin.schema import schema

from support.seed import SUPPORT

ROOT = Path(__file__).resolve().parents[2]
# Imported only once a call needs them: the SDK (and protobuf under it), the client (and requests), the rules.
NOT_AT_START = ("pulumi", "google.protobuf", "requests", "pulumi_alaya.client", "pulumi_alaya.owning",
                "pulumi_alaya.plugin.alaya_provider", "pulumi_alaya.plugin.servicer")
PLUGIN_FOLDER = ROOT / "provider" / "cmd" / "pulumi-resource-alaya"
CONSOLE_SCRIPT = shutil.which("pulumi-resource-alaya", path=str(Path(sys.executable).parent))


class Plugin:
    def __init__(self, command: list[str], **env: str) -> None:
        self.process = subprocess.Popen([*command, "127.0.0.1:1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1", **env},
                                        start_new_session=True)
        assert self.process.stdout is not None
        port = self.process.stdout.readline().strip()
        assert port.isdigit(), self.process.communicate(timeout=60)[1]
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def stop(self) -> str:
        """Stop it as the engine does; what it wrote on stderr."""
        self.channel.close()
        os.killpg(self.process.pid, signal.SIGINT)
        _, stderr = self.process.communicate(timeout=60)
        return stderr


def imported(importtime: str) -> set[str]:
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", importtime, flags=re.MULTILINE))


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules for prefix in NOT_AT_START
                  if name == prefix or name.startswith(prefix + "."))


def installed(folder: Path) -> Path:
    """The plugin folder as the engine's install leaves it: the archive's files and the venv it made (this one)."""
    for name in ("__main__.py", "pulumi-resource-alaya"):
        shutil.copy2(PLUGIN_FOLDER / name, folder / name)
    (folder / "venv").symlink_to(sys.prefix, target_is_directory=True)
    return folder / "pulumi-resource-alaya"


@pytest.fixture(params=["on PATH", "installed"])
def plugin(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Plugin]:
    """How the engine runs each install: pip's console script on PATH; the installed folder's launcher."""
    assert CONSOLE_SCRIPT, "pip install -e . puts pulumi-resource-alaya beside python"
    started = Plugin([CONSOLE_SCRIPT if request.param == "on PATH" else str(installed(tmp_path))])
    try:
        yield started
    finally:
        if started.process.poll() is None:
            started.process.kill()
            started.process.communicate()


def test_info_and_schema_are_answered_without_the_sdk_the_client_or_protobuf(plugin):
    assert plugin.stub.GetPluginInfo(empty_pb2.Empty()).version == VERSION
    assert json.loads(plugin.stub.GetSchema(provider_pb2.GetSchemaRequest()).schema) == schema()
    with pytest.raises(grpc.RpcError) as refused:  # as Pulumi's servicer: the engine goes on without a handshake
        plugin.stub.Handshake(provider_pb2.ProviderHandshakeRequest())
    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED
    plugin.stub.Cancel(empty_pb2.Empty())
    stderr = plugin.stop()
    modules = imported(stderr)
    assert "grpc" in modules and "pulumi_alaya.plugin.server" in modules  # the guard sees the plugin's imports
    assert heavy(modules) == []
    assert plugin.process.returncode == 0


def test_the_first_call_that_needs_the_provider_loads_it_and_answers_as_before(plugin):
    news = struct_pb2.Struct()
    news.update({"retries": "three"})
    checked = plugin.stub.CheckConfig(provider_pb2.CheckRequest(urn="urn:pulumi:dev::p::pulumi:providers:alaya::d",
                                                                news=news))
    assert [(f.property, f.reason) for f in checked.failures] == [
        ("retries", "alaya:retries must be a whole number >= 0, not 'three'.")]
    configured = plugin.stub.Configure(provider_pb2.ConfigureRequest(args=struct_pb2.Struct()))
    assert configured.acceptSecrets and configured.supportsPreview
    with pytest.raises(grpc.RpcError) as unanswered:  # a method of the service the provider does not answer
        plugin.stub.GetMappings(provider_pb2.GetMappingsRequest(key="terraform"))
    assert unanswered.value.code() == grpc.StatusCode.UNIMPLEMENTED
    with pytest.raises(grpc.RpcError) as failed:  # ours: one line, no stack
        plugin.stub.Invoke(provider_pb2.InvokeRequest(tok="alaya:index:nothing"))
    assert failed.value.code() == grpc.StatusCode.UNKNOWN and "\n" not in (failed.value.details() or "")
    stderr = plugin.stop()
    modules = imported(stderr)
    assert "pulumi_alaya.plugin.servicer" in modules and "Traceback" not in stderr
    assert [name for name in modules if name.startswith(sdk_trim.DEFERRED)] == []  # stood in for
    # The engine's messages come from the SDK's folder, but the SDK itself is never imported.
    assert [name for name in modules if name == "pulumi" or name.startswith("pulumi.")] == []


def test_the_modules_the_plugin_defers_still_work_for_whoever_uses_them(emulator):
    code = ("import sys; from pulumi_alaya.plugin.sdk_trim import defer_unused_modules; defer_unused_modules(); "
            "import pulumi; from pulumi.automation import LocalWorkspace; from pulumi.dynamic import ResourceProvider; "
            "import pulumi.automation._local_workspace as w; "
            "from pulumi_alaya.client import AlayaClient; from requests.adapters import HTTPAdapter; "
            "deployment = AlayaClient.from_env().read_deployment(sys.argv[1]); "
            "print(LocalWorkspace is w.LocalWorkspace, pulumi.automation is sys.modules['pulumi.automation'], "
            "type(pulumi.dynamic).__name__, ResourceProvider.__module__, "
            "HTTPAdapter is sys.modules['requests'].adapters.HTTPAdapter, deployment.service_id == sys.argv[1])")
    run = subprocess.run([sys.executable, "-c", code, SUPPORT], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **emulator.env})
    assert run.stdout.split() == ["True", "True", "module", "pulumi.dynamic.dynamic", "True", "True"], run.stderr


RACE = """
import sys, threading, types
sys.setswitchinterval(1e-6)  # switch threads as often as CPython can: the race shows on every run without the lock
from pulumi_alaya.plugin.sdk_trim import defer_unused_modules
defer_unused_modules()
import pulumi, requests, requests.adapters
done = threading.Event()
def churn():  # another thread importing while the first uses load theirs
    i = 0
    while not done.is_set():
        sys.modules[f"_churn{i % 50}"] = types.ModuleType("churn"); sys.modules.pop(f"_churn{(i + 25) % 50}", None)
        i += 1
uses = [lambda: requests.Session, lambda: requests.adapters.HTTPAdapter, lambda: requests.get,
        lambda: pulumi.dynamic.ResourceProvider, lambda: pulumi.automation.LocalWorkspace]
start, failures = threading.Barrier(len(uses)), []
def use(get):
    start.wait()
    try:
        get()
    except Exception as error:
        failures.append(repr(error))
threading.Thread(target=churn).start()
users = [threading.Thread(target=use, args=(get,)) for get in uses]
for user in users: user.start()
for user in users: user.join()
done.set()
print(failures or "ok")
"""


def test_first_uses_on_several_threads_at_once_load_each_module_once():
    """The engine's calls come on grpc's threads: two first uses at once, while a third thread imports."""
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", RACE], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert run.stdout.strip() == "ok", run.stdout + run.stderr


HTTP_STACK = """
import sys, importlib.abc
from pulumi_alaya.plugin.sdk_trim import defer_unused_modules
defer_unused_modules()
from pulumi_alaya.plugin import servicer  # the provider's heavy half, as the first call loads it
from pulumi_alaya.client.lazy_import import IMPORTING
from pulumi_alaya.client import AlayaClient
from pulumi_alaya.client.urls import parse_http_url
STACK = ("requests", "urllib3", "idna", "charset_normalizer", "chardet", "certifi")
outside = []
class Watch(importlib.abc.MetaPathFinder):  # sees every import that is not a sys.modules hit
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in STACK and not IMPORTING._is_owned():
            outside.append(name)
        return None
assert not [name for name in sys.modules if name.partition(".")[0] in STACK[1:]], "imported before the calls"
sys.meta_path.insert(0, Watch())
parse_http_url("http://127.0.0.1:1/api", "url", "x")  # the first use a config check makes
AlayaClient.from_env().lora_deployments.get(sys.argv[1])  # the first call that reaches the API
print(sorted(outside) or "ok")
"""


def test_the_http_stack_is_imported_under_the_one_lock(emulator):
    """Two of its imports on two threads at once fail (requests' import walks sys.modules and raised a KeyError in
    a CI run's Go program, whose lookup and create came at once): every import of it takes ``IMPORTING``."""
    run = subprocess.run([sys.executable, "-c", HTTP_STACK, SUPPORT], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **emulator.env, "PYTHONPATH": str(ROOT)})
    assert run.stdout.strip() == "ok", run.stdout + run.stderr


def test_an_error_that_is_none_of_ours_is_one_line_too():
    """The wire refuses a value of a signature no input takes (an asset, say) with a ValueError, whose report
    would be a stack."""
    plugin = Plugin([str(CONSOLE_SCRIPT)])
    news = struct_pb2.Struct()
    news.update({"modelId": {"4dabf18193072939515e22adb298388d": "no-such-signature"}})
    try:
        with pytest.raises(grpc.RpcError) as failed:
            plugin.stub.Check(provider_pb2.CheckRequest(urn="urn:pulumi:dev::p::alaya:index:LoraDeployment::x",
                                                        news=news))
    finally:
        stderr = plugin.stop()
    assert re.fullmatch(r"pulumi-resource-alaya failed unexpectedly: ValueError in Check at "
                        r"pulumi_alaya/plugin/wire\.py:\d+: a bug; report it with the command that showed it\.",
                        failed.value.details()), failed.value.details()
    assert "Traceback" not in stderr


def test_a_broken_install_is_one_line_on_each_call_that_needs_the_provider(tmp_path):
    proto = tmp_path / "pulumi" / "runtime" / "proto"  # a Pulumi SDK whose protocol cannot be imported, first on
    proto.mkdir(parents=True)  # the plugin's path
    (tmp_path / "pulumi" / "__init__.py").write_text("raise ImportError('the SDK is never imported')\n")
    (proto / "provider_pb2.py").write_text("raise ImportError('broken on purpose')\n")
    plugin = Plugin([str(CONSOLE_SCRIPT)], PYTHONPATH=str(tmp_path))
    try:
        assert plugin.stub.GetPluginInfo(empty_pb2.Empty()).version == VERSION  # the first calls need no SDK
        for _ in range(2):
            with pytest.raises(grpc.RpcError) as failed:
                plugin.stub.CheckConfig(provider_pb2.CheckRequest(news=struct_pb2.Struct()))
            assert failed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
            details = failed.value.details() or ""
            assert "broken on purpose" in details and "pulumi plugin rm resource alaya" in details
            assert "\n" not in details
    finally:
        stderr = plugin.stop()
    assert "Traceback" not in stderr


def test_the_answers_written_by_hand_are_what_pulumis_classes_write():
    assert first_calls.plugin_info() == plugin_pb2.PluginInfo(version=VERSION).SerializeToString()
    served = json.dumps(schema(), indent=2)  # what AlayaProvider.get_schema answers
    assert first_calls.schema_response() == provider_pb2.GetSchemaResponse(schema=served).SerializeToString()


def test_the_launcher_without_its_venv_says_what_to_do(tmp_path):
    launcher = installed(tmp_path)
    (tmp_path / "venv").unlink()
    run = subprocess.run([str(launcher), "127.0.0.1:1"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and run.stdout == "" and run.stderr.count("\n") == 1
    assert "pulumi plugin rm resource alaya" in run.stderr


def test_the_packaged_schema_is_the_checked_in_one():
    checked_in = ROOT / "provider" / "cmd" / "pulumi-resource-alaya" / "schema.json"
    assert first_calls.SCHEMA_FILE.read_bytes() == checked_in.read_bytes(), "run: python scripts/gen_provider.py"


def test_the_server_matches_pulumis_service_and_options():
    methods = provider_pb2.DESCRIPTOR.services_by_name["ResourceProvider"].methods
    assert not any(method.client_streaming for method in methods)
    assert {method.name for method in methods if method.server_streaming} == server.STREAMING
    assert server.GRPC_OPTIONS == tuple(_GRPC_CHANNEL_OPTIONS)
