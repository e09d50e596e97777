"""Stand-in for ansible-test's pip bootstrap script (its download host is unreachable here).

ansible-test runs ``get_pip_<ver>.py`` from ``~/.ansible/test/cache/`` with pip's install arguments; this
does the same with the interpreter's own ensurepip and then PyPI. scripts/run_ansible_test.py installs it.
"""

import subprocess
import sys

GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}  # get-pip.py options that pip install does not know

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install", *[a for a in sys.argv[1:] if a not in GET_PIP_ONLY]])
