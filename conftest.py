"""Fixtures shared by every app's tests."""

import os

import pytest
from django.core.cache import cache
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from social_media.throttling import FixedWindowRateThrottle
from user.tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    """`postgresql` tests skip on SQLite locally, but CI (REQUIRE_POSTGRESQL=1) must run them."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    if os.environ.get("REQUIRE_POSTGRESQL") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRESQL=1 but DATABASE_URL is not PostgreSQL")
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache; one test's requests must not throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _throttle_windows_stand_still(monkeypatch):
    """Fixed-window throttles count per clock window: a test sending three requests against a
    `2/min` rate would pass the third if a minute ended in between. Their clock stands still
    30 s into a window (of a minute, an hour or a day) instead."""
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))


@pytest.fixture
def is_postgresql():
    return connection.vendor == "postgresql"


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


def token_for(user) -> str:
    _, key = AuthToken.objects.create(user=user)
    return key


def client_for(user=None) -> APIClient:
    """An APIClient sending a fresh token of `user`; `None` → anonymous."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def make_client():
    """`make_client(user)` → an APIClient sending that user's fresh token; `None` → anonymous."""
    return client_for


@pytest.fixture
def auth_client(make_client, user):
    return make_client(user)


@pytest.fixture
def other_client(make_client, other_user):
    return make_client(other_user)
