"""Each language host of the Pulumi install runs a real ``pulumi up`` in a project directory, as users run it.

One tiny program per runtime (``tests/support/pulumi_projects/``): config and a secret in, outputs out, nothing else.
Skipped with one line when the engine or that host cannot be had; under CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support import project as pulumi_project
from support.engine import ROOT
from support.project import PulumiProject, engine_or_skip

PROJECTS = ROOT / "tests" / "support" / "pulumi_projects"
TOKEN = "tok-7f3a9c"  # a secret config value: shown only as [secret] unless asked for


@pytest.fixture
def project(tmp_path) -> Callable[..., PulumiProject]:
    def make(folder: str, *runtimes: str) -> PulumiProject:
        return PulumiProject(PROJECTS / folder, tmp_path, engine_or_skip(*runtimes))
    return make


def up_shows_config_then_destroy(project: PulumiProject, runtime: str, **outputs: str) -> None:
    project.config_set("greeting", "hello")
    project.config_set("token", TOKEN, secret=True)
    up = project.up()
    assert TOKEN not in up.stdout + up.stderr
    assert "from $PATH" not in up.stderr + up.stdout  # the hosts sit beside the CLI, as in a Pulumi install
    assert project.stack_output() == {"message": "hello, world", "token": "[secret]", "runtime": runtime,
                                     **outputs}
    assert project.stack_output(show_secrets=True)["token"] == TOKEN
    assert TOKEN not in str(project.export())  # stored encrypted
    assert [r["type"] for r in project.resources()] == ["pulumi:pulumi:Stack"]
    project.destroy()
    assert project.resources() == []


def test_a_yaml_program_runs_through_the_yaml_host(project):
    up_shows_config_then_destroy(project("yaml", "yaml"), "yaml")


def test_a_yaml_program_gets_a_components_schema_from_the_engines_loader(project):
    # Pulumi's own YAML host main loads schemas with a plugin host of its own, which fails to start the
    # v3.259 Python host; tools/pulumi-yaml's main asks the engine (the RunRequest's loader) instead.
    program = project("yaml-component", "yaml", "python")
    program.virtualenv("greeter/venv", "greeter/requirements.txt")
    program.up()
    assert program.stack_output() == {"message": "hello, world"}
    assert [r["type"] for r in program.resources()] == ["pulumi:pulumi:Stack", "pulumi:providers:greeter",
                                                         "greeter:index:Greeter"]
    program.destroy()
    assert program.resources() == []


def test_a_typescript_program_runs_through_the_nodejs_host(project):
    typescript = project("typescript", "nodejs")
    typescript.npm_install()
    up_shows_config_then_destroy(typescript, "nodejs")


def test_a_go_program_runs_through_the_go_host(project):
    up_shows_config_then_destroy(project("go", "go"), "go")


def test_a_python_program_runs_in_its_virtualenv_through_the_python_host(project):
    python = project("python", "python")
    python.virtualenv()
    up_shows_config_then_destroy(python, "python", prefix=str(python.dir / "venv"))


def test_dependencies_are_installed_once_per_content_and_again_after_a_failed_install(tmp_path, monkeypatch):
    monkeypatch.setattr(pulumi_project, "DEPENDENCIES", tmp_path / "deps")
    made = []

    def install(folder):
        made.append(folder)
        if len(made) == 1:
            raise AssertionError("npm install failed")
        (folder / "node_modules").mkdir()

    with pytest.raises(AssertionError):
        pulumi_project._cached("node-abc", install)
    assert pulumi_project._cached("node-abc", install) == tmp_path / "deps" / "node-abc"  # made again
    assert pulumi_project._cached("node-abc", install) == tmp_path / "deps" / "node-abc"  # now kept
    assert len(made) == 2
