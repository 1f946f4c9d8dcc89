import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken
from PIL import Image

from post.models import Comment, Like, Media, Post
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory, PostFactory
from user.models import Follow, User
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
AVATAR = "/api/v1/users/me/avatar/"

PUBLIC_FIELDS = {
    "id",
    "username",
    "display_name",
    "bio",
    "avatar",
    "location",
    "website",
    "date_joined",
    "followers_count",
    "following_count",
    "posts_count",
    "is_private",
    "is_following",
    "follows_you",
    "is_blocking",
    "is_muting",
    "follow_requested",
}


def user_url(user_id):
    return f"/api/v1/users/{user_id}/"


def image_file(fmt="PNG", size=(800, 600), name=None, exif=None, noise=False):
    buffer = io.BytesIO()
    if noise:  # incompressible, so the byte size is predictable
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (10, 120, 200))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(name or f"photo.{extension}", buffer.getvalue())


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPSInfo
    return exif


def stored_image(user):
    user.refresh_from_db()
    with default_storage.open(user.avatar.name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


# --- Reading ----------------------------------------------------------------------------


def test_anyone_can_read_a_profile_without_email(api_client, user):
    response = api_client.get(user_url(user.id))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PUBLIC_FIELDS
    assert body["is_following"] is None
    assert body["follows_you"] is None
    assert body["avatar"] is None


def test_other_users_email_is_never_shown(auth_client, other_user):
    body = auth_client.get(user_url(other_user.id)).json()
    assert "email" not in body
    assert body["is_following"] is False


def test_me_is_the_own_view(auth_client, user):
    response = auth_client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PUBLIC_FIELDS | {"email"}
    assert body["id"] == user.id
    assert body["email"] == user.email
    assert "password" not in body


def test_me_without_a_token_is_401(api_client):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("lookup", ["999999", "abc", "99999999999999999999999", "\uff11\uff12"])
def test_unknown_or_malformed_id_is_404(api_client, lookup):
    assert api_client.get(user_url(lookup)).status_code == 404


def test_inactive_user_is_404(api_client):
    assert api_client.get(user_url(UserFactory(is_active=False).id)).status_code == 404


# --- Editing ----------------------------------------------------------------------------


def test_patch_me_updates_profile_fields(auth_client, user):
    changes = {
        "display_name": "Ada Lovelace",
        "bio": "Poetical science.",
        "location": "London",
        "website": "https://ada.example.org",
        "username": "Ada_L",
    }
    response = auth_client.patch(ME, changes)
    assert response.status_code == 200, response.data
    assert {key: response.json()[key] for key in changes} == changes
    user.refresh_from_db()
    assert (user.display_name, user.username, user.website) == (
        "Ada Lovelace",
        "Ada_L",
        "https://ada.example.org",
    )


def test_patch_by_own_numeric_id_works(auth_client, user):
    response = auth_client.patch(user_url(user.id), {"bio": "via id"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "via id"


def test_put_me_replaces_editable_fields(auth_client, user):
    response = auth_client.put(ME, {"username": "replaced", "bio": "", "display_name": "R"})
    assert response.status_code == 200, response.data
    user.refresh_from_db()
    assert (user.username, user.bio, user.display_name) == ("replaced", "", "R")


def test_put_without_username_is_400(auth_client):
    response = auth_client.put(ME, {"bio": "x"})
    assert response.status_code == 400
    assert "username" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "x" * 51),
        ("bio", "x" * 301),
        ("location", "x" * 101),
        ("website", "javascript:alert(1)"),
        ("website", "not a url"),
        ("username", "no spaces allowed"),
        ("username", "ab"),
    ],
)
def test_patch_invalid_field_is_400_naming_it(auth_client, user, field, value):
    before = User.objects.get(pk=user.pk)
    response = auth_client.patch(ME, {field: value})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert getattr(User.objects.get(pk=user.pk), field) == getattr(before, field)


def test_patch_username_taken_in_another_case_is_400(auth_client, other_user):
    response = auth_client.patch(ME, {"username": other_user.username.upper()})
    assert response.status_code == 400
    assert list(response.json()) == ["username"]


