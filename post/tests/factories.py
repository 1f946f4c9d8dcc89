import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from post.models import Comment, Hashtag, Like, Media, Post, ScheduledPost
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


class PostFactory(factory.django.DjangoModelFactory):
    """A post row. It does not parse hashtags: use `post.services.post_create` for that."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")


class MediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Media

    owner = factory.SubFactory(UserFactory)
    file = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="image.png"))
    thumbnail = factory.LazyFunction(lambda: ContentFile(image_bytes(size=(32, 24)), name="t.png"))
    width = 64
    height = 48
    description = "A red rectangle"


class LikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Like

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")


class ScheduledPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduledPost

    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")
    publish_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
