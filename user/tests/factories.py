import factory
from django.contrib.auth import get_user_model

from user.models import Follow

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def deactivate(account) -> None:
    """Deactivate an existing account the way an admin or a script does: an UPDATE, no save,
    so nothing in the app gets to react to it."""
    get_user_model().objects.filter(pk=account.pk).update(is_active=False)


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
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)
