"""Personal data under control (RGPD).

- ``registry``: what each app holds about a person (archive sections and files) and how it
  purges it; the upper apps register in their ``AppConfig.ready()`` (the core knows no
  livret, review or jury);
- ``archive``: the candidate's download of everything the platform holds about them, a
  ZIP streamed with a JSON file and their files;
- ``retention``: the certifier's retention policy applied (``manage.py
  purge_personal_data``);
- ``access_log``: who opened which file of a candidate, in one INSERT.
"""
