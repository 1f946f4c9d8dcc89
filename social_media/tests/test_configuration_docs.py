"""Every environment variable the settings read is documented, so the docs cannot rot."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _variables_read_by_settings() -> set[str]:
    source = (BASE_DIR / "social_media" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))


def test_settings_read_a_reasonable_number_of_variables():
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"} <= (
        _variables_read_by_settings()
    )


def test_every_variable_is_in_env_sample():
    sample = (BASE_DIR / ".env.sample").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", sample, re.MULTILINE))

    assert _variables_read_by_settings() - documented == set()


def test_every_variable_is_in_the_readme_configuration_table():
    readme = (BASE_DIR / "README.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))

    assert _variables_read_by_settings() - documented == set()
