"""Entry point of the plugin folder: the same provider as the `pulumi-resource-alaya` console script.

The Python language host runs this file with the python of the plugin's venv, made from whatever Python the
machine has. requirements.txt installs nothing below 3.11, so this check is what such a machine sees: one line
saying what to install, instead of an ImportError's traceback. It is kept to syntax any Python 3 parses (no f-strings).
"""

import sys

if sys.version_info[:2] < (3, 11):  # noqa: UP036 - run by whatever Python the machine has
    found = "Python " + ".".join(str(part) for part in sys.version_info[:2]) + " (" + sys.executable + ")"
    sys.stderr.write("pulumi-resource-alaya needs Python 3.11 or newer, but its environment was made with " + found
                     + ". Install Python 3.11+ and put it first on PATH as python3 (or set PULUMI_PYTHON_CMD to it), "
                     "then run 'pulumi plugin rm resource alaya --yes' and run pulumi again.\n")
    sys.exit(1)

from pulumi_alaya.plugin import main  # noqa: E402 - only once the version is known to be new enough

main()
