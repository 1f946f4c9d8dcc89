"""drf-spectacular post-processing: answers and headers many operations share, documented once.

Which operations get them is read from the schema (a token required: 401) or from the views
themselves (a throttle beyond the API-wide ones: 429; any throttle: the `RateLimit-*`
headers), never listed by hand, so a new view is documented like its neighbours without
anyone remembering to.
"""

import copy

from django.conf import settings
from drf_spectacular.plumbing import build_mock_request
from rest_framework.settings import api_settings

from .throttling import NEVER_REFUSES

ERROR_DETAIL = {"$ref": "#/components/schemas/ErrorDetail"}


def _detail_answer(description: str, example: str, name: str, summary: str | None = None):
    example_object = {"value": {"detail": example}}
    if summary:
        example_object["summary"] = summary
    return {
        "content": {
            "application/json": {"schema": ERROR_DETAIL, "examples": {name: example_object}}
        },
        "description": description,
    }


UNAUTHENTICATED = _detail_answer(
    "No token, or an unknown, expired or revoked one (`WWW-Authenticate: Token`).",
    "Authentication credentials were not provided.",
    "NotAuthenticated",
    "Not authenticated",
)
REFUSED_TOKEN = _detail_answer(
    "A token was sent and it is unknown, expired or revoked (`WWW-Authenticate: Token`); "
    "without one this operation is public.",
    "Invalid token.",
    "InvalidToken",
    "Invalid token",
)


def _invalid_cursor(message: str) -> dict:
    messages = {"type": "array", "items": {"type": "string"}}
    return {
        "description": (
            "The `cursor` is not one this API issued (clients follow `next`), or `page_size` "
            "is out of range."
        ),
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"cursor": messages, "page_size": messages},
                },
                "examples": {"InvalidCursor": {"value": {"cursor": [message]}}},
            }
        },
    }


def _operations(result):
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                yield operation


def document_invalid_cursor(result, generator, request, public):
    """Every cursor-paginated list answers a forged `cursor` or a `page_size` out of range
    with a 400; operations that document no 400 of their own get this one. (Where a 400 is
    documented, its shape is a field-error object that already admits both.)"""
    answer = _invalid_cursor(str(api_settings.DEFAULT_PAGINATION_CLASS.invalid_cursor_message))
    for operation in _operations(result):
        parameters = operation.get("parameters", [])
        if any(p.get("in") == "query" and p.get("name") == "cursor" for p in parameters):
            operation.setdefault("responses", {}).setdefault("400", copy.deepcopy(answer))
    return result


def document_unauthenticated(result, generator, request, public):
    """An operation whose security has no anonymous alternative (`{}`) needs a token: 401.
    A public one takes a token too, and answers 401 when the one it is sent is unknown,
    expired or revoked (it never falls back to anonymous, which would hide a lost session);
    operations that also answer 401 in another case (`me` without a token) say so
    themselves."""
    for operation in _operations(result):
        security = operation.get("security")
        if not security:
            continue
        answer = UNAUTHENTICATED if {} not in security else REFUSED_TOKEN
        operation.setdefault("responses", {}).setdefault("401", copy.deepcopy(answer))
    return result


URI_TOO_LONG = {
    "description": (
        "The URL is too long: gunicorn refuses a request line (method, path and query string) "
        "over 4094 bytes itself, as an HTML page, before the API runs (`make run`'s server "
        "over 64 kB)."
    ),
    "content": {
        "text/html": {
            "schema": {"type": "string"},
            "example": "<html><head><title>URI Too Long</title></head>…</html>",
        }
    },
}


UNSUPPORTED_MEDIA_TYPE = _detail_answer(
    "The body is not of the operation's media type (`Content-Type` missing, or another one): "
    "nothing is read or written.",
    'Unsupported media type "text/plain" in request.',
    "UnsupportedMediaType",
)


def document_unsupported_media_type(result, generator, request, public):
    """Every operation that reads a body accepts one media type; any other is a 415."""
    for operation in _operations(result):
        if operation.get("requestBody"):
            operation.setdefault("responses", {}).setdefault(
                "415", copy.deepcopy(UNSUPPORTED_MEDIA_TYPE)
            )
    return result


def document_uri_too_long(result, generator, request, public):
    """Every operation with parameters can be sent a URL longer than the web server reads."""
    for operation in _operations(result):
        if operation.get("parameters"):
            operation.setdefault("responses", {}).setdefault("414", copy.deepcopy(URI_TOO_LONG))
    return result


def _filter_parameters(view) -> set[str]:
    """The query parameters of `view`'s filters (django-filter, search, ordering)."""
    names = set()
    filterset = getattr(view, "filterset_class", None)
    if filterset is not None:
        names.update(filterset.base_filters)
    for backend in getattr(view, "filter_backends", []):
        for attribute in ("search_param", "ordering_param"):
            if hasattr(backend, attribute):
                names.add(getattr(backend, attribute))
    return names


def document_empty_filters(result, generator, request, public):
    """A filter sent empty (`?created_before=`, as a form sends a field left blank) is the
    same as no filter at all, so its parameter allows an empty value: without it, an empty
    date or enum would be invalid by the schema, yet answered with a 200."""
    for operation, view in _operations_and_views(result, generator):
        names = _filter_parameters(view)
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and parameter["name"] in names:
                parameter["allowEmptyValue"] = True
    return result


