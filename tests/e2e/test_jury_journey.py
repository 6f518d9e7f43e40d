"""The jury's whole path in a browser (issue 13, « What it must show »): the certifier
creates a session, composes it and convokes a reviewed candidacy; the candidate finds the
convocation and downloads its ``.ics``; on the session's day a jury member declares no
conflict, reads the points à approfondir, revises one rating with its reason and records
the interview; the candidacy is ``interviewed``.

The session must be ahead to be scheduled and not ahead for the interview: between the
two, the test moves the session's date to today in the database, as tests/jury/ does
with its sessions of the day; no clock is waited for."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from jury.enums import ConvocationStatus, JuryCollege, SlotStatus
from jury.models import Convocation, JurySession, RatingRevision, Slot
from tests.factories import CandidacyFactory, UserFactory, make_consolidation, make_member
from vae.enums import CandidacyState, Role
from vae.models import Candidacy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server, sign_in, user):
    """A French browser context of its own, logged in as ``user`` (second factor done)."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    sign_in(context, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_from_a_new_session_to_the_recorded_interview(
    live_server, browser, sign_in, referentiel, tmp_path
):
    certifier = UserFactory(role=Role.CERTIFIER, first_name="Claire", last_name="Morel")
    candidacy = CandidacyFactory(state=CandidacyState.REVIEWED, blocs=["BC3"])
    # One compétence consolidated « partiellement acquis »: a point à approfondir.
    make_consolidation(candidacy, rating="acquis")
    competence = candidacy.targeted_competences()[0]
    candidacy.consolidated_ratings.filter(competence=competence).update(rating="partiel")
    employer = make_member(
        college=JuryCollege.EMPLOYERS, civility="mme", first_name="Inès", last_name="Garnier"
    )
    employee = make_member(
        college=JuryCollege.EMPLOYEES, civility="m", first_name="Paul", last_name="Lefèvre"
    )
    day = timezone.localdate() + dt.timedelta(days=30)

    # -- the certifier creates the session, composes it and convokes the candidate ------
    context, staff = new_page(browser, live_server, sign_in, certifier)
    staff.goto(reverse("jury_admin:session_create"))
    staff.get_by_label("Date").fill(day.isoformat())
    staff.get_by_label("Début").fill("09:00")
    staff.get_by_label("Fin").fill("17:00")
    staff.get_by_role("radio", name="Présentiel").check()
    staff.get_by_label("Adresse (présentiel)").fill("CPNEF de l'audiovisuel\n75009 Paris")
    staff.get_by_role("button", name="Créer la session").click()
    session = JurySession.objects.get(date=day)
    staff.wait_for_url(f"**{reverse('jury_admin:compose', args=[session.pk])}")
    staff.locator(f"select[name='seat_{JuryCollege.EMPLOYERS}_1']").select_option(
        value=str(employer.pk)
    )
    staff.locator(f"select[name='seat_{JuryCollege.EMPLOYEES}_1']").select_option(
        value=str(employee.pk)
    )
    staff.get_by_label("Président du jury").select_option(value=str(employer.pk))
    staff.get_by_role("button", name="Enregistrer la composition").click()
    staff.wait_for_url(f"**{reverse('jury_admin:session', args=[session.pk])}")

    staff.goto(reverse("jury_admin:waiting"))
    staff.get_by_role("link", name=f"Convoquer {candidacy.reference}").click()
    staff.get_by_label("Session").select_option(value=str(session.pk))
    staff.get_by_label("Heure de passage").fill("10:00")
    staff.get_by_role("button", name="Convoquer").click()
    staff.wait_for_url(f"**{reverse('jury_admin:session', args=[session.pk])}")
    expect(
        staff.get_by_text(re.compile(f"{candidacy.reference} : convocation envoyée"))
    ).to_be_visible()
    context.close()
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.JURY_SCHEDULED
    convocation = Convocation.objects.get(candidacy=candidacy, status=ConvocationStatus.SENT)

    # -- the candidate sees the convocation and downloads the calendar file -------------
    context, mine = new_page(browser, live_server, sign_in, candidacy.candidate)
    mine.goto(reverse("candidacy:detail", args=[candidacy.pk]))
    mine.get_by_role("link", name="Voir ma convocation").click()
    expect(
        mine.get_by_role("heading", name="Ma convocation à l'entretien avec le jury")
    ).to_be_visible()
    expect(mine.get_by_text("de 10\u00a0h\u00a000 à")).to_be_visible()
    with mine.expect_download() as download:
        mine.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)").click()
    path = tmp_path / "convocation.ics"
    download.value.save_as(path)
    calendar = Calendar.from_ical(path.read_bytes())
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == convocation.uid
    assert event.decoded("DTSTART") == timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    context.close()

    # -- the session's day ---------------------------------------------------------------
    JurySession.objects.filter(pk=session.pk).update(date=timezone.localdate())

    # -- a member declares, reads the points à approfondir, revises a rating ------------
    context, jury = new_page(browser, live_server, sign_in, employer.user)
    jury.goto(reverse("jury:home"))
    jury.get_by_role("link", name=re.compile("^Session du")).first.click()
    name = candidacy.candidate.get_full_name()
    jury.get_by_role("link", name=f"Faire ma déclaration pour {name}").click()
    jury.get_by_label(re.compile("Je ne connais pas le candidat")).check()
    jury.get_by_role("button", name="Enregistrer ma déclaration").click()
    jury.wait_for_url(f"**{reverse('jury:session', args=[session.pk])}")
    jury.get_by_role("link", name=f"Dossier et compte rendu de {name}").click()

    points = jury.get_by_role("region", name="Points à approfondir")
    expect(points).to_contain_text(competence.code)
    expect(points).to_contain_text(re.compile("partiellement acquis", re.I))

    line = jury.locator(f"#competence-{competence.pk}")
    line.get_by_label("Appréciation révisée").select_option("acquis")
    line.get_by_label("Motif de la révision").fill("Explications précises sur le crédit d'impôt.")
    line.get_by_role("button", name=f"Réviser l'appréciation de {competence.code}").click()
    expect(
        jury.get_by_text(f"L'appréciation révisée de {competence.code} est enregistrée.")
    ).to_be_visible()
    revision = RatingRevision.objects.get()
    assert (revision.competence, revision.from_rating, revision.to_rating, revision.created_by) == (
        competence,
        "partiel",
        "acquis",
        employer.user,
    )
    expect(jury.locator(f"#competence-{competence.pk}")).to_contain_text(
        "Explications précises sur le crédit d'impôt."
    )

    # -- … and records the interview -------------------------------------------------------
    jury.goto(reverse("jury:session", args=[session.pk]))
    jury.get_by_role("link", name=f"Enregistrer l'entretien ou l'absence de {name}").click()
    jury.get_by_role("button", name="Enregistrer l'entretien").click()
    jury.wait_for_url(f"**{reverse('jury:session', args=[session.pk])}")
    expect(jury.get_by_text("C'est enregistré : le certificateur en est informé.")).to_be_visible()
    context.close()

    assert Candidacy.objects.get(pk=candidacy.pk).state == CandidacyState.INTERVIEWED
    assert Slot.objects.get(candidacy=candidacy).status == SlotStatus.INTERVIEWED
    assert candidacy.transitions.filter(
        target_state=CandidacyState.INTERVIEWED, actor=employer.user
    ).exists()
