"""The password backend: Django's, with the user of each request read by compiled SQL.

Every request of a logged-in user loads that user (``get_user``): through the ORM the
query's compilation costs ten times its execution (see ``referentiel.prepared``).
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from referentiel.prepared import PreparedQuery
from vae.models import User

_user_by_id = PreparedQuery(lambda user_id: User.objects.filter(pk=user_id))


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _user_by_id(user_id)
        if found and self.user_can_authenticate(found[0]):
            return found[0]
        return None
