"""Evidence files (pièces justificatives) of livret 2."""
