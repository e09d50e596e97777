"""The environment of a ``pulumi`` run that touches nothing outside its temporary folder: written once for the
demo (``project.py``) and the test suite (``tests/support/engine.py`` and ``project.py`` import it).

A private ``PULUMI_HOME``, a local file backend with passphrase secrets (no Pulumi account, no network), no
update check, no plugin downloads, the engine folder first on PATH; the caller's own ``PULUMI_*`` and
``ALAYA_*`` settings are left out, so a developer's shell cannot change what a run does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path


def isolated_pulumi_env(tmp: Path, engine: str | Path, passphrase: str, *, extra_path: Sequence[str | Path] = (),
                        base: Mapping[str, str] | None = None) -> dict[str, str]:
    base = os.environ if base is None else base
    backend = tmp / "backend"
    backend.mkdir(parents=True, exist_ok=True)
    return {
        **{key: value for key, value in base.items() if not key.startswith(("PULUMI_", "ALAYA_"))},
        "PULUMI_HOME": str(tmp / "home"),
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "1",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "1",
        "PATH": os.pathsep.join([str(engine), *map(str, extra_path), base.get("PATH", "")]),
    }
