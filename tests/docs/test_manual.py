"""The manual (mkdocs.yml, manual/): it builds with --strict, its reference is what the declarations give, and
every code block it or the README shows is run by a test, generated, or listed with the reason it is not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_alaya.cli.main import DESCRIPTION
from pulumi_alaya.client import errors
from pulumi_alaya.client.kinds import KINDS
from pulumi_alaya.client.retry_policy import _TABLE

from support import doc_blocks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_manual  # noqa: E402 - the script under test

# What the build reads besides manual/ and mkdocs.yml: snippets (examples/, ARCHITECTURE.md), mkdocstrings' source.
_BUILD_INPUTS = ("examples", "ARCHITECTURE.md", "pulumi_alaya")


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)


def copy_of_the_site(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "manual", root / "manual")
    for name in _BUILD_INPUTS:
        (root / name).symlink_to(ROOT / name)
    return root


def test_the_site_builds_with_strict(tmp_path):
    run = build(ROOT, tmp_path / "site")
    assert run.returncode == 0, run.stderr[-3000:]
    built = {path.relative_to(tmp_path / "site").as_posix() for path in (tmp_path / "site").rglob("index.html")}
    pages = {path.relative_to(ROOT / "manual").with_suffix("").as_posix() for path in (ROOT / "manual").rglob("*.md")}
    assert built == {"index.html"} | {f"{page}/index.html" for page in pages if page != "index"}
    api = (tmp_path / "site" / "python" / "index.html").read_text()
    assert "wait_until_running" in api and "AlayaWriteUncertainError" in api  # mkdocstrings rendered the client


def test_a_broken_link_fails_the_build(tmp_path):
    root = copy_of_the_site(tmp_path)
    page = root / "manual" / "cli.md"
    page.write_text(page.read_text() + "\nSee [the missing page](no-such-page.md).\n")
    run = build(root, tmp_path / "site")
    assert run.returncode != 0 and "no-such-page.md" in run.stderr


def test_the_generated_pages_are_what_the_declarations_give():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_manual.py"), "--check"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_drift_is_one_line_naming_the_page(tmp_path):
    shutil.copytree(ROOT / "manual", tmp_path / "manual")
    (tmp_path / "manual" / "reference" / "inputs.md").write_text("edited by hand\n")
    (tmp_path / "manual" / "reference" / "errors.md").unlink()
    assert gen_manual.drift(tmp_path) == [
        "manual/reference/inputs.md differs from what the declarations give: run python scripts/gen_manual.py",
        "manual/reference/errors.md is missing: run python scripts/gen_manual.py"]


def test_the_reference_lists_every_input_output_exit_code_error_and_retry_rule():
    page = {name: (ROOT / "manual" / "reference" / f"{name}.md").read_text() for name in
            ("inputs", "outputs", "errors", "retries")}
    for kind in KINDS:
        for item in kind.inputs:
            assert f"| `{item.key}` | `{item.wire_name}` | {item.kind} |" in page["inputs"]
            refused = gen_manual.refusal(item)
            assert refused is None or refused[1] in page["inputs"]  # the check's own line
        for field in kind.outputs:
            assert f"| `{field.api_name}` | `{field.key}` |" in page["outputs"]
    for code, meaning in gen_manual.exit_codes():
        assert f"| {code} | {meaning} |" in page["errors"]
    shown = DESCRIPTION.split("exit codes:")[1].splitlines()  # a meaning may go on over lines without a code
    assert len(gen_manual.exit_codes()) == sum(line.split()[0].isdigit() for line in shown if line.strip())
    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type) and issubclass(value, errors.AlayaError):
            assert f"| `{name}` | `{value.kind}` |" in page["errors"]
    for outcome in _TABLE:
        assert f"| `{outcome}` |" in page["retries"]


def test_a_new_input_reaches_the_reference(monkeypatch):
    """Generated, not copied: a kind's new input appears with its default and rule without touching the pages."""
    import dataclasses

    from pulumi_alaya.client.declaration import Input

    lora = dataclasses.replace(KINDS[0], inputs=(*KINDS[0].inputs, Input(
        "priority", "priority", "integer", "How urgent.", default=3, minimum=1, maximum=9)))
    monkeypatch.setattr(gen_manual, "KINDS", (lora, *KINDS[1:]))
    assert "| `priority` | `priority` | integer | `3` | 1..9 | nothing at the API" in gen_manual.inputs_page()


def test_every_code_block_is_run_generated_or_explained(capsys):
    counts, problems = doc_blocks.report()
    assert problems == []
    assert counts.get("run", 0) >= 8 and counts.get("not run", 0) <= len(doc_blocks.NOT_RUN)
    with capsys.disabled():  # the figure the issue asks for, in the test log
        print(f"\nmanual code blocks: {sum(counts.values())} shown, " + ", ".join(
            f"{count} {name}" for name, count in sorted(counts.items())))


@pytest.fixture
def docs_root(tmp_path, monkeypatch):
    """A tiny repository for doc_blocks to judge: a README, a manual page, a test and an example."""
    (tmp_path / "manual").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "examples" / "tried").mkdir(parents=True)
    (tmp_path / "examples" / "tried" / "main.py").write_text("print('a')\nprint('b')\n")
    (tmp_path / "examples" / "untried").mkdir()
    (tmp_path / "examples" / "untried" / "main.py").write_text("print('c')\n")
    (tmp_path / "tests" / "test_it.py").write_text('block("ran")\nROOT / "examples" / "tried"\n')
    (tmp_path / "README.md").write_text("# x\n")
    monkeypatch.setattr(doc_blocks, "ROOT", tmp_path)
    monkeypatch.setattr(doc_blocks, "MANUAL", tmp_path / "manual")
    doc_blocks._tests_text.cache_clear()
    yield tmp_path / "manual" / "page.md"
    doc_blocks._tests_text.cache_clear()


def test_a_block_nobody_runs_is_named(docs_root):
    docs_root.write_text("\n".join([
        "<!-- block: ran -->", "```bash", "true", "```", "",
        "```bash", "echo new", "```", "",
        "<!-- block: ghost -->", "```bash", "echo ghost", "```", "",
        "```python", '--8<-- "examples/tried/main.py"', "```", "",
        "```python", '--8<-- "examples/untried/main.py"', "```", "",
        "<!-- block: excerpt examples/tried/main.py -->", "```python", "print('b')", "```", "",
        "<!-- block: excerpt examples/tried/main.py -->", "```python", "print('z')", "```", ""]))
    counts, problems = doc_blocks.report()
    assert counts == {"run": 1, "included": 1, "excerpt": 1, "unaccounted": 4}
    assert problems == [
        "manual/page.md:6: a bash block: no <!-- block: ID --> line above it",
        "manual/page.md:11: a bash block: marked 'ghost', which no test runs with block('ghost')",
        "manual/page.md:19: a python block: includes examples/untried/main.py, which no test or workflow runs",
        "manual/page.md:29: a python block: not an excerpt of examples/tried/main.py (its lines differ)"]


def test_the_readme_is_a_front_door():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 150
    assert all(f"manual/{page}" in "\n".join(lines) for page in ("cli.md", "python.md", "pulumi.md", "ansible.md",
                                                                "gitops.md", "controller.md", "terraform.md"))
