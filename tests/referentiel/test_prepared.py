"""Prepared queries: compiled once, they give what the queryset gives, for any argument."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referentiel.prepared import PreparedQuery
from tests.factories import UserFactory
from vae.enums import Role
from vae.models import User

pytestmark = pytest.mark.django_db


def users_named(last_name):
    return User.objects.filter(last_name=last_name).order_by("pk")


def test_model_instances_are_those_of_the_queryset_with_converted_values():
    first = UserFactory(last_name="Martin", is_staff=True)
    UserFactory(last_name="Martin")
    UserFactory(last_name="Durand")
    prepared = PreparedQuery(users_named)

    for name in ("Martin", "Durand", "Personne"):
        expected = list(users_named(name))
        got = prepared(name)
        assert got == expected
        assert [vars_of(u) for u in got] == [vars_of(u) for u in expected]
    # Values go through the database's converters (SQLite stores dates as text, booleans
    # as integers): they come back as Python's.
    got = prepared("Martin")[0]
    assert got.pk == first.pk and got.is_staff is True
    assert isinstance(got.date_joined, datetime.datetime) and timezone.is_aware(got.date_joined)
    assert not got._state.adding and got._state.db == "default"


def vars_of(user):
    return {k: v for k, v in vars(user).items() if not k.startswith("_")}


def test_compiled_once_then_one_query_per_call():
    UserFactory(last_name="Martin")
    prepared = PreparedQuery(users_named)
    prepared("Martin")
    with CaptureQueriesContext(connection) as queries:
        assert len(prepared("Durand")) == 0
        assert len(prepared("Martin")) == 1
    assert len(queries) == 2
    assert len(prepared._compiled) == 1


def test_values_lists_flat_or_not_an_argument_used_twice_and_annotations():
    user = UserFactory(role=Role.CERTIFIER)
    other = UserFactory(role=Role.CANDIDATE)
    names = PreparedQuery(
        lambda user_id: Group.objects.filter(user__id=user_id).values_list("name", flat=True)
    )
    assert names(user.pk) == [Role.CERTIFIER.value]
    assert names(other.pk) == [Role.CANDIDATE.value]
    twice = PreparedQuery(
        lambda user_id: (
            User.objects.filter(pk=user_id, groups__user__id=user_id)
            .values_list("pk", "email")
            .distinct()
        )
    )
    assert twice(user.pk) == [(user.pk, user.email)]
    counted = PreparedQuery(
        lambda user_id: User.objects.filter(pk=user_id).annotate(group_count=Count("groups"))
    )
    assert counted(user.pk)[0].group_count == 1


def test_what_it_cannot_prepare_is_refused_when_built():
    with pytest.raises(ValueError, match="select/prefetch_related"):
        PreparedQuery(lambda pk: Session.objects.select_related().filter(pk=pk))("x")
    with pytest.raises(TypeError, match="ints and strings"):
        PreparedQuery(lambda moment: Session.objects.filter(expire_date__gt=moment))(timezone.now())
    with pytest.raises(ValueError, match="not parameters"):
        PreparedQuery(lambda pk: Session.objects.all())("x")
