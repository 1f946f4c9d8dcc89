import django_filters
from django import forms

from post.hashtags import normalize_hashtag
from post.models import ScheduledPost
from post.serializers.posts import MAX_ID
from social_media.datetimes import validate_within_utc_range


class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField


class PostFilter(django_filters.FilterSet):
    author = IdFilter(
        field_name="author_id", min_value=1, max_value=MAX_ID, help_text="An author's user id."
    )
    hashtag = django_filters.CharFilter(
        method="filter_hashtag",
        max_length=51,
        help_text="Posts carrying this tag; with or without `#`, any case.",
    )
    search = django_filters.CharFilter(
        field_name="text",
        lookup_expr="icontains",
        max_length=200,
        help_text="Posts whose text contains this, case-insensitively.",
    )
    created_after = django_filters.IsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        validators=[validate_within_utc_range],
        help_text="ISO 8601 timestamp; posts created at or after it.",
    )
    created_before = django_filters.IsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        validators=[validate_within_utc_range],
        help_text="ISO 8601 timestamp; posts created strictly before it.",
    )

    def filter_hashtag(self, queryset, name, value):
        return queryset.tagged(normalize_hashtag(value))


class HashtagFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=51,
        help_text="Tags starting with this, case-insensitively; a leading `#` is ignored.",
    )

    def filter_search(self, queryset, name, value):
        return queryset.prefixed(normalize_hashtag(value))


class ScheduledPostFilter(django_filters.FilterSet):
    # An unknown value is a 400 naming the choices, not an empty page that hides a typo.
    status = django_filters.ChoiceFilter(
        choices=ScheduledPost.Status.choices,
        help_text="Only scheduled posts in this state.",
    )

    class Meta:
        model = ScheduledPost
        fields = ["status"]
