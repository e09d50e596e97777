"""The Registry's two pages (``docs/``) are what ``scripts/gen_docs.py`` makes from the schema and examples/.

Their configuration table is the schema's config, key by key with its ``ALAYA_*`` variable; each language with
an example folder has its program in the page's chooser, so java and csharp join once their folders exist.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_docs  # noqa: E402 - the script under test

from pulumi_alaya.owning.provider_config import CONFIG  # noqa: E402

SCHEMA = json.loads(gen_docs.SCHEMA.read_text())


def test_the_pages_are_what_the_generator_makes():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr


def test_drift_is_one_line_naming_the_page(tmp_path):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "docs" / "_index.md").write_text("edited by hand\n")
    (tmp_path / "docs" / "installation-configuration.md").unlink()
    assert gen_docs.drift(tmp_path / "docs") == [
        "docs/_index.md differs from what the schema and examples/ make: run python scripts/gen_docs.py",
        "docs/installation-configuration.md is missing: run python scripts/gen_docs.py"]


def test_the_configuration_table_is_the_schemas_config_with_each_variable():
    page = (ROOT / "docs" / "installation-configuration.md").read_text()
    rows = re.findall(r"^\| `alaya:(\w+)` \| `(\w+)` \| ([\w ()]+) \| (.+) \|$", page, flags=re.MULTILINE)
    variables = SCHEMA["config"]["variables"]
    assert [key for key, *_ in rows] == list(variables) == [item.key for item in CONFIG]
    for (key, env, kind, text), item in zip(rows, CONFIG, strict=True):
        assert env == item.env == variables[key]["defaultInfo"]["environment"][0]
        assert kind == variables[key]["type"] + (" (secret)" if item.secret else "")
        assert text == item.description == variables[key]["description"]


def test_each_example_folder_present_is_a_language_in_the_chooser(tmp_path):
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples" / "yaml", examples / "yaml")
    shutil.copytree(ROOT / "examples" / "go", examples / "go")
    program = examples / "java" / "src" / "main" / "java" / "myproject" / "App.java"
    program.parent.mkdir(parents=True)
    program.write_text("package myproject;\n// the java example\n")
    page = gen_docs.index_page(SCHEMA, examples)
    assert page.count('{{< chooser language "go,java,yaml" >}}') == 2  # installation and example
    assert "// the java example" in page and "pulumi.Run(" in page and "type: alaya:LoraDeployment" in page
    assert "choosable language typescript" not in page  # no folder, no tab


def test_the_example_tabs_are_the_programs_in_examples_as_they_are():
    page = (ROOT / "docs" / "_index.md").read_text()
    for language, (_, text) in gen_docs.example_programs(ROOT / "examples").items():
        assert f"{{{{% choosable language {language} %}}}}" in page and text in page
