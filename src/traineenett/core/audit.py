"""The one audit log every service writes to."""

from __future__ import annotations

from typing import Any

from django.db import models

from traineenett.core.models import AuditEntry, Program


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def audit(
    *,
    action: str,
    obj: models.Model | None,
    actor: Any = None,
    program: Program | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record ``action`` (a dotted code such as ``members.membership.ended``) on ``obj``."""
    return AuditEntry.objects.create(
        program=program,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )


def changed_fields(instance: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """Apply ``data`` to ``instance``; return {field: [old, new]} for what really changed."""
    changes: dict[str, Any] = {}
    for name, new in data.items():
        old = getattr(instance, name, None)  # None for a foreign key not yet set
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(instance, name, new)
    return changes
