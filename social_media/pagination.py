"""Keyset ("cursor") pagination on the full ordering tuple.

DRF's own CursorPagination remembers only the first ordering value plus an offset among
rows that share it, and gives up past 1,000 such rows; ordering users by follower count
(where thousands share `0`) then repeats rows. Here a cursor carries the values of every
ordering field of the last (or first) row, and the next page is the rows strictly after that
tuple. Page 1,000 costs what page 1 costs, there is no COUNT, and no row is skipped or
repeated when rows are inserted between requests.
"""

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from social_media.datetimes import within_utc_range

EXAMPLE_PAGE_URL = "https://api.example.com/api/v1/posts/?cursor=eyJ2IjpbIjIwMjYtMTEtMjhUMTI6MDA6MDBaIiwgNDJdfQ%3D%3D"


class CursorPagination(BasePagination):
    """A view picks its order with `cursor_ordering`, a tuple of non-null fields (or
    annotations) ending in a unique key; an `OrderingFilter` on the view wins, which is how
    `?ordering=` on user search works."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = settings.PAGE_SIZE
    max_page_size = settings.MAX_PAGE_SIZE
    ordering = ("-created_at", "-id")
    invalid_cursor_message = "Invalid cursor: follow the `next` and `previous` links."
    invalid_page_size_message = f"A whole number from 1 to {settings.MAX_PAGE_SIZE} is required."

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_page_size(request)
        self.fields = self.get_ordering(request, queryset, view)
        position, backwards = self.decode_cursor(request, queryset)

        order = [self._inverted(f) for f in self.fields] if backwards else list(self.fields)
        queryset = queryset.order_by(*order)
        if position is not None:
            queryset = queryset.filter(self._after(order, position))
        rows = list(queryset[: self.limit + 1])
        more = len(rows) > self.limit
        rows = rows[: self.limit]
        if backwards:
            rows.reverse()

        self.next_position = self._position_of(rows[-1]) if rows and (more or backwards) else None
        self.previous_position = (
            self._position_of(rows[0])
            if rows and ((more and backwards) or (position is not None and not backwards))
            else None
        )
        if position is not None and not rows and not backwards:
            # Past the end (e.g. the last rows were deleted): offer the way back.
            self.previous_position = position
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.next_position, backwards=False),
                "previous": self._link(self.previous_position, backwards=True),
                "results": data,
            }
        )

    def get_page_size(self, request):
        requested = request.query_params.get(self.page_size_query_param)
        if requested is None:
            return self.page_size
        # ASCII digits only: `int()` would also take "1_000", " 5" or other scripts' digits.
        # Out of range is refused, not cut to size or replaced by the default: a client learns
        # of its mistake instead of reading a page of another size than it asked for.
        valid = requested.isascii() and requested.isdigit()
        if not valid or not 1 <= int(requested) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [self.invalid_page_size_message]})
        return int(requested)

    def get_ordering(self, request, queryset, view):
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                if ordering:
                    return tuple(ordering)
        return tuple(getattr(view, "cursor_ordering", None) or self.ordering)

    # --- cursors -------------------------------------------------------------------------

    def decode_cursor(self, request, queryset):
        """The position a cursor carries, each value parsed by its field, or a 400.

        A cursor is base64 a client can forge; a wrong shape or a value of the wrong type
        (text for a count, a NUL byte) is a malformed query parameter, not a 404 or a 500.
        """
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        try:
            cursor = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            values, backwards = cursor["v"], cursor.get("r", False)
            if not isinstance(values, list) or len(values) != len(self.fields):
                raise ValueError("wrong length")
            position = [
                self._field(queryset, name).to_python(value)
                for name, value in zip(self._names(), values, strict=True)
            ]
            if any(v is None or "\x00" in str(v) for v in position):
                raise ValueError("null or NUL")
            if any(isinstance(v, datetime) and not within_utc_range(v) for v in position):
                # Forged: every row's time has a UTC equivalent, which the query needs.
                raise ValueError("beyond UTC")
        except (
            binascii.Error,
            UnicodeError,
            ValueError,
            TypeError,
            KeyError,
            DjangoValidationError,
            FieldDoesNotExist,
        ):
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None
        return position, bool(backwards)

    def _link(self, position, *, backwards):
        if position is None:
            return None
        payload = {"v": [self._jsonable(v) for v in position]}
        if backwards:
            payload["r"] = True
        cursor = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode("ascii")
        scheme, netloc, path, query, fragment = urlsplit(self.request.build_absolute_uri())
        params = [(k, v) for k, v in parse_qsl(query) if k != self.cursor_query_param]
        params.append((self.cursor_query_param, cursor))
        return urlunsplit((scheme, netloc, path, urlencode(params), fragment))

    # --- ordering helpers ----------------------------------------------------------------

    def _names(self):
        return [f.lstrip("-") for f in self.fields]

    def _position_of(self, row):
        # Rows are model instances, or dicts where a list reads `values()` (the post lists).
        if isinstance(row, dict):
            return [row[name] for name in self._names()]
        return [getattr(row, name) for name in self._names()]

    @staticmethod
    def _inverted(field):
        return field[1:] if field.startswith("-") else f"-{field}"

    @staticmethod
    def _field(queryset, name):
        annotation = queryset.query.annotations.get(name)
        if annotation is not None:
            return annotation.output_field
        return queryset.model._meta.get_field(name)

    @staticmethod
    def _after(order, position):
        """Rows strictly after `position` in `order`: (a, b) > (x, y) spelled out.

        The extra bound on the first field alone (`a >= x`) is what lets PostgreSQL turn the
        condition into an index range instead of filtering the index from its start.
        """
        names = [f.lstrip("-") for f in order]
        ops = ["lt" if f.startswith("-") else "gt" for f in order]
        condition = Q()
        for i in range(len(order)):
            step = Q(**{f"{names[j]}": position[j] for j in range(i)})
            step &= Q(**{f"{names[i]}__{ops[i]}": position[i]})
            condition |= step
        bound = "lte" if ops[0] == "lt" else "gte"
        return Q(**{f"{names[0]}__{bound}": position[0]}) & condition

    @staticmethod
    def _jsonable(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    # --- OpenAPI ---------------------------------------------------------------------------

    def get_schema_operation_parameters(self, view):
        return [
            build_parameter_type(
                self.cursor_query_param,
                {"type": "string"},
                OpenApiParameter.QUERY,
                description=(
                    "Position in the list, opaque: take it from `next` or `previous`, never "
                    "build it. A cursor this API did not issue is a 400."
                ),
            ),
            build_parameter_type(
                self.page_size_query_param,
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
                OpenApiParameter.QUERY,
                description=(
                    f"Results per page: default {self.page_size}, at most {self.max_page_size}; "
                    "any other value is a 400."
                ),
            ),
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": EXAMPLE_PAGE_URL,
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": None,
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }
