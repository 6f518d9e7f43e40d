"""The promotions' figures as files for a France compétences registration file: the
« tableau des résultats d'insertion » (one row per promotion, wave and access path) and
the contract types and pay bands of the employed respondents.

CSV for French Excel (UTF-8 with a byte-order mark, or Excel reads it as Windows-1252;
« ; » between cells, since « , » is the decimal mark) and XLSX (openpyxl), one sheet each.

Counts are exported as they are. A rate is a percentage only from five in its denominator
(``cohorts.rules``): below, the cell holds « n < 5 » as text, « — » without denominator;
a figure the platform does not measure (the training path's candidates, a wave not yet
surveyed) is an empty count and « aucune donnée », never a zero.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.styles import Font

from cohorts.promotions import PathFigures, PromotionFigures, WaveFigures
from cohorts.rules import Rate

NO_DATA = "aucune donnée"

INSERTION_COLUMNS = (
    "Promotion",
    "Période",
    "Enquête",
    "Voie d'accès",
    "Nombre de candidats présentés",
    "Nombre de certifiés (validation totale)",
    "Nombre de certifiés partiels (blocs)",
    "Nombre interrogés",
    "Nombre de répondants",
    "Nombre de neutralisés",
    "En emploi",
    "Dans le métier visé",
    "Taux d'insertion dans le métier visé",
    "Taux d'insertion global dans l'emploi",
    "Taux de réponse",
)
DISTRIBUTION_COLUMNS = (
    "Promotion",
    "Période",
    "Enquête",
    "Voie d'accès",
    "Question",
    "Réponse",
    "Effectif",
    "Part des répondants en emploi",
)
QUESTIONS = (("contracts", "Type de contrat"), ("pay_bands", "Rémunération brute annuelle"))

Cell = int | str | Rate | None


def _waves(
    table: Iterable[PromotionFigures],
) -> Iterator[tuple[PromotionFigures, WaveFigures, PathFigures]]:
    for figures in table:
        for index in range(len(figures.paths[0].waves)):
            for path in figures.paths:
                yield figures, path.waves[index], path


def insertion_rows(table: Iterable[PromotionFigures]) -> Iterator[tuple[Cell, ...]]:
    for figures, wave, path in _waves(table):
        promotion = figures.promotion
        head = (promotion.label, promotion.period, wave.wave.label, path.label)
        candidates = (path.presented, path.holders_total, path.holders_partial)
        if wave.insertion is None:
            yield (*head, *candidates, None, None, None, None, None, *(NO_DATA,) * 3)
            continue
        counts = wave.insertion.counts
        yield (
            *head,
            *candidates,
            counts.sent,
            counts.respondents,
            counts.neutralised,
            counts.employed,
            counts.in_targeted_job,
            counts.targeted_job_rate,
            counts.employment_rate,
            counts.response_rate,
        )


def distribution_rows(table: Iterable[PromotionFigures]) -> Iterator[tuple[Cell, ...]]:
    for figures, wave, path in _waves(table):
        if wave.insertion is None:
            continue
        promotion = figures.promotion
        for attribute, question in QUESTIONS:
            for share in getattr(wave.insertion, attribute):
                yield (
                    promotion.label,
                    promotion.period,
                    wave.wave.label,
                    path.label,
                    question,
                    share.label,
                    share.count,
                    share.rate,
                )


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Rate):
        # An ordinary space: French Excel reads « 62 % » as the percentage 0,62.
        return f"{value.percent} %" if value.shown else str(value)
    return str(value)


def to_csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx_sheet(sheet, title, columns, rows) -> None:
    sheet.title = title
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, Rate):
                value = float(value.ratio) if value.shown else str(value)
            values.append(value)
        sheet.append(values)
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Rate) and value.shown:
                cell.number_format = "0%"
    for index, title_text in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, min(40, len(title_text) + 2)
        )


def to_xlsx(table: list[PromotionFigures]) -> bytes:
    workbook = Workbook()
    _xlsx_sheet(workbook.active, "Insertion", INSERTION_COLUMNS, insertion_rows(table))
    _xlsx_sheet(
        workbook.create_sheet(),
        "Contrats et rémunérations",
        DISTRIBUTION_COLUMNS,
        distribution_rows(table),
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# What the certifier downloads: (content type, file name's stem, builder of the bytes).
EXPORTS = {
    "insertion.csv": (
        "text/csv; charset=utf-8",
        "promotions-insertion",
        lambda table: to_csv(INSERTION_COLUMNS, insertion_rows(table)),
    ),
    "contrats.csv": (
        "text/csv; charset=utf-8",
        "promotions-contrats-remunerations",
        lambda table: to_csv(DISTRIBUTION_COLUMNS, distribution_rows(table)),
    ),
    "insertion.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "promotions-insertion",
        to_xlsx,
    ),
}


def export(name: str, table: list[PromotionFigures], today: dt.date) -> tuple[str, str, bytes]:
    """(content type, file name, bytes) of the export ``name`` (a key of ``EXPORTS``)."""
    content_type, stem, build = EXPORTS[name]
    extension = name.rsplit(".", 1)[1]
    return content_type, f"{stem}-{today.isoformat()}.{extension}", build(table)
