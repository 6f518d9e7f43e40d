"""French text in one place: the formatting of numbers, dates, times, plurals and
punctuation (``french.format``) and its template filters (``{% load french %}``).

The lowest layer: it imports no other app of the project, and every app may use it.
"""
