"""`@idempotent`: `Idempotency-Key` support for a view's write, as the IETF httpapi draft
"The Idempotency-Key HTTP Header Field" describes it.

A request with the header claims the key for its user and operation (method and path), runs,
and stores its answer; a retry with the same key and body within `KEY_LIFETIME` gets that
answer again (with `Idempotent-Replayed: true`) and changes nothing. The same key with another
body is a 422, and while the first request still runs a 409. A request without the header is
untouched.

What is stored: 2xx answers and the client errors a retry would get again (400, 403, 404,
...). Not stored, so that a retry runs anew: server errors and exceptions, and the "try
again" client errors (408, 409, 423, 425, 429). Throttling and authentication run before the
view, so a 401 or 429 never claims a key.

The decorator also documents the header parameter, the 409 and 422 answers and the replay
header in the operation's OpenAPI schema.
"""

import functools
import hashlib
import json

from django.db import transaction
from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from idempotency.models import KEY_LIFETIME, KEY_MAX_LENGTH, PATH_MAX_LENGTH, IdempotencyKey
from idempotency.services import (
    idempotency_key_claim,
    idempotency_key_complete,
    idempotency_key_release,
)
from social_media.openapi import detail

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Client errors that say "not now" rather than "not this": a retry may succeed.
RETRYABLE_CLIENT_ERRORS = frozenset({408, 409, 423, 425, 429})
LIFETIME_HOURS = int(KEY_LIFETIME.total_seconds() // 3600)


class InvalidIdempotencyKey(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = f"The {HEADER} header must be 1 to {KEY_MAX_LENGTH} characters long."
    default_code = "invalid_idempotency_key"


class IdempotencyKeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        f"A request with this {HEADER} is still being processed; retry once it has finished."
    )
    default_code = "idempotency_key_in_use"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = f"This {HEADER} was already used with a different request body; use a new key."
    default_code = "idempotency_key_reused"


def stored(status_code: int) -> bool:
    return 200 <= status_code < 300 or (
        400 <= status_code < 500 and status_code not in RETRYABLE_CLIENT_ERRORS
    )


def _jsonable(value):
    # An uploaded file is known by what the client sent of it; its bytes are not read.
    return [type(value).__name__, getattr(value, "name", None), getattr(value, "size", None)]


def request_fingerprint(request) -> str:
    """The body as parsed, canonically serialised: key order and whitespace do not count."""
    data = request.data
    if isinstance(data, QueryDict):
        data = {name: data.getlist(name) for name in data}
    if hasattr(request, "FILES") and request.FILES:
        data = {
            "data": data,
            "files": {name: request.FILES.getlist(name) for name in request.FILES},
        }
    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(row: IdempotencyKey, fingerprint: str) -> Response:
    if row.status == IdempotencyKey.Status.IN_FLIGHT:
        raise IdempotencyKeyInUse
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    body = json.loads(row.response_body) if row.response_body else None
    return Response(body, status=row.response_status, headers={REPLAYED_HEADER: "true"})


def rendered(response) -> str:
    data = getattr(response, "data", None)
    return "" if data is None else JSONRenderer().render(data).decode()


# --- OpenAPI ----------------------------------------------------------------------------

PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
    OpenApiParameter.HEADER,
    description=(
        f"Optional, any string of 1 to {KEY_MAX_LENGTH} characters (a UUID is a good choice); "
        f"longer is a 400. A retry with the same key and the same body within "
        f"{LIFETIME_HOURS} hours creates nothing and gets the first answer again, with the same "
        f"status and body and `{REPLAYED_HEADER}: true`. Keys are per user and per operation "
        "(method and path). Successful answers and client errors (other than 408, 409, 423, "
        "425 and 429) are kept; after a server error the key is free for a retry."
    ),
)
RESPONSES = {
    "409": detail(
        f"A request with the same `{HEADER}` is still being processed.",
        IdempotencyKeyInUse.default_detail,
        "Idempotency key in use",
    ),
    "422": detail(
        f"The `{HEADER}` was already used with a different body.",
        IdempotencyKeyReused.default_detail,
        "Idempotency key reused",
    ),
}


class IdempotentSchemaMixin:
    """Adds what `@idempotent` answers to whatever the operation's own schema says (its
    `extend_schema` responses replace, rather than extend, a method's)."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), PARAMETER]

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, response in RESPONSES.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(response, code, direction=direction)
        for code, body in bodies.items():
            if code.startswith("2"):
                body.setdefault("headers", {})[REPLAYED_HEADER] = {
                    "schema": {"type": "string", "enum": ["true"]},
                    "description": f"Present on a replay of an `{HEADER}`'s first answer.",
                }
        return bodies


# --- The decorator -----------------------------------------------------------------------


def idempotent(view_method):
    """Decorate a viewset's write method (`create`); see the module's docstring."""

    @functools.wraps(view_method)
    def handler(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        # Keys belong to a user; a view open to anonymous writes runs without one.
        if key is None or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        if not 0 < len(key) <= KEY_MAX_LENGTH:
            raise InvalidIdempotencyKey
        if len(request.path) > PATH_MAX_LENGTH:
            # No post id is this long; the key could not be stored with it.
            raise InvalidIdempotencyKey(f"A {HEADER} cannot be used on this path.")
        fingerprint = request_fingerprint(request)
        row, claimed = idempotency_key_claim(
            user=request.user,
            key=key,
            method=request.method,
            path=request.path,
            fingerprint=fingerprint,
        )
        if row is None:
            raise IdempotencyKeyInUse
        if not claimed:
            return replay(row, fingerprint)
        try:
            # The answer is stored in the transaction that makes the post: a process that dies
            # in between leaves neither, only the claim, which a retry takes over once its
            # lease ends. So a retry never makes a second post.
            with transaction.atomic():
                try:
                    response = view_method(self, request, *args, **kwargs)
                except Exception as error:
                    # DRF's exceptions become their answers here, so a 400 or 404 is stored
                    # like any answer; anything else propagates (a 500) after the release.
                    response = self.handle_exception(error)
                keep = stored(response.status_code)
                if keep:
                    idempotency_key_complete(
                        claim=row, status=response.status_code, body=rendered(response)
                    )
        except BaseException:
            idempotency_key_release(claim=row)
            raise
        if not keep:
            idempotency_key_release(claim=row)
        return response

    handler.kwargs = {**getattr(view_method, "kwargs", {})}
    base = handler.kwargs.get("schema") or api_settings.DEFAULT_SCHEMA_CLASS
    handler.kwargs["schema"] = type("IdempotentSchema", (IdempotentSchemaMixin, base), {})
    return handler


class IdempotentCreateMixin:
    """`@idempotent` for a `create` the view inherits (from `CreateModelMixin`); list it
    before that mixin."""

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
