"""The narratives (récits) of livret 2, one per activité of a targeted bloc."""
