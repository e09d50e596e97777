"""``python -m pulumi_alaya.emulator [--host H] [--port N] [--state FILE]``: the same as ``alaya emulator``."""

import sys

from ..cli import main

sys.exit(main(["emulator", *sys.argv[1:]]))
