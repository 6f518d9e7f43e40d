"""The promotions' exports opened back: the CSV parsed, the XLSX read with openpyxl."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import exports
from cohorts.rules import SMALL_NUMBERS
from tests.accounts import log_in
from tests.cohorts.tables_support import a_promotion, employed

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 5, 20)


@pytest.fixture
def promotion(referentiel):
    a_promotion(DAY)
    # A second, small promotion: two employed respondents at 24 months.
    employed(dt.date(2023, 4, 3), months=24)
    employed(dt.date(2023, 4, 3), months=24, targeted=False, contract="cdi")


def parse_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def row_of(rows, promotion, wave, path="VAE"):
    (found,) = [
        r
        for r in rows
        if (r["Promotion"], r["Enquête"], r["Voie d'accès"]) == (promotion, wave, path)
    ]
    return found


def download(client, name):
    response = client.get(reverse("cohorts_admin:promotions_export", args=[name]))
    assert response.status_code == 200
    return response


def test_the_insertion_csv(client, certifier, promotion):
    log_in(client, certifier)
    response = download(client, "insertion.csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="promotions-insertion-{today}.csv"'
    )
    rows = parse_csv(response.content)
    assert list(rows[0]) == list(exports.INSERTION_COLUMNS)
    # Two promotions × two waves × two access paths.
    assert len(rows) == 8
    six = row_of(rows, "2025", "Enquête à 6 mois")
    assert six["Période"] == "du 1er janvier 2025 au 31 décembre 2025"
    assert six["Nombre de candidats présentés"] == "7"
    assert six["Nombre de certifiés (validation totale)"] == "3"
    assert six["Nombre de certifiés partiels (blocs)"] == "2"
    assert (six["Nombre interrogés"], six["Nombre de répondants"]) == ("8", "6")
    assert (six["Nombre de neutralisés"], six["En emploi"], six["Dans le métier visé"]) == (
        "1",
        "4",
        "3",
    )
    assert six["Taux d'insertion dans le métier visé"] == "60 %"
    assert six["Taux d'insertion global dans l'emploi"] == "80 %"
    assert six["Taux de réponse"] == "75 %"
    # Not surveyed yet: empty counts, « aucune donnée », never zeros.
    later = row_of(rows, "2025", "Enquête à 24 mois")
    assert later["Nombre interrogés"] == "" and later["Taux de réponse"] == "aucune donnée"
    # The training path: not measured.
    training = row_of(rows, "2025", "Enquête à 6 mois", "Formation")
    assert training["Nombre de candidats présentés"] == ""
    assert training["Taux d'insertion global dans l'emploi"] == "aucune donnée"
    # Small numbers: counts as they are, the rate as « n < 5 » text.
    small = row_of(rows, "2023", "Enquête à 24 mois")
    assert (small["En emploi"], small["Dans le métier visé"]) == ("2", "1")
    assert small["Taux d'insertion dans le métier visé"] == SMALL_NUMBERS
    assert small["Nombre de candidats présentés"] == "0"


def test_the_contracts_csv(client, certifier, promotion):
    log_in(client, certifier)
    rows = parse_csv(download(client, "contrats.csv").content)
    assert list(rows[0]) == list(exports.DISTRIBUTION_COLUMNS)
    contracts = {
        r["Réponse"]: r
        for r in rows
        if (r["Promotion"], r["Enquête"], r["Question"])
        == ("2025", "Enquête à 6 mois", "Type de contrat")
    }
    assert contracts["CDD d'usage (intermittent du spectacle)"]["Effectif"] == "2"
    assert contracts["CDI"]["Effectif"] == "1"
    assert contracts["Indépendant, auto-entrepreneur"]["Effectif"] == "0"
    assert contracts["CDI"]["Part des répondants en emploi"] == SMALL_NUMBERS
    pay = {
        r["Réponse"]: r["Effectif"]
        for r in rows
        if (r["Promotion"], r["Question"]) == ("2025", "Rémunération brute annuelle")
    }
    assert pay["De 30 000 à 39 999 €"] == "2"


def test_the_xlsx(client, certifier, promotion):
    log_in(client, certifier)
    response = download(client, "insertion.xlsx")
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate().isoformat()}.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Insertion", "Contrats et rémunérations"]
    sheet = workbook["Insertion"]
    header = [cell.value for cell in sheet[1]]
    assert header == list(exports.INSERTION_COLUMNS)
    rows = [
        dict(zip(header, values, strict=True)) for values in sheet.iter_rows(2, values_only=True)
    ]
    six = row_of(rows, "2025", "Enquête à 6 mois")
    assert six["Nombre de candidats présentés"] == 7
    assert six["Nombre de répondants"] == 6
    assert six["Taux d'insertion dans le métier visé"] == pytest.approx(0.6)
    assert six["Taux d'insertion global dans l'emploi"] == pytest.approx(0.8)
    assert six["Taux de réponse"] == pytest.approx(0.75)
    rate_cell = sheet.cell(2 + rows.index(six), header.index("Taux de réponse") + 1)
    assert rate_cell.number_format == "0%"
    small = row_of(rows, "2023", "Enquête à 24 mois")
    assert small["Taux d'insertion global dans l'emploi"] == SMALL_NUMBERS
    training = row_of(rows, "2025", "Enquête à 6 mois", "Formation")
    assert training["Nombre de candidats présentés"] is None
    contracts = workbook["Contrats et rémunérations"]
    values = list(contracts.iter_rows(2, values_only=True))
    cddu = [
        v for v in values if v[0] == "2025" and v[5] == "CDD d'usage (intermittent du spectacle)"
    ]
    assert [v[6] for v in cddu] == [2]


def test_the_export_builds_the_same_table_as_the_page():
    # No database: the export functions read the selectors' figures only.
    assert (
        exports.to_csv(exports.INSERTION_COLUMNS, [])
        .decode("utf-8-sig")
        .startswith("Promotion;Période;Enquête;Voie d'accès;")
    )
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx([])))
    assert workbook["Insertion"].max_row == 1
