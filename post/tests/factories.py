import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from post.models import Comment, Hashtag, Like, Media, Post, ScheduledPost
from social_media.counters import counters_set
from user.models import UserStats
from user.tests.factories import UserFactory


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


class HashtagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hashtag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class CountedFactory(factory.django.DjangoModelFactory):
    """A row written straight to the table, with the totals it counts in set again from the
    rows, as the services keep them (`counted(row)` names them: model → ids)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super()._create(model_class, *args, **kwargs)
        for model, ids in cls.counted(row).items():
            counters_set(model, ids)
        return row

    @staticmethod
    def counted(row) -> dict:
        raise NotImplementedError


class PostFactory(CountedFactory):
    """A post row. It does not parse hashtags: use `post.services.post_create` for that."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")

    @staticmethod
    def counted(row):
        return {UserStats: [row.author_id], Post: [row.repost_of_id]}


class MediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Media

    owner = factory.SubFactory(UserFactory)
    file = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="image.png"))
    thumbnail = factory.LazyFunction(lambda: ContentFile(image_bytes(size=(32, 24)), name="t.png"))
    width = 64
    height = 48
    description = "A red rectangle"


class LikeFactory(CountedFactory):
    class Meta:
        model = Like

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)

    @staticmethod
    def counted(row):
        return {Post: [row.post_id]}


class CommentFactory(CountedFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")

    @staticmethod
    def counted(row):
        return {Post: [row.post_id], Comment: [row.in_reply_to_id]}


class ScheduledPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduledPost

    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")
    publish_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
