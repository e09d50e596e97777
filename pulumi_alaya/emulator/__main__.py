"""``python -m pulumi_alaya.emulator [--host H] [--port N] [--state FILE]``: the same as ``alaya emulator``."""

import sys

from .command import main

sys.exit(main(prog="python -m pulumi_alaya.emulator"))
