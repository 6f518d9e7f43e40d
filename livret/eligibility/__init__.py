"""Livret 1, the demande de recevabilité: its sections, completeness and pre-check."""
