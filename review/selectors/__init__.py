"""Reads of the review's pages, each returning small frozen view objects.

- ``text``: the texts offered for passage selection and their highlighted segments;
- ``passages``: an evaluator's passages (numbered, with their criteria and links);
- ``workspace``: the evaluator's list of dossiers;
- ``dossier``: the evaluator's dossier page;
- ``evidence_page``: one page of a piece with its text, for the evaluator;
- ``grid``: the evaluator's rating grid;
- ``consolidation``: the four grids side by side for the certifier's representative;
- ``staff``: the certifier's pages (panel, follow-up, agreement) and the « Évaluation »
  section of the candidacy's back-office page.

Each read runs a fixed number of queries whatever the size of the dossier (26
compétences, 106 criteria, dozens of evidence files, hundreds of links): evaluators open
the dossier page again after every link they add, so it must not slow down as the review
fills up. Nothing here writes: the view objects are built, never attributes set on rows.
"""
