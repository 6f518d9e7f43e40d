"""Rendered parts of a page kept in the cache under a version of what they show.

A part rendered for one person (an evaluator's dossier page) is kept under a key that the
caller derives from everything it shows (``review.selectors.dossier.dossier_page_version``),
so a change to any of it makes a new key and the stale entry is never read again.

Forms inside the part carry the CSRF token, which belongs to the browser, not to the
content: the part is rendered with a placeholder in its place, and the request's own token
is put in when the part is served.
"""

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# Long enough never to occur in a page by chance; only letters, so escaping leaves it be.
CSRF_PLACEHOLDER = "csrfplaceholderXqZvJkWmTgRbNhLpYd"
# Entries are versioned by content; the timeout only bounds how long an unused one stays.
TIMEOUT = 60 * 60


def cached_part(request, key: str, template: str, context) -> SafeString:
    """``template`` rendered with ``context()`` (called only when not in the cache)."""
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request=request
        )
        cache.set(key, html, TIMEOUT)
    if CSRF_PLACEHOLDER not in html:
        # No form in the part: no token asked for, so no CSRF cookie is set on a page
        # that had none (a visitor's cached public page must not carry one).
        return mark_safe(html)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))
