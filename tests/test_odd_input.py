"""No server error on odd input: every URL pattern that takes an id, every id-like field of
every form and the query strings that carry ids, fed with Unicode digits, a number too
large for any database, negatives and empty values, as each kind of user.

The URL patterns are read from the resolver, not listed by hand, so that a URL added
tomorrow is swept too; the forms are read from the pages themselves (their ``<input>``,
``<select>`` and check boxes), for the same reason.
"""

import re
from base64 import urlsafe_b64encode
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django import forms
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter

from livret.models import CompetenceLink, Evidence
from referentiel import ids
from referentiel.ids import MAX_ID, IdConverter, parse_id, parse_page, parse_prefixed_id
from review.models import Assignment
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import Role

# The odd values: a superscript digit (isdigit() but not int()), Arabic-Indic digits (int()
# reads them), 2⁷⁰ (past SQLite's INTEGER), a negative, zero, nothing.
ODD = ["²", "١٢", "1180591620717411303424", str(MAX_ID + 1), "-1", "0", ""]
PROJECT_APPS = (
    "config",
    "portal",
    "demo",
    "search",
    "cohorts",
    "certificates",
    "jury",
    "review",
    "livret",
    "vae",
    "referentiel",
)
# Converter arguments that name an id or a number in a project URL.
ID_NAME = re.compile(r"(^pk$|_pk$|_id$|^id$|^number$)")
# Query-string parameters that carry an id or a page number somewhere in the project.
QUERY_IDS = ("page", "depot", "competence", "evidence", "narrative")
# Wagtail's own user views (on our User model) keep Wagtail's ``int``: changing it means
# replacing wagtail.users' AppConfig in INSTALLED_APPS. They are swept like the others below
# (Wagtail reads the pk with an exact lookup, which Django range-checks).
WAGTAIL_CONVERTERS = ("admin/users/",)
# A « number » that is not an id: a certificate's number as printed (« VAE-2026-… »), read
# loosely by the public verification page (the sweep below still sends it the odd values).
NOT_IDS = {("verifier/<str:number>/", "number")}


# -- the one parser ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        ("42", 42),
        (str(MAX_ID), MAX_ID),
        (7, 7),
        ("²", None),
        ("١٢", None),
        (" 7", None),
        ("7 ", None),
        ("+7", None),
        ("1_000", None),
        ("-1", None),
        ("", None),
        (None, None),
        (True, None),
        (-3, None),
        (str(MAX_ID + 1), None),
        ("1180591620717411303424", None),
        ("4.0", None),
    ],
)
def test_parse_id_accepts_only_ascii_digits_in_range(value, expected):
    assert parse_id(value) == expected


def test_parse_page_and_prefixed_id():
    assert parse_page("3") == 3
    assert parse_page("0") is None
    assert parse_page("1000001") is None
    assert parse_prefixed_id("piece-12", "piece-") == 12
    assert parse_prefixed_id("piece-²", "piece-") is None
    assert parse_prefixed_id("recit-12", "piece-") is None


def test_id_converter_refuses_what_is_not_an_id():
    converter = IdConverter()
    assert converter.to_python("12") == 12
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    assert not re.fullmatch(converter.regex, "²")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 12 ", 12), ("-3", -3), (7, 7), ("", None), (None, None)],
)
def test_integer_field_reads_ascii_whole_numbers(value, expected):
    assert ids.IntegerField(required=False).clean(value) == expected


@pytest.mark.parametrize("value", ["²", "١٢", "1e3", "4.0", "1_000", str(MAX_ID + 1), 2**70])
def test_integer_field_gives_its_invalid_message_for_anything_else(value):
    field = ids.IntegerField(error_messages={"invalid": "Indiquez un numéro de page."})
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    assert refused.value.messages == ["Indiquez un numéro de page."]


def test_integer_field_keeps_its_bounds_messages():
    field = ids.IntegerField(min_value=1, error_messages={"min_value": "À partir de 1."})
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("0")
    assert refused.value.messages == ["À partir de 1."]


# -- the URL patterns, from the resolver ---------------------------------------------------


