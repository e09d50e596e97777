"""The test suite's helpers. They share one piece with the demo (``examples/_demo/pulumi_env.py``), so examples/ is
importable wherever they are (pytest puts it on the path; the benchmarks import these helpers too)."""

import sys
from pathlib import Path

_EXAMPLES = str(Path(__file__).resolve().parents[2] / "examples")
if _EXAMPLES not in sys.path:
    sys.path.append(_EXAMPLES)
