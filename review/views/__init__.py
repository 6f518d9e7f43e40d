"""The review's pages, one module per page or group of pages.

- ``access``: who gets into the evaluator's pages, and how a refusal is said;
- ``declaration``: the declaration of absence of conflict of interest;
- ``workspace``: the evaluator's list of dossiers;
- ``dossier``: the dossier page, an evidence page, and their writes (passages, verdicts);
- ``grid``: the evaluator's rating grid and its submission;
- ``consolidation``: the consolidation of the four grids;
- ``admin``: the certifier's pages in the Wagtail admin (panel, ratings, grid PDF,
  agreement).

Thin views: who may see or write is ``review.permissions``' call, every write goes
through ``review.services``, every read through ``review.selectors``; the views show,
collect and relay, and repeat the French refusals as they come.
"""