def _patterns(resolver=None, prefix="", converters=None):
    """(route, converters, callback) of every pattern, includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route, found)
        elif isinstance(entry, URLPattern):
            yield route, found, entry.callback


def _is_project(callback) -> bool:
    """A view of the project, or a Wagtail view of one of its models (snippets, viewsets)."""
    module = getattr(callback, "view_class", callback).__module__
    model = getattr(callback, "view_initkwargs", {}).get("model")
    label = model if isinstance(model, str) else getattr(getattr(model, "_meta", None), "label", "")
    apps = {module.split(".")[0], (label or "").split(".")[0]}
    return bool(apps & set(PROJECT_APPS))


def _id_patterns():
    """Project patterns with at least one id argument (route, id names)."""
    for route, converters, callback in _patterns():
        names = [name for name in converters if ID_NAME.search(name)]
        if names and _is_project(callback):
            yield route, names


def test_no_project_url_takes_an_id_with_the_plain_int_converter():
    plain = [
        f"{route} ({name})"
        for route, converters, callback in _patterns()
        if _is_project(callback) and not route.startswith(WAGTAIL_CONVERTERS)
        for name, converter in converters.items()
        if type(converter) is IntConverter
    ]
    assert not plain, "Use <id:…> (referentiel.ids) instead of <int:…> in: " + ", ".join(plain)


def test_every_project_id_argument_goes_through_the_id_converter():
    routes = list(_id_patterns())
    # The sweep below has something to sweep: the project's id URLs are found.
    assert len(routes) >= 30
    for route, converters, callback in _patterns():
        # Our own views (Wagtail's choosers of our models take any string: swept below).
        module = getattr(callback, "view_class", callback).__module__
        if module.split(".")[0] in PROJECT_APPS:
            for name in converters:
                if ID_NAME.search(name) and (route, name) not in NOT_IDS:
                    assert isinstance(converters[name], IdConverter), f"{route} ({name})"


# -- the people and their objects -----------------------------------------------------------


@pytest.fixture
def world(referentiel):
    """A candidate in livret 1 (draft), one writing livret 2 (eligible), a dossier under
    review with its panel, and a certifier: each one's pages hold forms with ids."""
    certifier = UserFactory(role=Role.CERTIFIER)
    drafting = CandidacyFactory()
    writing = CandidacyFactory(eligible=True, certifier=certifier)
    reviewed = CandidacyFactory(under_review=True, certifier=certifier)
    assignment = Assignment.objects.filter(candidacy=reviewed).first()
    link = CompetenceLink.objects.filter(dossier__candidacy=writing).first()
    evidence = Evidence.objects.filter(dossier__candidacy=reviewed).first()
    return {
        "users": {
            "candidat (livret 1)": drafting.candidate,
            "candidat (livret 2)": writing.candidate,
            "évaluateur": assignment.evaluator,
            "certificateur": certifier,
        },
        # A plausible value of each argument that is not the odd one, by name, so that a
        # URL fails on the odd value only.
        "by_name": {
            "candidacy_pk": writing.pk,
            "activity_pk": link.competence.activity_id,
            "competence_pk": link.competence_id,
            "evidence_pk": evidence.pk,
            "link_pk": link.pk,
            "revision_pk": 1,
            "number": 1,
            "pk": assignment.pk,
        },
    }


def _url(route, values):
    """``route`` with each ``<converter:name>`` replaced by ``values[name]``."""
    return "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: quote(str(values.get(m.group(1), "x"))), route
    )


class _Failures:
    """Counts the requests and names those answered with a server error."""

    def __init__(self):
        self.requests = 0
        self.failed = []

    def check(self, who, method, url, response, data=None):
        self.requests += 1
        if getattr(response, "streaming", False):
            # A file served as a stream is read to its end, which closes it (see
            # tests.documents.pdf_bytes for why not ``response.close()``).
            b"".join(response.streaming_content)
        if response.status_code >= 500:
            self.failed.append(f"{who} {method} {url} {data or ''} → {response.status_code}")

    def message(self):
        shown = "\n".join(self.failed[:40])
        return f"{len(self.failed)} server errors in {self.requests} requests:\n{shown}"


@pytest.fixture
def quiet_client(client, settings):
    # A view that raises answers 500 instead of failing the test at the first one: the
    # sweep counts them all and names them.
    client.raise_request_exception = False
    # Generated PDFs are queued, not rendered, in these hundreds of requests.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return client


def test_url_sweep_answers_no_server_error(world, quiet_client):
    failures = _Failures()
    routes = list(_id_patterns())
    for who, user in world["users"].items():
        quiet_client.force_login(user)
        for route, names in routes:
            for odd_name in names:
                for odd in ODD:
                    url = _url(route, {**world["by_name"], odd_name: odd})
                    failures.check(who, "GET", url, quiet_client.get(url))
                    failures.check(who, "POST", url, quiet_client.post(url))
    # Every id argument of every route, each odd value, each person, GET and POST.
    assert failures.requests == 2 * len(ODD) * len(world["users"]) * sum(
        len(names) for _route, names in routes
    )
    assert not failures.failed, failures.message()


# -- the forms and query strings, from the pages --------------------------------------------

