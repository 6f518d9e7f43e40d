"""Where evidence files live: the ``evidence`` entry of Django's STORAGES setting, by
default a private folder of MEDIA_ROOT (``vae.storage``), possibly object storage."""

from django.core.files.storage import storages


def evidence_storage():
    # Evidence.file's storage (Django calls this once, when the model is loaded).
    return storages["evidence"]
