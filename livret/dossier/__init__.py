"""Livret 2, the dossier de validation: narratives, evidence, links to the compétences,
coverage, signature, submission and export."""
