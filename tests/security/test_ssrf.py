"""OWASP API7 (server side request forgery): the API never fetches a URL a client gave it.

`website` is stored and returned as text; post text with links is stored as text; images
are uploaded as bytes, never fetched by URL. Every outgoing connection and DNS lookup made
while these requests run is recorded, and none may go to the canary host.
"""

import socket

import pytest

from post.tests.factories import image_bytes
from tests.security.conftest import png_upload

pytestmark = pytest.mark.django_db

CANARY_HOST = "ssrf-canary.invalid"
CANARY_IP = "203.0.113.7"  # TEST-NET-3: never routed
TARGETS = [
    f"http://{CANARY_HOST}/latest/meta-data/",
    f"http://{CANARY_IP}:8765/admin",
    f"https://{CANARY_HOST}/avatar.png",
]


@pytest.fixture
def network_log(monkeypatch):
    """Records every connect() and name lookup; the DB and cache may connect as usual."""
    seen = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        seen.append(("connect", address))
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        seen.append(("lookup", host))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


def assert_no_canary(seen):
    for _, target in seen:
        text = str(target)
        assert CANARY_HOST not in text, target
        assert CANARY_IP not in text, target


@pytest.mark.parametrize("url", TARGETS)
def test_website_is_stored_never_requested(auth_client, user, network_log, url):
    response = auth_client.patch("/api/v1/users/me/", {"website": url})

    assert response.status_code == 200
    assert response.json()["website"] == url
    assert auth_client.get(f"/api/v1/users/{user.pk}/").json()["website"] == url
    assert_no_canary(network_log)


@pytest.mark.parametrize("url", TARGETS)
def test_links_in_posts_and_comments_are_text(auth_client, network_log, url):
    post = auth_client.post("/api/v1/posts/", {"text": f"look {url} #link"})
    comment = auth_client.post(f"/api/v1/posts/{post.json()['id']}/comments/", {"text": url})

    assert (post.status_code, comment.status_code) == (201, 201)
    assert_no_canary(network_log)


@pytest.mark.parametrize("url", TARGETS)
def test_uploads_take_bytes_not_urls(auth_client, network_log, url):
    as_url = auth_client.post("/api/v1/media/", {"file": url}, format="multipart")
    avatar_url = auth_client.put("/api/v1/users/me/avatar/", {"avatar": url}, format="multipart")
    # An image whose metadata points at the canary (XMP/ICC-style references) is not followed.
    data = image_bytes("PNG") + url.encode()
    real = auth_client.post("/api/v1/media/", {"file": png_upload(data=data)}, format="multipart")

    assert (as_url.status_code, avatar_url.status_code, real.status_code) == (400, 400, 201)
    assert_no_canary(network_log)


def test_the_canary_would_be_seen(network_log):
    """The recorder works: a real lookup of the canary is caught (so the tests can fail)."""
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo(CANARY_HOST, 80)
    with pytest.raises(AssertionError):
        assert_no_canary(network_log)
