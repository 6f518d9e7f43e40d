"""Creates the public page tree (home, certification, règlement, FAQ) once.

Idempotent: pages that exist are left as editors made them; only missing ones are
created. Used by ``manage.py demo`` and by the tests.
"""

from django.db import transaction
from wagtail.models import Page, Site

from referentiel.models import (
    CertificationPage,
    ContentPage,
    FaqPage,
    FaqQuestion,
    HomePage,
    PrivacyPage,
)

HOME_INTRO = (
    "Faites reconnaître votre expérience d'administrateur ou d'administratrice de production : "
    "budgets, paie, déclarations sociales, crédits d'impôt, clôture des comptes de films et "
    "de séries. Cette plateforme accompagne chaque étape de la validation des acquis de "
    "l'expérience (VAE), de la demande de recevabilité à la décision du jury."
)

# The journey's steps are part of the home page's template (an ordered list with the
# legal delays), not of its body: the body says who the VAE is for.
HOME_BODY = (
    "<h2>Pour qui ?</h2>"
    "<p>Pour toute personne qui justifie d'une première expérience dans l'audiovisuel, ou en "
    "comptabilité dans un autre secteur, et veut faire reconnaître ses compétences "
    "d'administration de production. Vous pouvez viser un, deux ou les trois blocs de "
    "compétences, selon votre expérience.</p>"
)

# The body the first versions created, which listed the steps the template now shows: a
# home page still holding it (never edited) gets the new body; an edited one is left alone.
PREVIOUS_HOME_BODIES = (
    "<h2>Comment se déroule la VAE ?</h2>"
    "<ol>"
    "<li><b>Recevabilité</b> : vous remplissez en ligne le livret 1 (identité, expériences, "
    "blocs visés). Le certificateur vérifie que vous justifiez d'une première expérience "
    "dans l'audiovisuel ou en comptabilité.</li>"
    "<li><b>Dossier de validation</b> : vous décrivez dans le livret 2 des situations de "
    "travail réelles, activité par activité, et vous y rattachez vos pièces justificatives "
    "(bulletins, budgets, plans de trésorerie, déclarations…).</li>"
    "<li><b>Évaluation</b> : quatre évaluateurs qui ne vous connaissent pas examinent votre "
    "dossier compétence par compétence.</li>"
    "<li><b>Jury</b> : un entretien avec le jury de délibération, puis une décision bloc par "
    "bloc. Les blocs validés vous restent acquis.</li>"
    "</ol>",
)

REGLEMENT_INTRO = (
    "Les règles qui s'appliquent aux candidats en validation des acquis de l'expérience."
)

REGLEMENT_BODY = (
    "<h2>Article 1 — Objet</h2>"
    "<p>Le présent règlement fixe les conditions dans lesquelles le CQP « Administrateur de "
    "production cinéma et audiovisuelle » est délivré par la voie de la validation des acquis "
    "de l'expérience.</p>"
    "<h2>Article 2 — Recevabilité</h2>"
    "<p>La demande de recevabilité (livret 1) est déposée en ligne. Le certificateur la "
    "déclare recevable, la renvoie pour complément avec un commentaire, ou la déclare non "
    "recevable en indiquant le motif. Les prérequis sont ceux du référentiel publié sur ce "
    "site.</p>"
    "<h2>Article 3 — Dossier de validation</h2>"
    "<p>Le candidat rédige le livret 2 en ligne pour chaque bloc visé et y joint ses pièces "
    "justificatives. Une fois déposé, le dossier et ses pièces ne sont plus modifiables, "
    "sauf renvoi par le certificateur.</p>"
    "<h2>Article 4 — Évaluation</h2>"
    "<p>Le dossier est évalué par quatre personnes ne connaissant pas le candidat, selon la "
    "composition fixée par le référentiel. Chaque compétence est appréciée « acquise », "
    "« partiellement acquise » ou « non acquise » au regard de ses critères.</p>"
    "<h2>Article 5 — Jury et décision</h2>"
    "<p>Le jury de délibération s'entretient avec le candidat puis délibère. La décision est "
    "prise bloc par bloc selon les règles de validation du référentiel. Le CQP est obtenu "
    "lorsque tous les blocs sont validés ; les blocs validés restent acquis.</p>"
    "<h2>Article 6 — Aménagements</h2>"
    "<p>Le candidat en situation de handicap peut demander des aménagements des modalités "
    "d'évaluation dès sa demande de recevabilité.</p>"
)

PRIVACY_SLUG = "donnees-personnelles"

PRIVACY_INTRO = (
    "Comment la plateforme de VAE du CQP « Administrateur de production cinéma et "
    "audiovisuelle » traite vos données personnelles, et comment exercer vos droits."
)

