#!/usr/bin/env python3
"""Run ``ansible-test sanity|units|integration`` for the collection, the way this repo's tests need it.

- sanity bootstraps pip into its venvs from a script it downloads from a host we cannot reach; a cached copy
  at ``~/.ansible/test/cache/get_pip_<ver>.py`` is used instead, so we install our stand-in there;
- integration targets read the emulator's URL and keys from ``tests/integration/integration_config.yml``
  (ansible-test passes few environment variables through), written here from ``--base-url``, and run on an
  inventory written here too (it names this machine's interpreter, so it is never committed or shipped);
- ansible-test keeps its venvs and caches under ``~/.ansible/test``: two runs at once on one machine (a
  developer's and CI's) would break each other's, so each checkout gets its own home in ``.cache/``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTION = ROOT / "ansible_collections" / "alayanew" / "serverless"
DEMO_IDS = {
    "alaya_running_id": "38fbfc3d-6a88-4c35-b8b6-9efc83949d47",
    "alaya_starting_id": "a7c0e2b4-1d3f-4e5a-9b8c-7d6e5f4a3b2c",
    "alaya_failed_id": "d41d8cd9-8f00-4b20-a9e8-00998ecf8427",
}


HOME = ROOT / ".cache" / "ansible-test-home"


def install_pip_standin() -> None:
    import ansible_test

    source = Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
    version = re.search(r"pip='([\d.]+)'", source.read_text()).group(1)  # type: ignore[union-attr]
    cache = HOME / ".ansible" / "test" / "cache" / f"get_pip_{version.replace('.', '_')}.py"
    cache.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "scripts" / "get_pip_standin.py", cache)


def write_integration_config(base_url: str, access_key: str, secret_key: str) -> None:
    config = {"alaya_base_url": base_url, "alaya_access_key": access_key, "alaya_secret_key": secret_key,
              **DEMO_IDS}
    (COLLECTION / "tests" / "integration" / "integration_config.yml").write_text(json.dumps(config, indent=2))
    (COLLECTION / "tests" / "integration" / "inventory").write_text(
        "[testgroup]\ntesthost ansible_connection='local' ansible_pipelining='yes' "
        f"ansible_python_interpreter='{sys.executable}'\n")


def ensure_ssh_key_pair() -> None:
    """Make ansible-test's SSH key pair before it runs, whole or not at all.

    ansible-test makes ``~/.ansible/test/id_rsa`` (and ``.pub``) on first use when either is missing; on a fresh
    home an integration run was seen to find the key without its ``.pub`` and stop at ssh-keygen's "Overwrite
    (y/n)?" prompt. Made here in a scratch folder and moved in public half first, ansible-test finds both.
    """
    folder = HOME / ".ansible" / "test"
    key, pub = folder / "id_rsa", folder / "id_rsa.pub"
    if key.is_file() and pub.is_file():
        return
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        made = Path(scratch) / "id_rsa"
        subprocess.run(["ssh-keygen", "-m", "PEM", "-q", "-t", "rsa", "-N", "", "-f", str(made)], check=True,
                       stdin=subprocess.DEVNULL)
        # As ansible-test rewrites it: paramiko reads only the "RSA PRIVATE KEY" form.
        text = made.read_text(encoding="utf-8")
        made.write_text(re.sub(r"(BEGIN|END) PRIVATE KEY", r"\1 RSA PRIVATE KEY", text), encoding="utf-8")
        os.replace(Path(scratch) / "id_rsa.pub", pub)
        os.replace(made, key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["sanity", "units", "integration"])
    parser.add_argument("--base-url", help="emulator URL, for integration")
    parser.add_argument("--access-key", default="demo-ak")
    parser.add_argument("--secret-key", default="demo-sk")
    args, extra = parser.parse_known_args()
    command = [str(Path(sys.executable).parent / "ansible-test"), args.command, "--python",
               f"{sys.version_info.major}.{sys.version_info.minor}", "--requirements", "--color", "no"]
    if args.command == "sanity":
        install_pip_standin()
    else:
        command.append("--local")
    if args.command == "integration":
        if not args.base_url:
            parser.error("integration needs --base-url (start one with: alaya emulator --port 0)")
        write_integration_config(args.base_url, args.access_key, args.secret_key)
    HOME.mkdir(parents=True, exist_ok=True)
    if args.command != "sanity":
        ensure_ssh_key_pair()
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               HOME=str(HOME))
    return subprocess.call(command + extra, cwd=COLLECTION, env=env)


if __name__ == "__main__":
    sys.exit(main())
