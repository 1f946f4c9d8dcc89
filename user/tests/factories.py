import factory
from django.contrib.auth import get_user_model

from social_media.counters import counters_set
from user.models import Follow, UserStats
from user.services.accounts import user_activity_set

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def deactivate(account) -> None:
    """Suspend an existing account the way moderation does (`user_activity_set`): reads hide
    it, and what it did leaves the totals."""
    user_activity_set(user=account, active=False)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user_{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com".lower())
    display_name = factory.Faker("name")
    bio = factory.Faker("sentence")
    location = factory.Faker("city")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class FollowFactory(factory.django.DjangoModelFactory):
    """A follow row, with both accounts' totals set again from the rows (as the services
    keep them)."""

    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        follow = super()._create(model_class, *args, **kwargs)
        counters_set(UserStats, [follow.follower_id, follow.followee_id])
        return follow