def _scopes(view) -> list[str]:
    """The scopes of the rate limits a request to `view` counts against (a throttle that
    only counts refuses nothing: no limit of the client's)."""
    scopes = []
    for throttle in view.get_throttles():
        scope = getattr(throttle, "scope", None) or getattr(view, "throttle_scope", None)
        if scope and scope not in NEVER_REFUSES and settings.THROTTLE_RATES.get(scope):
            scopes.append(scope)
    return scopes


def _limits(view) -> list[str]:
    """Every rate limit a request to `view` counts against, with its current rate."""
    return [
        f"`{scope}`: {settings.THROTTLE_RATES[scope]} (`THROTTLE_{scope.upper()}`)"
        for scope in _scopes(view)
    ]


def _operations_and_views(result, generator):
    """Each documented operation with its view, set up as for a request to it (the action
    chosen), since some views pick their throttles per action."""
    for path, _, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        operation = result.get("paths", {}).get(path, {}).get(method.lower())
        if operation is None:
            continue
        view.request = build_mock_request(method, path, view, None)
        yield operation, view


def document_throttled(result, generator, request, public):
    """Every operation with a rate limit answers 429 past it. Every request counts against
    the per-user or per-address limit, and some operations against one of their own (an
    avatar in a profile edit against the uploads' limit, say); the limits and their current
    rates come from the views and settings."""
    for operation, view in _operations_and_views(result, generator):
        limits = _limits(view)
        if limits:
            answer = _detail_answer(
                f"Too many requests (limits: {'; '.join(limits)}); the `Retry-After` header "
                "says how many seconds to wait.",
                "Request was throttled. Expected available in 42 seconds.",
                "Throttled",
            )
            operation.setdefault("responses", {}).setdefault("429", answer)
    return result


def _header(description: str, minimum: int, required: bool) -> dict:
    return {
        "description": description,
        "required": required,
        "schema": {"type": "integer", "minimum": minimum},
    }


RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": (
        "Requests allowed per window by the caller's limit closest to running out (of all "
        "the limits this request counted against).",
        1,
    ),
    "RateLimit-Remaining": ("Requests left in the current window of that limit.", 0),
    "RateLimit-Reset": ("Seconds until that limit's window ends and it starts over.", 1),
}
RETRY_AFTER = _header("Seconds to wait before trying again.", 1, required=True)

# Answers that can come before the rate limits are consulted, so without the headers: a
# missing token (401) or a refused permission (403) is checked first, an oversized or
# malformed body (413, 400) is refused by middleware before any view runs, a path
# parameter no route accepts (`/posts/0.5/`) is a 404 before any view either, and an
# overlong URL (414) never reaches Django.
MAY_PRECEDE_COUNTING = {"400", "401", "403", "404", "413", "414"}


def document_rate_limit_headers(result, generator, request, public):
    """Every operation with a throttle sends the `RateLimit-*` headers, its 429s `Retry-After`
    too. Registered last, so the answers the hooks above add get them as well."""
    for operation, view in _operations_and_views(result, generator):
        if not _scopes(view):
            continue
        for status, response in operation.get("responses", {}).items():
            headers = response.setdefault("headers", {})
            required = status not in MAY_PRECEDE_COUNTING
            for name, (description, minimum) in RATE_LIMIT_HEADERS.items():
                headers.setdefault(name, _header(description, minimum, required))
            if status == "429":
                headers.setdefault("Retry-After", copy.deepcopy(RETRY_AFTER))
    return result


def _links_to(targets: tuple[str, ...], parameter: str) -> list[tuple[str, dict]]:
    return [(target, {"parameters": {parameter: "$response.body#/id"}}) for target in targets]


# What a client (and schemathesis' stateful phase) does next with what an operation answers:
# operationId and status -> (target operationId, link fields). OpenAPI links, since
# drf-spectacular writes none.
_POST = ("posts_retrieve", "posts_update", "posts_partial_update", "posts_destroy")
_POST_PARTS = ("posts_like_create", "posts_like_destroy")
_POST_LISTS = ("posts_comments_list", "posts_comments_create", "posts_likes_list")
_COMMENT = ("comments_retrieve", "comments_update", "comments_partial_update", "comments_destroy")
_SCHEDULED = ("scheduled_posts_retrieve", "scheduled_posts_partial_update")
LINKS = {
    ("posts_create", "201"): [
        *_links_to(_POST + _POST_PARTS, "id"),
        *_links_to(_POST_LISTS, "post_id"),
    ],
    ("posts_comments_create", "201"): _links_to(_COMMENT, "id"),
    ("scheduled_posts_create", "201"): _links_to((*_SCHEDULED, "scheduled_posts_destroy"), "id"),
    ("media_create", "201"): [
        (
            "posts_create",
            {"requestBody": {"text": "A picture", "media_ids": ["$response.body#/id"]}},
        )
    ],
    ("auth_register_create", "201"): [
        (
            "auth_login_create",
            {
                "requestBody": {
                    "email": "$request.body#/email",
                    "password": "$request.body#/password",
                }
            },
        )
    ],
}


def document_links(result, generator, request, public):
    """The OpenAPI `links` of LINKS: each names its target by operationId."""
    by_id = {operation["operationId"]: operation for operation in _operations(result)}
    for (source, status), links in LINKS.items():
        response = by_id[source]["responses"][status]
        for target, fields in links:
            response.setdefault("links", {})[target] = {"operationId": target, **fields}
    return result
