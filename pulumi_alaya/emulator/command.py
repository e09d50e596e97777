"""The emulator's own command line (``alaya emulator`` and ``python -m pulumi_alaya.emulator`` both run it)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence


def parser(prog: str = "alaya emulator") -> argparse.ArgumentParser:
    emulator = argparse.ArgumentParser(prog=prog, description="Run the local Alaya API emulator.")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=8780, help="0 picks a free port (default 8780)")
    emulator.add_argument("--state", help="JSON seed/state file, read at start and written on every change")
    emulator.add_argument("--rate-limit", type=float, default=0.0, metavar="N",
                          help="API requests per second per access key, then 429 with Retry-After (default: off)")
    emulator.add_argument("--rate-burst", type=float, metavar="B", help="bucket size for --rate-limit (default N)")
    return emulator


def main(argv: Sequence[str] | None = None, prog: str = "alaya emulator") -> int:
    """Parse the emulator's flags and serve until interrupted; 0 on a clean stop, 2 (argparse) on bad flags."""
    flags = parser(prog)
    args = flags.parse_args(argv)
    burst = 1.0 if args.rate_burst is None else args.rate_burst
    if not (0 <= args.rate_limit < math.inf and 1 <= burst < math.inf):
        flags.error("--rate-limit must be 0 (off) or more and --rate-burst 1 or more")
    from . import serve

    serve(args.host, args.port, args.state, rate_limit=args.rate_limit, burst=args.rate_burst)
    return 0
