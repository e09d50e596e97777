#!/usr/bin/env python3
"""Regenerate ``pulumi_alaya/terraform/tfplugin6_pb2.py`` (and its ``.pyi``) from the plugin protocol that the
pinned OpenTofu (tools/opentofu) speaks: ``docs/plugin-protocol/tfplugin6.10.proto`` of its Go module.

Run by hand when the pinned OpenTofu moves to a new protocol minor version; the output is checked in, so the
provider needs neither Go nor protoc. protoc comes from grpcio-tools, pinned to the release whose generated code
the locked protobuf runtime accepts (gencode 6.31 <= runtime 6.x; a 7.x gencode refuses a 6.x runtime).

    gen_tfplugin6.py            # needs Go (for the module) and PyPI (for grpcio-tools)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = "tfplugin6.10.proto"
GRPCIO_TOOLS = "grpcio-tools==1.76.0"
OUT = ROOT / "pulumi_alaya" / "terraform"


def opentofu_module() -> Path:
    found = subprocess.run(["go", "mod", "download", "-json", "github.com/opentofu/opentofu"], check=True,
                           capture_output=True, text=True, cwd=ROOT / "tools" / "opentofu")
    return Path(json.loads(found.stdout)["Dir"])


def main() -> int:
    proto = opentofu_module() / "docs" / "plugin-protocol" / PROTOCOL
    with tempfile.TemporaryDirectory() as tmp:
        tools = Path(tmp) / "tools"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(tools), GRPCIO_TOOLS],
                       check=True)
        shutil.copy(proto, Path(tmp) / "tfplugin6.proto")
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{tmp}", f"-I{tools / 'grpc_tools' / '_proto'}",
                        f"--python_out={OUT}", f"--pyi_out={OUT}", "tfplugin6.proto"], check=True, cwd=tmp,
                       env={"PYTHONPATH": str(tools), "PATH": "/usr/bin:/bin"})
    print(f"gen_tfplugin6: wrote {OUT / 'tfplugin6_pb2.py'} from OpenTofu's {PROTOCOL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
