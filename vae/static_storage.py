"""The static files' storage in production: WhiteNoise's compressed manifest (hashed names,
cached for a year), with the imports between our JavaScript modules rewritten to the hashed
names too, so that a module and what it imports are always of the same release."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
