"""Imports point down only, as ARCHITECTURE.md's table says: read from every module's source, not assumed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pulumi_alaya"
# room -> the rooms it may import (ARCHITECTURE.md); "" is the package root (__init__.py and the aliases).
ALLOWED = {
    "client": set(),
    "emulator": set(),
    "owning": {"client"},
    "dynamic": {"client", "owning"},
    "plugin": {"client", "owning"},
    "terraform": {"client", "owning"},
    "controller": {"client", "owning"},
    "cli": {"client", "emulator", "controller"},
    "": {"client", "dynamic"},
}


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else ""


def imports_of(path: Path) -> set[str]:
    """Every pulumi_alaya module ``path`` imports, relative imports resolved (those inside functions too)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    package = package.removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names] if not node.module else [target]
            found.update(names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "pulumi_alaya" or name.startswith("pulumi_alaya.")}


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        room = room_of(module)
        for target in sorted(imports_of(path)):
            other = room_of(target)
            if other != room and other not in ALLOWED[room] and target != "pulumi_alaya":
                found.append(f"{path.relative_to(ROOT)} ({room or 'root'}) imports {target} ({other or 'root'})")
    return found


def test_every_room_imports_only_the_rooms_below_it():
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The guard itself: a client module importing the CLI is reported (relative and absolute forms)."""
    fake_root = tmp_path
    client = fake_root / "pulumi_alaya" / "client"
    client.mkdir(parents=True)
    (client / "bad.py").write_text("from ..cli import main\nimport pulumi_alaya.dynamic.lora_deployment\n")
    (fake_root / "pulumi_alaya" / "emulator").mkdir()
    (fake_root / "pulumi_alaya" / "emulator" / "worse.py").write_text("def f():\n    from ..cli import main\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake_root)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake_root / "pulumi_alaya")
    assert violations() == [
        "pulumi_alaya/client/bad.py (client) imports pulumi_alaya.cli (cli)",
        "pulumi_alaya/client/bad.py (client) imports pulumi_alaya.dynamic.lora_deployment (dynamic)",
        "pulumi_alaya/emulator/worse.py (emulator) imports pulumi_alaya.cli (cli)",
    ]


def test_architecture_md_states_the_same_table():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    for room, allowed in ALLOWED.items():
        if room:
            row = next(line for line in text.splitlines() if line.startswith(f"| `{room}` |"))
            named = {part.strip("` ,") for part in row.split("|")[2].split() if part.startswith("`")}
            assert named == allowed, row
