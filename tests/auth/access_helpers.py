"""Constants and helpers shared by the access-control tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GATE_APP = str(Path(__file__).resolve().parent / "gate_app.py")
ADMIN_PASSWORD = "Quarterly-Review-2026!"
USER_PASSWORD = "Liquid-Assets-Check-7"
APP_TIMEOUT_SECONDS = 60


def audit_actions(store: Any, administrator: Any) -> list[str]:
    """Return the audit actions, oldest first."""
    entries = store.list_audit(administrator, limit=1000)
    return [entry.action for entry in reversed(entries)]
