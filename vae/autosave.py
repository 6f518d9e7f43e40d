"""What the pages whose texts save themselves (static/js/autosave.js) share on the server:
reading the script's JSON body, answering it, and the conflict panel
(templates/includes/autosave_conflict.html) shown beside a form after a stale save.

The récits of livret 2 and the jury's interview notes use the same script: each form says
its endpoint, its version field and its wording in data attributes, and its panel names
its fields, so that several autosaved forms live on one page.
"""

import json
from dataclasses import dataclass

from django.http import JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from referentiel import french as fr

UNREADABLE = _("La requête d'enregistrement est illisible.")


def read_json(request, keys, *, texts=()):
    """The script's fields (``keys``) from a JSON body, or the ordinary form post; None if
    the body is unreadable or one of ``texts`` is not a string."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in texts):
        return None
    return {key: data[key] for key in keys if key in data}


def json_error(status, kind, message, **extra) -> JsonResponse:
    return JsonResponse({"status": kind, "message": str(message), **extra}, status=status)


def saved_json(*, version, saved_at, **extra) -> JsonResponse:
    """200: the texts are stored at ``version``; the script shows « Enregistré à 14 h 05 »."""
    label = gettext("Enregistré à %(time)s") % {"time": fr.time(saved_at)} if saved_at else ""
    return JsonResponse(
        {
            "status": "saved",
            "version": version,
            "saved_at": saved_at.isoformat() if saved_at else None,
            "saved_label": label,
            **extra,
        }
    )


def conflict_json(message, *, mine: dict, theirs: dict, version, saved_at) -> JsonResponse:
    """409: the save was based on a stale version. ``mine`` is what was refused, given
    back; ``theirs`` the texts now stored (keyed as the script sent them) at ``version``."""
    return json_error(
        409,
        "conflict",
        message,
        mine=mine,
        theirs={
            **theirs,
            "version": version,
            "saved_at": saved_at.isoformat() if saved_at else None,
            "saved_label": (
                gettext("Enregistrée à %(time)s") % {"time": fr.time(saved_at)} if saved_at else ""
            ),
        },
    )


def form_errors_json(form) -> JsonResponse:
    """A refused form's errors, the first one as the message the script shows."""
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    first = next(iter(errors.values()))[0]
    return json_error(400, "invalid", first, errors=errors)


@dataclass(frozen=True)
class PanelField:
    """One text of the panel: ``key`` is the JSON key the script sends and reads back,
    ``name`` the form field the no-JavaScript « Garder ma version » posts; the parts are
    a ``Difference`` (the passage where both versions part ways is marked)."""

    key: str
    name: str
    label: str
    mine: str = ""
    start: str = ""
    mine_part: str = ""
    theirs_part: str = ""
    end: str = ""

    @classmethod
    def compared(cls, key, name, label, mine, difference) -> "PanelField":
        return cls(
            key,
            name,
            label,
            mine,
            difference.start,
            difference.mine,
            difference.theirs,
            difference.end,
        )


@dataclass(frozen=True)
class ConflictPanel:
    """The panel of one autosaved form. Always on the page (hidden) so that the script
    can fill it after a 409; shown by the server when ``theirs_version`` is set (a stale
    ordinary post). The wording names what is edited and who saved meanwhile."""

    id: str
    title: str
    intro: str
    theirs_title: str
    action: str  # where « Garder ma version » posts without JavaScript
    keep_theirs_url: str  # the page again, with the saved version
    version_name: str  # the form's version field
    merge_hint: str  # without JavaScript: merge in the form itself
    merge_js_hint: str
    fields: tuple[PanelField, ...]
    hidden: tuple[tuple[str, str], ...] = ()  # more fields « Garder ma version » posts
    theirs_version: int | None = None
    saved_label: str = ""

    @property
    def shown(self) -> bool:
        return self.theirs_version is not None

    @property
    def several(self) -> bool:
        return len(self.fields) > 1
