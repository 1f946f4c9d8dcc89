"""A small world every security test can attack: an owner with one of everything, a
stranger, and a snapshot of every row a write could touch."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from knox.models import AuthToken

from notifications.models import Notification
from post.models import Comment, Hashtag, Like, Media, Post, PostHashtag, ScheduledPost
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory, image_bytes
from post.tests.helpers import create_post
from user.models import Block, Follow, FollowRequest, Mute, User
from user.tests.factories import FollowFactory, UserFactory


@pytest.fixture
def world(user, other_user):
    """Everything `user` (the owner) can own, each referenced by id in URL templates."""
    attached = MediaFactory(owner=user)
    post = create_post(user, "owner's post #owned", media_ids=[attached.pk])
    LikeFactory(user=user, post=post)
    comment = CommentFactory(post=post, author=user, text="owner's comment")
    scheduled = ScheduledPost.objects.create(
        author=user, text="owner's secret plan", publish_at=timezone.now() + timedelta(hours=2)
    )
    scheduled_media = MediaFactory(owner=user)
    Media.objects.filter(pk=scheduled_media.pk).update(scheduled_post=scheduled)
    unattached = MediaFactory(owner=user)
    FollowFactory(follower=other_user, followee=user)
    requester = UserFactory()
    FollowRequest.objects.create(requester=requester, target=user)
    return {
        "owner": user.pk,
        "other": other_user.pk,
        "post": post.pk,
        "comment": comment.pk,
        "scheduled": scheduled.pk,
        "media": unattached.pk,
        "scheduled_media": scheduled_media.pk,
        "requester": requester.pk,
        "notification": Notification.objects.create(
            recipient=user, type="follow", actor=other_user
        ).pk,
    }


def snapshot() -> dict:
    """Every column a client could hope to change, of every table the API writes."""
    return {
        "users": list(
            User.objects.order_by("pk").values(
                "pk",
                "username",
                "email",
                "display_name",
                "bio",
                "location",
                "website",
                "avatar",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
            )
        ),
        "tokens": list(AuthToken.objects.order_by("digest").values("digest", "user_id")),
        "follows": list(Follow.objects.order_by("pk").values("follower_id", "followee_id")),
        "follow_requests": list(
            FollowRequest.objects.order_by("pk").values("requester_id", "target_id")
        ),
        "blocks": list(Block.objects.order_by("pk").values("blocker_id", "blocked_id")),
        "mutes": list(Mute.objects.order_by("pk").values("muter_id", "muted_id")),
        "posts": list(Post.objects.order_by("pk").values("pk", "author_id", "text", "created_at")),
        "post_hashtags": list(PostHashtag.objects.order_by("pk").values("post_id", "hashtag_id")),
        "hashtags": list(Hashtag.objects.order_by("pk").values_list("name", flat=True)),
        "comments": list(Comment.objects.order_by("pk").values("pk", "author_id", "text")),
        "likes": list(Like.objects.order_by("pk").values("user_id", "post_id")),
        "media": list(
            Media.objects.order_by("pk").values(
                "pk", "owner_id", "post_id", "scheduled_post_id", "description", "file"
            )
        ),
        "scheduled": list(
            ScheduledPost.objects.order_by("pk").values(
                "pk", "author_id", "text", "publish_at", "status", "post_id"
            )
        ),
        "notifications": list(
            Notification.objects.order_by("pk").values("pk", "recipient_id", "type", "read")
        ),
    }


def png_upload(name="photo.png", data: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)
