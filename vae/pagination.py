"""Pages of a long list, as every page of the platform shows them: a fixed number of rows
a page, so that a list costs the same to show whatever it holds.

``paginate`` never fails on the page asked for: a number past the last page shows the
last one, anything else the first, and says so in French (``PageOf.notice``).
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from referentiel.french import number as fr_number
from referentiel.ids import parse_page

PER_PAGE = 25


@dataclass(frozen=True)
class PageOf:
    """One page of a list, with what the pagination controls show."""

    page: Page
    # The page numbers to link, with « … » where some are left out.
    numbers: list
    # Why another page than the one asked for is shown, in French ("" when it is the one).
    notice: str = ""

    @property
    def rows(self) -> list:
        return list(self.page.object_list)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def paginate(items, number, *, per_page: int = PER_PAGE) -> PageOf:
    """Page ``number`` (as read from the query string) of ``items`` (a queryset or a list)."""
    paginator = Paginator(items, per_page)
    asked = 1 if number in (None, "") else parse_page(number)
    notice = ""
    if asked is None or asked < 1:
        shown = 1
        notice = "La page demandée n'existe pas : voici la première page."
    elif asked > paginator.num_pages:
        shown = paginator.num_pages
        notice = (
            f"La page {fr_number(asked)} n'existe pas : voici la dernière page "
            f"({fr_number(shown)})."
        )
    else:
        shown = asked
    page = paginator.page(shown)
    numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return PageOf(page=page, numbers=numbers, notice=notice)
