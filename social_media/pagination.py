from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


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

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset = queryset  # for `decode_cursor`, which DRF gives no queryset
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's decoding, plus a check of the position the cursor carries.

        A cursor is base64 a client can forge. DRF answers undecodable ones with a 404, as if
        the list were missing, and lets a decodable one with a position of the wrong type
        (`p=abc` for a count, a NUL byte for a name) reach the database, which is a 500.
        Both are a malformed query parameter: a 400 naming `cursor`, like any other.
        """
        invalid = ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        if cursor is None or cursor.position is None:
            return cursor
        field = self._position_field()
        try:
            if "\x00" in cursor.position:
                raise ValueError("NUL")
            if field is not None:
                field.to_python(cursor.position)
        except (DjangoValidationError, ValueError, TypeError):
            raise invalid from None
        return cursor

    def _position_field(self):
        """The model or annotation field the first ordering key compares, if known."""
        queryset = getattr(self, "_queryset", None)
        if queryset is None or not self.ordering:
            return None
        name = self.ordering[0].lstrip("-")
        annotation = queryset.query.annotations.get(name)
        if annotation is not None:
            return annotation.output_field
        try:
            return queryset.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
