import django_filters
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter

from .models import User


def _column_filter(name: str, lookup_expr: str, help_text: str) -> django_filters.CharFilter:
    """A filter on one of the user's text columns, limited to the column's length: a longer
    value could match nothing, so it is a 400 rather than a query."""
    max_length = User._meta.get_field(name).max_length
    return django_filters.CharFilter(
        field_name=name, lookup_expr=lookup_expr, max_length=max_length, help_text=help_text
    )


class UserFilter(django_filters.FilterSet):
    username = _column_filter("username", "iexact", "Exact username, case-insensitive.")
    location = _column_filter("location", "icontains", "Part of the location, case-insensitive.")

    class Meta:
        model = User
        fields = ["username", "location"]


SEARCH_MAX_LENGTH = 200


class UserSearchFilter(SearchFilter):
    search_description = (
        "Words that must each appear in the username, display name or bio (any case)."
    )

    def get_search_terms(self, request):
        # Every term is three ILIKE clauses: an unbounded query is unbounded work (API4).
        query = request.query_params.get(self.search_param, "")
        if len(query) > SEARCH_MAX_LENGTH:
            raise ValidationError({self.search_param: [f"At most {SEARCH_MAX_LENGTH} characters."]})
        # DRF refuses a NUL character with a bare list; keep the documented shape
        # `{"search": ["..."]}` like every other invalid query parameter.
        try:
            return super().get_search_terms(request)
        except ValidationError as error:
            raise ValidationError({self.search_param: error.detail}) from None


class UserOrderingFilter(OrderingFilter):
    """`?ordering=` limited to the three orders the API promises, each with a unique tiebreak.

    The cursor paginator takes its order from here. Ending every order in `id` makes the
    order total, so rows that share a value (many users have 0 followers) come out in one
    stable sequence from page to page.
    """

    choices = {
        "username": ("username", "id"),
        "-date_joined": ("-date_joined", "-id"),
        "-followers_count": ("-followers_count", "-id"),
    }
    default = "-date_joined"

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get(self.ordering_param, "").strip() or self.default
        # Refused, not ignored as DRF's filter does: a client asking for an order the API does
        # not have would otherwise page through another order without knowing it.
        if requested not in self.choices:
            message = f"Not one of: {', '.join(self.choices)}."
            raise ValidationError({self.ordering_param: [message]})
        return list(self.choices[requested])

    def get_schema_operation_parameters(self, view):
        return [
            build_parameter_type(
                self.ordering_param,
                # The enum in the schema itself: `enum=` would sort it, the order here is the
                # one the description reads in.
                {"type": "string", "enum": list(self.choices)},
                OpenApiParameter.QUERY,
                description=(
                    "Order of the results: `username` (A to Z), `-date_joined` (newest "
                    "accounts first, the default) or `-followers_count` (most followed first)."
                ),
            )
        ]
