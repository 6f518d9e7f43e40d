"""People: a user, with a role when asked."""

import factory

from vae.enums import Role
from vae.models import User
from vae.roles import assign_role


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``UserFactory(role=Role.CERTIFIER)`` gives them a role group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    password = factory.django.Password("mot-de-passe-test")

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            assign_role(user, Role(role))
        return user
