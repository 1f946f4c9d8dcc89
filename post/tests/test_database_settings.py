"""The page queries' server settings (post/migrations/0008): every new session of the
database has JIT and parallel workers off, whoever connects and through whatever pooler."""

import psycopg2
import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


@pytest.fixture
def new_session():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    params = connection.get_connection_params()
    session = psycopg2.connect(**params)
    yield session
    session.close()


def test_a_new_session_plans_without_jit_or_parallel_workers(new_session):
    with new_session.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW max_parallel_workers_per_gather")
        workers = cursor.fetchone()[0]
    assert (jit, workers) == ("off", "0")
