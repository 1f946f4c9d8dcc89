"""Settings for a Celery worker started by the tests: the test settings, plus the test
process's media folder (settings_test makes a fresh temporary one in every process)."""

import os

from social_media.settings_test import *  # noqa: F403

MEDIA_ROOT = os.environ["TEST_WORKER_MEDIA_ROOT"]