# A value that is an id or holds one: « 12 », « piece-12 », « recit-3 ».
ID_VALUE = re.compile(r"^(?:([a-z_-]*-))?[0-9]+$")
# Where each person's pages start; the crawl follows the links from there.
STARTS = ("/compte/", "/candidature/", "/evaluation/", "/admin/candidatures/")
# The crawl reads at most this many pages of one URL pattern, and this many pages in all.
PAGES_PER_ROUTE = 2
PAGES_PER_PERSON = 120
NOT_FOLLOWED = ("/compte/deconnexion/", "/static/")


class _Page(HTMLParser):
    """The links and the forms of a page (action, and each field's offered values)."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.forms = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {"action": attrs.get("action") or "", "method": method, "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag in ("input", "textarea", "button") and name:
            # A number input may be empty: it takes a number all the same.
            empty = "0" if attrs.get("type") == "number" else ""
            self._form["fields"].setdefault(name, []).append(attrs.get("value") or empty)
        elif tag == "select" and name:
            self._select = self._form["fields"].setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _crawl(client, failures, who):
    """The person's pages of the project, found by following links from ``STARTS``: (url,
    route, parsed page). Each GET is checked too."""
    queue, seen, per_route, pages = deque(STARTS), set(), Counter(), []
    while queue and len(pages) < PAGES_PER_PERSON:
        url = queue.popleft()
        if url in seen or url.startswith(NOT_FOLLOWED):
            continue
        seen.add(url)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if not _is_project(match.func) or per_route[match.route] >= PAGES_PER_ROUTE:
            continue
        per_route[match.route] += 1
        response = client.get(url)
        failures.check(who, "GET", url, response)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        pages.append((url, match.route, page))
        queue.extend(page.links)
    return pages


def _odd_values_for(values):
    """The odd values to send in place of a field's ``values``, when it takes an id."""
    prefixes = {m.group(1) or "" for value in values if (m := ID_VALUE.match(value))}
    return [prefix + odd for prefix in sorted(prefixes) for odd in ODD]


def _sweep_forms(client, failures, who, url, page, swept):
    for form in page.forms:
        action = form["action"] or url
        key = (form["method"], urlsplit(action).path, frozenset(form["fields"]))
        if key in swept:
            continue
        swept.add(key)
        defaults = {name: values[0] for name, values in form["fields"].items()}
        for name, values in form["fields"].items():
            for odd in _odd_values_for(values):
                data = {**defaults, name: odd}
                if form["method"] == "post":
                    response = client.post(action, data)
                else:  # filters, « aller à la page »: the same values in the query string
                    response = client.get(action.split("?")[0], data)
                failures.check(who, form["method"].upper(), action, response, {name: odd})


def test_form_and_query_sweep_answers_no_server_error(world, quiet_client):
    failures = _Failures()
    routes_swept, forms_swept = set(), set()
    for who, user in world["users"].items():
        quiet_client.force_login(user)
        for url, route, page in _crawl(quiet_client, failures, who):
            if (who, route) not in routes_swept:
                routes_swept.add((who, route))
                for odd in ODD:
                    odd_url = f"{url.split('?')[0]}?{urlencode(dict.fromkeys(QUERY_IDS, odd))}"
                    failures.check(who, "GET", odd_url, quiet_client.get(odd_url))
            _sweep_forms(quiet_client, failures, who, url, page, forms_swept)
    # The crawl reached each person's pages and forms.
    assert len(routes_swept) >= 30
    assert len(forms_swept) >= 15
    assert not failures.failed, failures.message()


def test_registration_confirmation_with_odd_uid(client, db):
    failures = _Failures()
    for odd in ODD:
        uid = urlsafe_b64encode(odd.encode()).decode().rstrip("=") or "AA"
        for url in (
            f"/compte/inscription/confirmer/{uid}/abc-123/",
            f"/compte/mot-de-passe/reinitialiser/{uid}/abc-123/",
        ):
            failures.check("anonyme", "GET", url, client.get(url))
    assert failures.requests == 2 * len(ODD)
    assert not failures.failed, failures.message()


def test_snippet_chooser_of_several_ignores_odd_ids(client, referentiel):
    client.force_login(UserFactory(role=Role.CERTIFIER, is_superuser=True))
    failures = _Failures()
    for model in ("certification", "bloc", "activity", "competence"):
        url = f"/admin/snippets/choose/referentiel/{model}/chosen-multiple/"
        query = urlencode([("id", odd) for odd in ODD], doseq=True)
        failures.check("certificateur", "GET", url, client.get(f"{url}?{query}"), query)
    assert failures.requests == 4
    assert not failures.failed, failures.message()
