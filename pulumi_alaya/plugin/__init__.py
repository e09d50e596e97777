"""The schema-based Pulumi provider ``alaya`` (the ``pulumi-resource-alaya`` plugin) over the core client.

Run by the engine as ``pulumi-resource-alaya ENGINE_ADDRESS`` (a console script of ``pip install
pulumi-alaya``), or from the plugin archive's ``PulumiPlugin.yaml`` (``runtime: python``).
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    from .server import serve

    serve()
