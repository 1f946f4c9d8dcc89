import django_filters

from notifications.models import Notification


class TypeListFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated types; an unknown one is a 400 naming it, not an empty page."""


class NotificationFilter(django_filters.FilterSet):
    types = TypeListFilter(
        field_name="type",
        choices=Notification.Type.choices,
        help_text="Only these types, comma-separated: `?types=like,follow`.",
    )
    # A choice, not a BooleanFilter: that one reads `maybe` as no filter at all.
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        help_text="`true`: only unread notifications; `false`: only read ones.",
    )

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read=value != "true")
