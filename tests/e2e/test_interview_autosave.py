"""The interview record's notes in a browser: each bloc's form saves by itself while a
member types (several autosaved forms on one page), and when the other member saved the
same bloc meanwhile the save is refused, both versions are shown side by side and the
member's text is kept, then saved on purpose."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jury import interview
from jury.models import InterviewBlocNote
from tests.jury.session_support import convoked_today, members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Enregistré à \d{1,2}\sh\s\d{2}$")


@pytest.fixture
def slot(referentiel):
    return convoked_today()


def bloc_form(page, slot, bloc):
    url = reverse("jury:bloc_note_autosave", args=[slot.pk, bloc.pk])
    return page.locator(f'form[data-autosave-url="{url}"]')


def autosave_response(page, slot, bloc):
    url = reverse("jury:bloc_note_autosave", args=[slot.pk, bloc.pk])
    return page.expect_response(lambda response: response.url.endswith(url))


def test_bloc_notes_autosave_and_a_conflict_keeps_the_members_text(
    live_server, browser_page, sign_in, slot
):
    context, page = browser_page
    me, other = members(slot)
    first_bloc, second_bloc = slot.candidacy.targeted_blocs.order_by("pk")[:2]
    sign_in(context, me)
    page.goto(reverse("jury:candidate_file", args=[slot.pk]))

    # Typing in a bloc's notes saves them, a few seconds after the last keystroke.
    form = bloc_form(page, slot, first_bloc)
    with autosave_response(page, slot, first_bloc) as answer:
        form.get_by_label("Questions posées").fill("Comment avez-vous bâti le devis ?")
    assert answer.value.status == 200
    expect(form.locator("[data-save-status]")).to_have_text(SAVED)
    note = InterviewBlocNote.objects.get(bloc=first_bloc)
    assert (note.questions, note.version) == ("Comment avez-vous bâti le devis ?", 1)

    # Another bloc's form on the same page saves on its own.
    second = bloc_form(page, slot, second_bloc)
    with autosave_response(page, slot, second_bloc) as answer:
        second.get_by_label("Réponses du candidat").fill("Paie des intermittents, DPAE.")
    assert answer.value.status == 200
    assert InterviewBlocNote.objects.get(bloc=second_bloc).answers == (
        "Paie des intermittents, DPAE."
    )

    # Meanwhile the other member saves the first bloc from their own device.
    theirs = "Comment avez-vous bâti le devis ? Et le plan de financement ?"
    interview.save_bloc_note(
        slot=slot,
        bloc=first_bloc,
        by=other,
        base_version=1,
        questions=theirs,
        answers="",
        observations="",
    )

    # This member, still on version 1, goes on typing: refused, both versions shown.
    with autosave_response(page, slot, first_bloc) as answer:
        form.get_by_label("Observations du jury").fill("Réponses précises, chiffrées.")
    assert answer.value.status == 409
    panel = page.locator(f"#bloc-{first_bloc.pk}-conflict")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Votre version")).to_be_visible()
    expect(panel.get_by_role("heading", name="Version enregistrée entre-temps")).to_be_visible()
    expect(panel.locator('[data-conflict-mine="questions"]')).to_have_text(
        "Comment avez-vous bâti le devis ?"
    )
    expect(panel.locator('[data-conflict-theirs="questions"]')).to_have_text(theirs)
    expect(panel.locator('[data-conflict-mine="observations"]')).to_have_text(
        "Réponses précises, chiffrées."
    )
    expect(panel.locator('[data-conflict-theirs="questions"] mark')).to_have_text(
        "Et le plan de financement ?"
    )
    expect(form.locator("[data-save-status]")).to_have_text(re.compile("enregistrées entre-temps"))
    # Nothing lost: the member's text is still in the form, the other's still stored.
    expect(form.get_by_label("Observations du jury")).to_have_value("Réponses précises, chiffrées.")
    note.refresh_from_db()
    assert (note.questions, note.observations, note.version) == (theirs, "", 2)
    # The other bloc's panel stays hidden.
    expect(page.locator(f"#bloc-{second_bloc.pk}-conflict")).to_be_hidden()
    page.check_a11y()  # the panel was shown in place

    # Merging puts both versions in the form; the next save goes on the current version.
    with autosave_response(page, slot, first_bloc) as answer:
        panel.get_by_role("button", name="Fusionner à la main").click()
        expect(panel).to_be_hidden()
        form.get_by_label("Questions posées").press("Control+End")
        form.get_by_label("Questions posées").press_sequentially(" Relu.")
    assert answer.value.status == 200
    note.refresh_from_db()
    assert note.version == 3
    assert note.questions.startswith("Comment avez-vous bâti le devis ?")
    assert theirs in note.questions and note.questions.endswith(" Relu.")
    assert note.observations == "Réponses précises, chiffrées."
    assert note.updated_by == me
