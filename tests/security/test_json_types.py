"""Regressions for what the live fuzzer (test_fuzz_live.py) found: a JSON number where the
schema says text is refused with a 400 naming the field, not saved as its decimal digits."""

import pytest

from post.tests.factories import CommentFactory
from post.tests.helpers import create_post

pytestmark = pytest.mark.django_db


def test_a_number_is_not_text_anywhere_a_body_takes_text(api_client, auth_client, user):
    post = create_post(user, "mine")
    comment = CommentFactory(author=user, post=post)
    requests = [
        (api_client.post, "/api/v1/auth/register/", {"email": "n@example.org", "password": 1e9}),
        (api_client.post, "/api/v1/auth/login/", {"email": "n@example.org", "password": 42}),
        (auth_client.post, "/api/v1/posts/", {"text": 0}),
        (auth_client.patch, f"/api/v1/posts/{post.pk}/", {"text": 0}),
        (auth_client.put, f"/api/v1/comments/{comment.pk}/", {"text": 1.5}),
        (auth_client.patch, "/api/v1/users/me/", {"bio": 7}),
    ]
    for send, url, body in requests:
        response = send(url, body, format="json")

        field = next(iter(body.keys() - {"email"}))
        assert response.status_code == 400, (url, response.content)
        assert response.json()[field] == ["Not a valid string."], url

    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.text == "mine"
    assert comment.text != "1.5"
