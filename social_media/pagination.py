from django.conf import settings
from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination for every list: page 1,000 costs what page 1 costs, no COUNT.

    A view picks its order with `cursor_ordering` (a tuple ending in a unique key, so the
    cursor never skips or repeats rows that share a timestamp); an `OrderingFilter` on the
    view still wins, which is how `?ordering=` on user search keeps working.
    """

    page_size = settings.PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.MAX_PAGE_SIZE
    ordering = ("-created_at", "-id")

    def get_ordering(self, request, queryset, view):
        view_ordering = getattr(view, "cursor_ordering", None)
        if view_ordering and not any(
            hasattr(backend, "get_ordering") for backend in view.filter_backends
        ):
            return tuple(view_ordering)
        return super().get_ordering(request, queryset, view)
