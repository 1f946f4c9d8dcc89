import pytest
from django.core.files.storage import default_storage
from django.test import Client

from post.models import Media, Post
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory, ScheduledPostFactory
from post.tests.helpers import create_post
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["post", "hashtag", "media", "like", "comment", "scheduledpost"])
def test_changelists_and_change_pages_render(staff_client, model):
    author = UserFactory()
    media = MediaFactory(owner=author)
    post = create_post(author, "#admin", media_ids=[media.pk])
    objects = {
        "post": post,
        "hashtag": post.hashtags.get(),
        "media": media,
        "like": LikeFactory(post=post),
        "comment": CommentFactory(post=post),
        "scheduledpost": ScheduledPostFactory(author=author),
    }

    assert staff_client.get(f"/admin/post/{model}/").status_code == 200
    assert staff_client.get(f"/admin/post/{model}/{objects[model].pk}/change/").status_code == 200


def test_admin_delete_removes_media_files(staff_client, django_capture_on_commit_callbacks):
    author = UserFactory()
    media = MediaFactory(owner=author)
    post = create_post(author, "to delete", media_ids=[media.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/post/post/",
            {"action": "delete_selected", "_selected_action": [post.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Post.objects.exists()
    assert not Media.objects.exists()
    assert not default_storage.exists(media.file.name)


def test_admin_is_staff_only():
    client = Client()
    client.force_login(UserFactory())

    assert client.get("/admin/post/post/").status_code == 302
