"""The candidate's links from evidence and narratives to compétences, and the reasons a
compétence has no evidence."""
