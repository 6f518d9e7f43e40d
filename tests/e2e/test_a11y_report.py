"""The axe list of a run split over pytest-xdist workers is the list of the same run in one
process: each worker's share, carried as plain data, merges into the controller's."""

import json

from tests.e2e.a11y import AxeSessionReport

CHECKS = [
    ("/", 375, [("region", "moderate", "Content in landmarks", "['main']")]),
    ("/", 1280, []),
    ("/candidature/<id>/", 1280, [("region", "moderate", "Content in landmarks", "['nav']")]),
    ("/compte/connexion/", 375, [("list", "minor", "Lists are well formed", "['ul']")]),
]


def record(report, checks):
    for pattern, width, lesser in checks:
        report.checks[pattern] += 1
        report.widths[pattern].add(width)
        for rule, impact, help_text, node in lesser:
            report.lesser[(rule, impact, help_text)].setdefault(pattern, node)
    report.axe_version = "4.12.1"


def test_workers_shares_merge_into_the_single_process_list():
    alone = AxeSessionReport()
    record(alone, CHECKS)
    alone.failures = 2
    first, second = AxeSessionReport(), AxeSessionReport()
    record(first, CHECKS[:2])
    record(second, CHECKS[2:])
    first.failures, second.failures = 1, 1
    controller = AxeSessionReport()
    for worker in (first, second):
        # What execnet carries: JSON-like data only.
        controller.merge(json.loads(json.dumps(worker.as_data())))
    assert controller.lines() == alone.lines()
    assert controller.lines()[0] == (
        "# axe-core 4.12.1: 4 checks on 3 pages; serious or critical violations: 2"
    )
