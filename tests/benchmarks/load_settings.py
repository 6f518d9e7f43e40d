"""Settings of the load benchmark's server: the production settings (DJANGO_ENV=production
and the variables ``test_load_bench`` sets), plus a bare view to compare pages with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.load_urls"
