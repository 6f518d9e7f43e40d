"""Model rows as the archive's JSON shows them: French field names a person can read,
choices by their label, dates in ISO 8601."""

import datetime
from decimal import Decimal

from django.db import models


def plain(value):
    """A JSON-able form of a field's value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(instance, *, exclude=()) -> dict:
    """The instance's own concrete fields (no relations, no technical ids), keyed by their
    verbose name; a choice shows its label."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.is_relation or field.primary_key or field.name in exclude:
            continue
        if isinstance(field, models.FileField):
            continue
        value = getattr(instance, field.attname)
        if field.choices and value not in (None, ""):
            value = getattr(instance, f"get_{field.name}_display")()
        data[str(field.verbose_name)] = plain(value)
    return data
