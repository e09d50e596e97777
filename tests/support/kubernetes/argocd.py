"""deploy/argocd/health.lua run as Argo CD runs it: a real Lua (lupa embeds one), ``obj`` the resource."""

from __future__ import annotations

from typing import Any

from lupa import LuaRuntime

from .cluster import ROOT

HEALTH = ROOT / "deploy" / "argocd" / "health.lua"


def argocd_health(obj: dict[str, Any]) -> dict[str, str]:
    """{"status": Healthy|Progressing|Degraded, "message": ...} for the resource ``obj`` (as kubectl gets it)."""
    lua = LuaRuntime(unpack_returned_tuples=False)
    lua.globals().obj = lua.table_from(obj, recursive=True)
    result = lua.execute(HEALTH.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in result.items()}
