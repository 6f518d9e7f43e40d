"""Template filters of French typography (``vae.typography``)."""

from django import template

from vae import typography

register = template.Library()


@register.filter
def time_ago(value):
    """« il y a 3 heures », « à l'instant »: ``{{ date|time_ago|capfirst }}``."""
    return typography.time_ago(value) if value else ""
