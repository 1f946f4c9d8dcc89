import django_filters

from post.models import ScheduledPost


class ScheduledPostFilter(django_filters.FilterSet):
    # An unknown value is a 400 naming the choices, not an empty page that hides a typo.
    status = django_filters.ChoiceFilter(
        choices=ScheduledPost.Status.choices,
        help_text="Only scheduled posts in this state.",
    )

    class Meta:
        model = ScheduledPost
        fields = ["status"]
