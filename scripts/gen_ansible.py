#!/usr/bin/env python3
"""Write each kind's two Ansible modules (``<kind>_deployment.py``, ``<kind>_deployment_info.py``) and the
collection's action group, from the kinds' declarations (``pulumi_alaya.client.kinds``); ``--check`` fails when a
file differs (a test runs it).

A module is thin: its DOCUMENTATION, EXAMPLES and RETURN (which ``ansible-doc`` and ansible-test read from the
file, so they are written out in it) and a ``main`` over ``module_utils/_deployment_module.py``, which builds the
argument spec from the same declaration at run time (the vendored ``kinds.py``). The options every module shares
are the ``deployment`` and ``deployment_info`` doc fragments; ansible-test's validate-modules holds docs and
argument spec together.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from ansible_modules import info_module, write_module  # noqa: E402
from generated_files import write_or_check  # noqa: E402

from pulumi_alaya.client.declaration import Input, Kind  # noqa: E402
from pulumi_alaya.client.kinds import KINDS  # noqa: E402

COLLECTION = ROOT / "ansible_collections/alayanew/serverless"
MODULES = COLLECTION / "plugins/modules"
RUNTIME = COLLECTION / "meta/runtime.yml"
_TYPES = {"string": ["str"], "strings": ["list", "str"], "integer": ["int"], "number": ["float"],
          "boolean": ["bool"]}


def module_path(kind: Kind, info: bool = False) -> Path:
    return MODULES / f"{kind.name}_deployment{'_info' if info else ''}.py"


def _value(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def option_text(kind: Kind, item: Input) -> str:
    """What the option is, then what Ansible does with it: needed to create, default, moves."""
    words = [item.text]
    if item in kind.needed_to_create:
        words.append("Required to create.")
    default = kind.spec_type.defaults().get(item.option)
    if default not in (None, (), []):
        words.append(f"V({_value(default)}) when created without it.")
    if item.key in kind.replaced_on_change:
        words.append(f"Cannot change in place: create a new {kind.title} instead.")
    return " ".join(words)


def options(kind: Kind) -> str:
    lines = []
    for item in kind.spec_inputs:
        lines += [f"  {item.option}:", "    description: >-"]  # folded: a text may hold ": "
        lines += textwrap.wrap(option_text(kind, item), 110, initial_indent="      ", subsequent_indent="      ")
        kind_type, *elements = _TYPES[item.kind]
        lines.append(f"    type: {kind_type}")
        lines += [f"    elements: {element}" for element in elements]
        if item.choices:
            lines.append(f"    choices: [{', '.join(item.choices)}]")
    return "\n".join(lines) + "\n"


def runtime() -> str:
    """meta/runtime.yml: every module in the ``alaya`` action group (module_defaults for all of them at once)."""
    head = RUNTIME.read_text().split("action_groups:\n", 1)[0]
    names = [name for kind in KINDS for name in (f"{kind.name}_deployment", f"{kind.name}_deployment_info")]
    return head + "action_groups:\n  alaya:\n" + "".join(f"    - {name}\n" for name in names)


def wanted() -> dict[Path, str]:
    files = {RUNTIME: runtime()}
    for kind in KINDS:
        files[module_path(kind)] = write_module(kind, options(kind))
        files[module_path(kind, info=True)] = info_module(kind)
    return files


def main() -> int:
    return write_or_check(__doc__.splitlines()[0], wanted, "its kind's declaration", "gen_ansible.py")


if __name__ == "__main__":
    sys.exit(main())
