"""The templates' header comments name the code that renders them (``livret.dossier.views``,
``portal.wagtail_hooks.TodoPanel``…). When code moves, those names go stale silently; this
test resolves every such name, so a move that forgets a template fails here."""

import importlib
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

FIRST_PARTY = (
    "config",
    "demo",
    "livret",
    "portal",
    "referentiel",
    "review",
    "search",
    "vae",
)
REFERENCE = re.compile(r"``((?:" + "|".join(FIRST_PARTY) + r")\.[A-Za-z_][A-Za-z_.]*[A-Za-z_])``")


def resolves(name):
    """True when ``name`` is a module, an attribute path from one, or a model label."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except AttributeError:
            break
        return True
    try:
        apps.get_model(name)
    except (LookupError, ValueError):
        return False
    return True


def test_every_code_name_in_a_template_comment_exists():
    template_dirs = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    stale = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(1)}"
        for directory in template_dirs
        for path in sorted(directory.rglob("*.html"))
        for match in REFERENCE.finditer(path.read_text(encoding="utf-8"))
        if not resolves(match.group(1))
    ]
    assert template_dirs and not stale, stale


def test_a_stale_name_is_caught():
    assert resolves("livret.dossier.views")
    assert resolves("livret.CompetenceLink")
    assert not resolves("livret.evidence_views")
    assert not resolves("livret.coverage.Coverage")