def test_patch_cannot_set_email_privileges_or_counts(auth_client, user):
    response = auth_client.patch(
        ME,
        {
            "email": "attacker@example.org",
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
            "followers_count": 1_000_000,
            "date_joined": "2000-01-01T00:00:00Z",
            "password": "new-password-here-123",
            "id": 9999,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["followers_count"] == 0
    assert body["id"] == user.id
    assert "password" not in body
    fresh = User.objects.get(pk=user.pk)
    assert fresh.email == user.email
    assert not fresh.is_staff
    assert not fresh.is_superuser
    assert fresh.is_active
    assert fresh.date_joined == user.date_joined
    assert fresh.password == user.password


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_nobody_else_can_change_or_delete_a_profile(other_client, user, method):
    before = User.objects.get(pk=user.pk)
    response = getattr(other_client, method)(
        user_url(user.id), {"bio": "hacked", "username": "x_y"}
    )
    assert response.status_code == 403
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.bio, fresh.username) == (before.bio, before.username)


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_anonymous_cannot_change_or_delete_a_profile(api_client, user, method):
    response = getattr(api_client, method)(user_url(user.id), {"bio": "hacked"})
    assert response.status_code == 401
    assert User.objects.get(pk=user.pk).bio == user.bio


def test_others_cannot_remove_an_avatar(other_client, user):
    response = other_client.delete(f"/api/v1/users/{user.id}/avatar/")
    assert response.status_code == 403


# --- Avatar -----------------------------------------------------------------------------


def test_avatar_png_is_accepted_resized_and_served_by_absolute_url(auth_client, user):
    response = auth_client.put(
        AVATAR, {"avatar": image_file("PNG", (1200, 600))}, format="multipart"
    )
    assert response.status_code == 200, response.data
    url = response.json()["avatar"]
    assert url.startswith("http://testserver/media/avatars/")
    assert "photo" not in url  # stored under a random name
    image = stored_image(user)
    assert image.format == "PNG"
    assert image.size == (512, 256)
    served = auth_client.get(url.removeprefix("http://testserver"))
    assert served.status_code == 200


def test_avatar_jpeg_is_reencoded_without_exif(auth_client, user):
    upload = image_file("JPEG", (640, 480), exif=gps_exif())
    assert b"SpyCam" in upload.read()
    upload.seek(0)
    response = auth_client.put(AVATAR, {"avatar": upload}, format="multipart")
    assert response.status_code == 200, response.data
    image = stored_image(user)
    assert image.format == "JPEG"
    assert image.size == (512, 384)
    assert not image.getexif()
    with default_storage.open(user.avatar.name) as stored:
        assert b"SpyCam" not in stored.read()


def test_avatar_with_text_fields_in_one_multipart_request(auth_client, user):
    # The multipart profile edit older clients send is still accepted (undocumented).
    response = auth_client.patch(
        ME, {"avatar": image_file(), "display_name": "Pictured"}, format="multipart"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Pictured"
    assert user.avatar


def test_text_file_named_png_is_400(auth_client, user):
    fake = SimpleUploadedFile("avatar.png", b"<html><script>alert(1)</script></html>")
    response = auth_client.put(AVATAR, {"avatar": fake}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]
    user.refresh_from_db()
    assert not user.avatar


def test_empty_file_is_400(auth_client):
    response = auth_client.put(
        AVATAR, {"avatar": SimpleUploadedFile("a.png", b"")}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]


def test_avatar_as_json_string_is_400(auth_client):
    response = auth_client.patch(ME, {"avatar": "https://evil.example/x.png"})
    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]


def test_decompression_bomb_is_400(auth_client, user, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    response = auth_client.put(
        AVATAR, {"avatar": image_file("PNG", (200, 200))}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]
    user.refresh_from_db()
    assert not user.avatar


def test_oversize_avatar_is_413(auth_client, user, settings):
    settings.AVATAR_MAX_BYTES = 1024
    upload = image_file("PNG", (40, 40), noise=True)
    assert upload.size > 1024
    response = auth_client.put(AVATAR, {"avatar": upload}, format="multipart")
    assert response.status_code == 413
    assert "detail" in response.json()
    user.refresh_from_db()
    assert not user.avatar


def test_replacing_the_avatar_deletes_the_old_file(
    auth_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.put(AVATAR, {"avatar": image_file()}, format="multipart")
    user.refresh_from_db()
    first = user.avatar.name
    assert default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.put(AVATAR, {"avatar": image_file("JPEG")}, format="multipart")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.avatar.name != first
    assert default_storage.exists(user.avatar.name)
    assert not default_storage.exists(first)


def test_delete_avatar(auth_client, user, django_capture_on_commit_callbacks):
    auth_client.put(AVATAR, {"avatar": image_file()}, format="multipart")
    user.refresh_from_db()
    name = user.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.delete(AVATAR)
    assert response.status_code == 204
    user.refresh_from_db()
    assert not user.avatar
    assert not default_storage.exists(name)
    assert auth_client.get(ME).json()["avatar"] is None
    # Removing an absent avatar is fine too.
    assert auth_client.delete(AVATAR).status_code == 204


def test_delete_avatar_anonymous_is_401(api_client):
    assert api_client.delete(AVATAR).status_code == 401


# --- Account deletion -------------------------------------------------------------------


def test_delete_account_cascades(make_client, user, other_user, django_capture_on_commit_callbacks):
    client = make_client(user)
    make_client(user)  # a second device
    other_token_count = AuthToken.objects.filter(user=other_user).count()
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=other_user, followee=user)
    own_post = PostFactory(author=user)
    others_post = PostFactory(author=other_user)
    LikeFactory(user=user, post=others_post)
    LikeFactory(user=other_user, post=own_post)
    CommentFactory(author=user, post=others_post)
    CommentFactory(author=other_user, post=own_post)
    media = MediaFactory(owner=user, post=own_post)
    media_files = [media.file.name, media.thumbnail.name]
    user.avatar.save("a.png", ContentFile(image_file().read()), save=True)
    avatar_name = user.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(ME)

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not AuthToken.objects.filter(user_id=user.pk).exists()
    assert not Follow.objects.filter(follower_id=user.pk).exists()
    assert not Follow.objects.filter(followee_id=user.pk).exists()
    assert not Post.objects.filter(author_id=user.pk).exists()
    assert not Like.objects.filter(user_id=user.pk).exists()
    assert not Like.objects.filter(post_id=own_post.pk).exists()
    assert not Comment.objects.filter(author_id=user.pk).exists()
    assert not Comment.objects.filter(post_id=own_post.pk).exists()
    assert not Media.objects.filter(owner_id=user.pk).exists()
    for name in [*media_files, avatar_name]:
        assert not default_storage.exists(name)
    # Everything of the other user survives.
    assert Post.objects.filter(pk=others_post.pk).exists()
    assert AuthToken.objects.filter(user=other_user).count() == other_token_count
    assert client.get(ME).status_code == 401