PRIVACY_BODY = (
    "<h2>Qui traite vos données ?</h2>"
    "<p>Le responsable du traitement est le certificateur, la CPNEF de l'audiovisuel, qui "
    "délivre le CQP et instruit les demandes de validation des acquis de l'expérience.</p>"
    "<h2>Pourquoi ?</h2>"
    "<p>Uniquement pour instruire votre demande de VAE : étudier sa recevabilité, faire "
    "évaluer votre dossier, organiser le jury, rendre et conserver la décision, délivrer "
    "et permettre de vérifier votre certificat. Le traitement repose sur votre demande et "
    "sur votre accord, donné à la création de votre compte.</p>"
    "<h2>Quelles données ?</h2>"
    "<ul>"
    "<li>votre compte : nom, prénom, adresse e-mail ;</li>"
    "<li>votre livret 1 : identité, adresse, téléphone, situation, expériences, formations, "
    "demande d'aménagement ;</li>"
    "<li>votre livret 2 : vos récits, vos pièces justificatives et leur texte, vos liens "
    "vers les compétences ;</li>"
    "<li>l'évaluation et les décisions qui vous concernent.</li>"
    "</ul>"
    "<h2>Qui peut les consulter ?</h2>"
    "<p>Le certificateur, les quatre évaluateurs chargés de votre dossier, qui déclarent ne "
    "pas vous connaître, et les deux membres du jury de votre session. Chaque consultation "
    "d'une de vos pièces ou d'un document vous concernant par l'une de ces personnes est "
    "enregistrée (qui, quand, quel fichier) et contrôlée par le certificateur. Vos données "
    "ne sont transmises à aucun autre destinataire.</p>"
    "<h2>Combien de temps ?</h2>"
    "<p>Vos pièces justificatives sont supprimées, et votre identité effacée, après des "
    "durées fixées par le certificateur et comptées depuis la fin de votre candidature ; "
    "elles sont rappelées dans votre espace, rubrique « Mes données personnelles ». Les "
    "décisions, les blocs de compétences acquis et les certificats sont conservés pour "
    "rester vérifiables.</p>"
    "<h2>Vos droits</h2>"
    "<p>Vous pouvez télécharger à tout moment tout ce que la plateforme conserve à votre "
    "sujet depuis votre espace (rubrique « Mes données personnelles ») et corriger votre "
    "profil. Pour exercer vos droits de rectification, d'effacement, de limitation ou "
    "d'opposition, écrivez au certificateur. Si vous estimez que vos droits ne sont pas "
    "respectés, vous pouvez saisir la CNIL (www.cnil.fr).</p>"
)

FAQ = [
    (
        "Qui peut demander la VAE de ce CQP ?",
        "<p>Toute personne qui justifie d'une première expérience dans le secteur de "
        "l'audiovisuel, ou d'une première expérience en comptabilité dans un autre secteur. "
        "Le certificateur vérifie ce prérequis au moment de la recevabilité.</p>",
    ),
    (
        "Puis-je viser un seul bloc de compétences ?",
        "<p>Oui. Vous choisissez les blocs visés dans le livret 1. Chaque bloc validé vous "
        "reste acquis ; le CQP est délivré quand les trois blocs le sont.</p>",
    ),
    (
        "Quelles pièces justificatives fournir ?",
        "<p>Des documents issus de votre activité qui prouvent les compétences décrites : "
        "bulletins de paie, contrats, devis et budgets, plans de trésorerie, échéanciers, "
        "déclarations sociales, attestations d'employeur. Formats acceptés : PDF, JPEG, PNG. "
        "Pensez à masquer les données personnelles de tiers.</p>",
    ),
    (
        "Qui évalue mon dossier ?",
        "<p>Quatre évaluateurs qui ne vous connaissent pas : deux professionnels du métier, "
        "un représentant d'organisme de formation et un représentant du certificateur. Le jury "
        "de délibération réunit un membre du collège employeur et un membre du collège salarié "
        "de la CPNEF de l'audiovisuel.</p>",
    ),
    (
        "Dois-je passer le questionnaire à visée professionnelle ?",
        "<p>Non en VAE : le questionnaire est une épreuve du parcours de formation. En VAE, "
        "votre livret 2 et l'entretien avec le jury permettent d'apprécier vos compétences.</p>",
    ),
]


def _ensure_tree_root() -> Page:
    """Wagtail's migrations create the locale and the root page; a flushed database (e.g.
    ``manage.py flush``) has neither, so recreate them the way those migrations do."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
                url_path="/",
            )
        )
    return root


@transaction.atomic
def ensure_site_pages() -> HomePage:
    home = HomePage.objects.first()
    root = _ensure_tree_root()
    if home is None:
        # Wagtail's initial migration makes a placeholder « Welcome » page at /home/; ours
        # replaces it.
        for placeholder in root.get_children().filter(content_type__model="page", slug="home"):
            placeholder.delete()
        home = HomePage(
            title="Validation des acquis de l'expérience",
            slug="accueil",
            intro=HOME_INTRO,
            body=HOME_BODY,
            seo_title="VAE du CQP Administrateur de production cinéma et audiovisuelle",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    elif home.body in PREVIOUS_HOME_BODIES:
        home.body = HOME_BODY
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="CQP Administrateur de production",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    def child(model, slug, **fields):
        existing = model.objects.child_of(home).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = model(slug=slug, show_in_menus=True, **fields)
        home.add_child(instance=page)
        page.save_revision().publish()
        return page

    child(
        CertificationPage,
        "certification",
        title="Le référentiel de la certification",
        intro="<p>Blocs, activités, compétences et critères d'évaluation, épreuves et règles "
        "de validation, tels que publiés par le certificateur.</p>",
    )
    child(
        ContentPage,
        "reglement",
        title="Règlement de la certification",
        intro=REGLEMENT_INTRO,
        body=REGLEMENT_BODY,
    )
    if not FaqPage.objects.child_of(home).filter(slug="faq").exists():
        faq = FaqPage(
            slug="faq",
            title="Questions fréquentes",
            show_in_menus=True,
            intro="Les réponses aux questions que se posent les candidats.",
        )
        for order, (question, answer) in enumerate(FAQ):
            faq.questions.add(FaqQuestion(question=question, answer=answer, sort_order=order))
        home.add_child(instance=faq)
        faq.save_revision().publish()
    # Not in the menu: the footer of every page and the sign-up form link it.
    if not PrivacyPage.objects.exists():
        privacy = PrivacyPage(
            slug=PRIVACY_SLUG,
            title="Politique de confidentialité",
            intro=PRIVACY_INTRO,
            body=PRIVACY_BODY,
        )
        home.add_child(instance=privacy)
        privacy.save_revision().publish()
    return home
