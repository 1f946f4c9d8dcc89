from datetime import timedelta

import pytest
from knox.models import AuthToken

from user.tasks import purge_expired_tokens

pytestmark = pytest.mark.django_db


def test_purge_expired_tokens_deletes_only_expired_ones(user, other_user):
    AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))
    AuthToken.objects.create(user=other_user, expiry=timedelta(days=-3))
    live, _ = AuthToken.objects.create(user=user)
    endless, _ = AuthToken.objects.create(user=user, expiry=None)

    assert purge_expired_tokens() == 2
    assert set(AuthToken.objects.values_list("pk", flat=True)) == {live.pk, endless.pk}
    assert purge_expired_tokens() == 0
