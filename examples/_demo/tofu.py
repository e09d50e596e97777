"""tofu with the alayanew/alaya provider installed as a user installs it: from the packed filesystem mirror that
scripts/terraform_mirror.py writes. Shared by the demo's Terraform step and tests/terraform."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOFU_VERSION = "1.12.6"  # scripts/opentofu.sh's


def tofu_path() -> Path:
    """Where scripts/opentofu.sh puts tofu (built when ``complete`` is beside it)."""
    cache = Path(os.environ.get("PULUMI_ALAYA_CACHE") or ROOT / ".cache")
    return cache / f"opentofu-v{TOFU_VERSION}" / "tofu"


def tofu_built() -> bool:
    return (tofu_path().parent / "complete").exists()


def write_mirror(folder: Path) -> Path:
    """The packed mirror (the zip and SHA256SUMS) in ``folder``; the zip's path."""
    made = subprocess.run([sys.executable, str(ROOT / "scripts" / "terraform_mirror.py"), str(folder)],
                          capture_output=True, text=True, timeout=300, check=True)
    return Path(made.stdout.strip())


def cli_config(path: Path, mirror: Path) -> Path:
    """A CLI configuration that installs alayanew/* from ``mirror`` only (manual/terraform.md shows the same)."""
    path.write_text(f"""provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.opentofu.org/alayanew/*"]
  }}
  direct {{
    exclude = ["registry.opentofu.org/alayanew/*"]
  }}
}}
""")
    return path
