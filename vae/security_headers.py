"""The security headers every response carries: the Content-Security-Policy (django-csp,
configured by ``CONTENT_SECURITY_POLICY``), the admin's addition to it, the policy of the
private files we send back, and the Permissions-Policy.

One middleware for all of them, placed high in ``MIDDLEWARE`` so that responses made by
other middleware (static files, cached pages, the lockout page) are covered too.
"""

from csp.constants import NONE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"

# A file a candidate uploaded (or a PDF we generated) is shown by the browser's own viewer,
# never as one of our pages: it may load nothing and run nothing, and it cannot be framed
# by another site. Not ``sandbox``: Chromium shows a PDF under it (checked), but Safari
# leaves some PDFs blank (adobe/aem-core-wcm-components#2839), and evaluators must read
# the pieces in any browser; our files are only PDF, JPEG or PNG, typed from their bytes
# and sent with ``nosniff``, so no document of ours can be made of one.
PRIVATE_FILE_POLICY = {
    "default-src": [NONE],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": ["'self'"],
}


def private_file(response):
    """Mark a response carrying a stored file (evidence, generated PDF) for the private
    file policy instead of the pages' one."""
    response._csp_config = PRIVATE_FILE_POLICY
    return response


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": []}`` → ``camera=()``: the header's structured-field syntax."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in sorted(features.items())
    )


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin's addition (``VAE_ADMIN_CSP_UPDATE``,
    see the settings for why) under the admin's path, plus the Permissions-Policy."""

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    @cached_property
    def permissions_policy(self) -> str:
        return permissions_policy(settings.PERMISSIONS_POLICY)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        admin_update = getattr(settings, "VAE_ADMIN_CSP_UPDATE", None)
        is_file = getattr(response, "_csp_config", None) is PRIVATE_FILE_POLICY
        if (
            admin_update
            and not report_only
            and not is_file
            and request.path_info.startswith(self.admin_prefix)
        ):
            parts.update = {**admin_update, **(parts.update or {})}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault(PERMISSIONS_POLICY_HEADER, self.permissions_policy)
        return response
