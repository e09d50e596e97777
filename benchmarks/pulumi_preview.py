"""What `pulumi preview` of one `LoraDeployment` costs over an empty program of the same language, and what the
plugin's start costs against a bare Python and a Go gRPC plugin, through the real engine in project folders.

In one run, alternating: `pulumi preview` of an empty program and of one `LoraDeployment` (the schema-based
provider; `--plugin installed`, the default, is what the engine's self-install leaves in PULUMI_HOME, `--plugin
path` is `pip install pulumi-alaya`'s console script on PATH), per language (goals: YAML <= 1.5x, TypeScript
<= 1.3x); how many times a preview starts the plugin; then the start alone (launch to the port line the engine
waits for; goal <= 150 ms) of each install there is (the installed one only with `--plugin installed`), against a
bare `python -c pass` with the plugin's own Python and a Go gRPC plugin's (the YAML language host's) in the same
run, and what importing the server module costs of it. Prints medians and ratios; asserts nothing.

Run: python benchmarks/pulumi_preview.py [--rounds 5] [--plugin installed|path] [--smoke]  (needs scripts/pulumi-cli.sh)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _common import timed  # noqa: E402

from pulumi_alaya.client.version import VERSION  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.native_sdks import nodejs_sdk_tarball, provider_archive  # noqa: E402
from support.project import PulumiProject, find_engine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = shutil.which("pulumi-resource-alaya", path=str(Path(sys.executable).parent)) or "pulumi-resource-alaya"
YAML_ONE = """resources:
  bot:
    type: alaya:LoraDeployment
    properties: {baseServiceId: base-qwen2-7b, modelId: lora-bench, servedNames: [bench-bot]}
