"""The candidate's livret 1 pages: the summary and its submission (``summary``), one page
per section (``sections``), and the experiences and trainings of the lists (``items``).

Thin: who may open them in ``livret.eligibility.access``, reads through
``livret.eligibility.selectors``, every write through ``livret.eligibility.services`` (or
``vae.services`` for the submission).
"""
