"""Helpers shared by the review tests (not a test module)."""

from html.parser import HTMLParser

from livret.models import Evidence, EvidencePage


def add_pages(candidacy, texts=("Bulletin de paie — janvier 2024", "Attestation employeur")):
    """The extracted text of the factory's PDF, as the extraction task would store it."""
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    EvidencePage.objects.bulk_create(
        EvidencePage(evidence=evidence, number=n, text=text) for n, text in enumerate(texts, 1)
    )
    return evidence


def login(client, user):
    client.force_login(user)
    return client


class SourceTexts(HTMLParser):
    """The textContent of every ``[data-source]`` element, as a browser would see it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._stack = {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._stack:
            self._stack.append(None)
        elif "data-source" in attrs:
            self._stack.append(attrs["data-source"])
            self.texts[attrs["data-source"]] = ""

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack:
            self.texts[self._stack[0]] += data


def source_texts(response) -> dict:
    parser = SourceTexts()
    parser.feed(response.content.decode())
    return parser.texts