"""
TS_EMPTY = "import * as pulumi from \"@pulumi/pulumi\";\nexport const stack = pulumi.getStack();\n"
TS_ONE = TS_EMPTY + ("import * as alaya from \"@pulumi-alaya/alaya\";\nnew alaya.LoraDeployment(\"bot\", "
                     "{ baseServiceId: \"base-qwen2-7b\", modelId: \"lora-bench\", servedNames: [\"bench-bot\"] });\n")


def _yaml(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "Pulumi.yaml").write_text(f"name: {folder.name}\nruntime: yaml\n{body}")
    return folder


def _typescript(folder: Path, program: str, with_sdk: bool) -> Path:
    folder.mkdir(parents=True)
    (folder / "Pulumi.yaml").write_text(f"name: {folder.name}\nruntime: nodejs\n")
    package = json.loads((ROOT / "examples" / "typescript" / "package.json").read_text())
    package["name"] = folder.name
    if with_sdk:
        package["dependencies"]["@pulumi-alaya/alaya"] = f"file:{nodejs_sdk_tarball()}"
    else:
        del package["dependencies"]["@pulumi-alaya/alaya"]
    (folder / "package.json").write_text(json.dumps(package, indent=2))
    (folder / "index.ts").write_text(program)
    shutil.copy(ROOT / "examples" / "typescript" / "tsconfig.json", folder / "tsconfig.json")
    return folder


class Plugin:
    """The plugin as one of the two installs runs it: ``installed`` is what the engine's self-install leaves (the
    release archive in PULUMI_HOME with its own venv; the engine runs the archive's launcher, which runs ``python
    PLUGIN_DIR`` with the venv's python; nothing on PATH); ``path`` is ``pip install pulumi-alaya``'s console
    script on PATH."""

    def __init__(self, mode: str, home: Path) -> None:
        self.mode = mode
        if mode == "installed":
            folder = home / "plugins" / f"resource-alaya-v{VERSION}"
            self.python = str(folder / "venv" / "bin" / "python")
            self.command = [str(folder / "pulumi-resource-alaya")]
        else:
            self.python, self.command = sys.executable, [PLUGIN]

    def start(self) -> None:
        """Launch it as the engine does and wait for the port line; then stop it."""
        started(self.command)

    def bare_python(self) -> None:
        subprocess.run([self.python, "-c", "pass"], check=True)

    def imports_only(self) -> None:
        subprocess.run([self.python, "-c", "import pulumi_alaya.plugin.server"], check=True)


def started(command: list[str]) -> None:
    """Launch a plugin (a Go one too) as the engine does, wait for its port line, stop it."""
    plugin = subprocess.Popen([*command, "127.0.0.1:1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    assert plugin.stdout is not None and plugin.stdout.readline().strip().isdigit()
    plugin.terminate()
    plugin.wait()


class Timeline:
    """Where one ``pulumi preview`` spends its time, from the engine's -v=9 log (each line a JSON object with its
    time): how many times it starts the plugin, how long each start took (launch to the engine's first call), how
    long the first call that needs the provider took (``CheckConfig``), and the program's whole run."""

    def __init__(self, log: str) -> None:
        self.starts: list[float] = []
        self.check_config = self.run = 0.0
        launched: float | None = None
        began: dict[str, float] = {}
        for line in log.splitlines():
            try:
                entry = json.loads(line)
                at, message = datetime.fromisoformat(entry["time"][:26]).timestamp(), str(entry["msg"])
            except (ValueError, KeyError, TypeError):
                continue
            if message.startswith("newPlugin(): Launching plugin 'alaya"):
                launched = at
            elif launched is not None and message.startswith("Provider[") and "GetPluginInfo() executing" in message:
                self.starts.append(at - launched)
                launched = None
            for name, key in (("CheckConfig(", "check_config"), ("langhost[yaml].Run(", "run"),
                              ("langhost[nodejs].Run(", "run")):
                if name in message and " executing" in message:
                    began[key] = at
                elif name in message and " success" in message and key in began:
                    setattr(self, key, at - began.pop(key))

    def __str__(self) -> str:
        starts = ", ".join(f"{start * 1000:.0f}" for start in self.starts)
        return (f"the plugin started {len(self.starts)} time(s) (launch to the engine's first call: {starts} ms); "
                f"the first CheckConfig took {self.check_config * 1000:.0f} ms of the program's "
                f"{self.run * 1000:.0f} ms run")


def _timeline(project: PulumiProject) -> Timeline:
    return Timeline(project.preview("-v=9", "--logtostderr").stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--plugin", choices=["installed", "path"],
                        help="installed: as the engine's self-install leaves it (default); path: pip's, on PATH")
    parser.add_argument("--smoke", action="store_true", help="1 round, plugin on PATH: just check it runs")
    args = parser.parse_args()
    if args.smoke:  # the smallest size: no plugin venv to build
        args.rounds, args.plugin = 1, args.plugin or "path"
    args.plugin = args.plugin or "installed"
    cli_dir, why = find_engine("yaml", "nodejs")
    if cli_dir is None:
        raise SystemExit(f"pulumi_preview: no engine: {why}")
    venv_bin = str(Path(PLUGIN).parent)
    others = [part for part in os.environ["PATH"].split(os.pathsep) if part != venv_bin]
    path = os.pathsep.join([cli_dir, *([venv_bin] if args.plugin == "path" else []), *others])
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)  # one PULUMI_HOME and backend for the four projects
        sources = {
            ("yaml", "empty"): _yaml(work / "src" / "yaml-empty", ""),
            ("yaml", "one"): _yaml(work / "src" / "yaml-one", YAML_ONE),
            ("typescript", "empty"): _typescript(work / "src" / "ts-empty", TS_EMPTY, with_sdk=False),
            ("typescript", "one"): _typescript(work / "src" / "ts-one", TS_ONE, with_sdk=True),
        }
        projects = {}
        for key, source in sources.items():
            project = PulumiProject(source, work / "run", cli_dir, env={"PATH": path})
            if key[0] == "typescript":
                project.npm_install()
            if key[1] == "one":  # an empty program reads no provider config
                project.use_emulator(emulator)
            projects[key] = project
        if args.plugin == "installed":
            projects[("yaml", "one")].run("plugin", "install", "resource", "alaya", VERSION, "--file",
                                          str(provider_archive()))
        plugins = [Plugin(mode, work / "run" / "home") for mode in ("installed", "path")
                   if mode == "path" or args.plugin == "installed"]
        go_plugin = [str(Path(cli_dir) / "pulumi-language-yaml")]
        if not args.smoke:
            for project in projects.values():
                project.preview()  # warm: language host, node's compile cache, the plugin's byte-code
        times: dict[tuple[str, str], list[float]] = {key: [] for key in projects}
        startup: dict[str, list[float]] = {plugin.mode: [] for plugin in plugins}
        bare: list[float] = []
        go: list[float] = []
        imports: list[float] = []
        for _ in range(args.rounds):
            for key, project in projects.items():
                times[key] += timed(project.preview)
            for _ in range(3):  # cheap: more samples, interleaved, so load on a shared machine hits all alike
                for plugin in plugins:
                    startup[plugin.mode] += timed(plugin.start)
                bare += timed(plugins[0].bare_python)
                go += timed(lambda: started(go_plugin))
                imports += timed(plugins[0].imports_only)
        launches = {language: _timeline(projects[(language, "one")]) for language in ("yaml", "typescript")}
    _print(args, {key: statistics.median(samples) for key, samples in times.items()}, launches,
           {mode: statistics.median(samples) for mode, samples in startup.items()},
           statistics.median(bare), statistics.median(go), statistics.median(imports))


def _print(args: argparse.Namespace, median: dict[tuple[str, str], float], launches: dict[str, Timeline],
           start: dict[str, float], python: float, go: float, imported: float) -> None:
    goals = {"yaml": 1.5, "typescript": 1.3}
    print(f"pulumi preview, plugin {args.plugin}, medians of {args.rounds} round(s):")
    for language in ("yaml", "typescript"):
        empty, one = median[(language, "empty")], median[(language, "one")]
        print(f"  {language}: empty {empty:.2f} s, one LoraDeployment {one:.2f} s: ratio {one / empty:.2f}x "
              f"(goal <= {goals[language]}x), +{one - empty:.2f} s; in one -v=9 run, {launches[language]}")
    print("start to port line (goal <= 150 ms):")
    for mode, took in start.items():
        print(f"  {mode}: {took * 1000:.0f} ms = {took / python:.2f}x a bare python ({python * 1000:.0f} ms), "
              f"{took / go:.2f}x a Go plugin (the YAML language host, {go * 1000:.0f} ms)")
    print(f"  of which importing the server module {(imported - python) * 1000:.0f} ms (the {args.plugin} "
          "plugin's python)")


if __name__ == "__main__":
    main()
