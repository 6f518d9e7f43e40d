"""The person's own data: the page that explains it and the archive's download.

Always the signed-in person's own data: there is no id in these URLs, so nobody can ask
for someone else's archive.
"""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vae.models import RetentionPolicy
from vae.personal_data.archive import archive_filename, stream_archive


@require_safe
@login_required
def my_data(request):
    return render(
        request, "vae/personal_data/my_data.html", {"policy": RetentionPolicy.load(request)}
    )


@require_safe
@login_required
def my_data_archive(request):
    response = StreamingHttpResponse(stream_archive(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_filename()}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: never kept by a shared cache or the browser's history.
    response["Cache-Control"] = "private, no-store"
    return response
