import argparse

from . import serve

parser = argparse.ArgumentParser(prog="python -m pulumi_alaya.emulator", description=serve.__doc__)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8780, help="0 picks a free port")
parser.add_argument("--state", help="JSON seed/state file (read at start, written on every change)")
args = parser.parse_args()
serve(args.host, args.port, args.state)
