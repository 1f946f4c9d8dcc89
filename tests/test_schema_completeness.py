"""The OpenAPI document is complete: every operation is tagged, explained and exemplified,
its errors are documented with their shapes, and every API route is in it.

These tests read the schema drf-spectacular generates from the code, so an endpoint added
without documentation fails here, not in a client developer's hands. Each test lists every
offending operation at once, so one run shows the whole to-do list.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

API_PREFIX = "/api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")
TAGS = {
    "Auth",
    "Users",
    "Follows",
    "Media",
    "Posts",
    "Hashtags",
    "Feed",
    "Likes",
    "Comments",
    "Reposts",
    "Bookmarks",
    "Scheduled posts",
    "Notifications",
    "Reports",
    "Blocks and mutes",
    "Follow requests",
    "Health",
}
# The health check takes no input, no token and is not throttled: no client error applies.
# Its failure answer is a documented 503 instead (checked below).
NO_CLIENT_ERRORS = {"GET /api/v1/health/"}
# Routes that serve the documentation itself, not API operations.
UNDOCUMENTED_ROUTES = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def has_example(media: dict) -> bool:
    return bool(media.get("examples") or "example" in media)


def problems_of(name: str, operation: dict) -> list[str]:
    problems = []
    if not (operation.get("summary") or "").strip():
        problems.append("no summary")
    if not (operation.get("description") or "").strip():
        problems.append("no description")
    tags = operation.get("tags") or []
    if not tags:
        problems.append("no tag")
    elif set(tags) - TAGS:
        problems.append(f"tag outside the resource groups: {sorted(set(tags) - TAGS)}")

    body = operation.get("requestBody")
    if body and not any(has_example(media) for media in body.get("content", {}).values()):
        problems.append("no request example")

    responses = operation.get("responses", {})
    success_bodies = [
        media
        for code, response in responses.items()
        if code.startswith("2")
        for media in response.get("content", {}).values()
    ]
    # A 204-only operation has no body to show; every other success body needs an example.
    if success_bodies and not any(has_example(media) for media in success_bodies):
        problems.append("no response example")

    errors = {code: r for code, r in responses.items() if code.startswith("4")}
    if name in NO_CLIENT_ERRORS:
        errors = {code: r for code, r in responses.items() if code.startswith("5")}
        if not errors:
            problems.append("no documented 5xx")
    elif not errors:
        problems.append("no documented 4xx")
    for code, response in sorted(errors.items()):
        if not response.get("content"):
            problems.append(f"{code} without a body shape")

    # Security without the anonymous `{}` alternative means a token is required: say 401.
    security = operation.get("security")
    token_required = security is not None and security and {} not in security
    if token_required and "401" not in responses:
        problems.append("needs a token but documents no 401")
    return problems


def test_every_operation_is_documented(schema):
    report = {}
    for name, operation in operations(schema):
        problems = problems_of(name, operation)
        if problems:
            report[name] = problems
    listing = "\n".join(f"  {name}: {', '.join(p)}" for name, p in sorted(report.items()))
    assert not report, f"{len(report)} operations are incompletely documented:\n{listing}"


def test_every_query_parameter_has_a_type_and_a_description(schema):
    report = []
    for name, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            label = f"{name} ?{parameter['name']}"
            if not (parameter.get("description") or "").strip():
                report.append(f"{label}: no description")
            if not parameter.get("schema", {}).get("type"):
                report.append(f"{label}: no type")
            if parameter["name"] == "page_size" and "maximum" not in parameter.get("schema", {}):
                report.append(f"{label}: no maximum")
    assert not report, "\n".join(report)


def test_every_paginated_list_says_how_to_page(schema):
    """Lists documented with `social_media.openapi.listing` end with the paging rules (page
    size, its maximum, follow `next`); one written by hand would leave them out."""
    report = []
    for name, operation in operations(schema):
        parameters = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if "cursor" in parameters and "follow `next`" not in operation.get("description", ""):
            report.append(name)
    assert not report, f"cursor-paginated without the paging rules: {sorted(report)}"


def test_token_scheme_tells_how_to_get_a_key(schema):
    schemes = schema["components"]["securitySchemes"]
    assert list(schemes) == ["tokenAuth"]
    token = schemes["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <key>" in token["description"]
    assert "/auth/login/" in token["description"]


def test_every_operation_id_is_unique(schema):
    ids = [operation["operationId"] for _, operation in operations(schema)]
    assert len(ids) == len(set(ids))


# --- Every route under /api/v1/ is in the schema, and nothing else is ---------------------

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_CONVERTER = re.compile(r"<(?:\w+:)?\w+>")


def _placeholders(regex: str) -> str:
    """`posts/(?P<pk>[^/.]+)/like/` → `posts/{}/like/` (groups may nest parentheses)."""
    out, position = [], 0
    for match in _NAMED_GROUP.finditer(regex):
        if match.start() < position:
            continue
        out.append(regex[position : match.start()])
        depth, index = 1, match.end()
        while depth:
            if regex[index] == "\\":
                index += 2
                continue
            depth += {"(": 1, ")": -1}.get(regex[index], 0)
            index += 1
        out.append("{}")
        position = index
    out.append(regex[position:])
    return "".join(out)


def _normalise_route(route: str) -> str:
    route = _CONVERTER.sub("{}", _placeholders(route))
    return "/" + route.replace("^", "").replace("$", "").replace(r"\Z", "")


def _view_methods(callback) -> set[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    # A view may refuse methods its router would map (`http_method_names`): those are 405s.
    allowed = set(getattr(view_class, "http_method_names", METHODS))
    actions = getattr(callback, "actions", None)  # a ViewSet bound to its routes
    if actions is not None:
        return {method for method in actions if method in METHODS and method in allowed}
    return {m for m in METHODS if m in allowed and view_class and hasattr(view_class, m)}


def routed_operations() -> set[str]:
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                path = _normalise_route(prefix + str(pattern.pattern))
                if path.startswith(API_PREFIX) and path not in UNDOCUMENTED_ROUTES:
                    found.update(f"{m.upper()} {path}" for m in _view_methods(pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def documented_operations(schema) -> set[str]:
    return {re.sub(r"\{[^}]+\}", "{}", name) for name, _ in operations(schema)}


def test_route_normalisation():
    assert _normalise_route("api/v1/^posts/(?P<pk>[^/.]+)/like/$") == "/api/v1/posts/{}/like/"
    assert _normalise_route("api/v1/^u/(?P<pk>(?:me|\\d+))/$") == "/api/v1/u/{}/"
    assert _normalise_route("api/v1/hashtags/<str:name>/posts/") == "/api/v1/hashtags/{}/posts/"


def test_every_api_route_is_in_the_schema(schema):
    routed = routed_operations()
    documented = documented_operations(schema)
    assert routed, "no routes found under /api/v1/"
    assert sorted(routed - documented) == [], "routes missing from the schema"
    assert sorted(documented - routed) == [], "schema operations without a route"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _example_values(schema):
    for name, operation in operations(schema):
        medias = list(operation.get("requestBody", {}).get("content", {}).values())
        for response in operation.get("responses", {}).values():
            medias.extend(response.get("content", {}).values())
        for media in medias:
            for example in (media.get("examples") or {}).values():
                yield name, example.get("value")
            if "example" in media:
                yield name, media["example"]


def test_example_urls_point_at_this_api(schema):
    """Examples are copied from real responses, so their URLs are this API's own (a page link
    under /api/v1/, a file under /media/), not a framework's placeholder."""
    paths = [
        re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        for path in schema["paths"]
    ]
    report = set()
    for name, value in _example_values(schema):
        for text in _strings(value):
            match = re.match(r"^https?://[^/]+(/[^?#]*)", text)
            if not match:
                continue
            path = match.group(1)
            if path.startswith("/media/") or any(p.match(path) for p in paths):
                continue
            report.add(f"{name}: {text}")
    assert not report, "\n".join(sorted(report))


def test_every_operation_that_takes_a_token_documents_its_401(schema):
    """A public operation sent a dead token answers 401 too (it never falls back to
    anonymous): the generated clients must know that answer."""
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if operation.get("security") and "401" not in operation["responses"]
    ]

    assert missing == []


@pytest.mark.django_db
def test_a_public_read_with_a_dead_token_is_the_documented_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    response = api_client.get("/api/v1/posts/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
