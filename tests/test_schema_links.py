"""What the live fuzzer's stateful phase (tests/security/test_fuzz_live.py) reads from the
schema besides the operations: OpenAPI links between them, and which query parameters may be
sent empty."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from social_media.schema_hooks import LINKS


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def by_operation_id(schema) -> dict:
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


def test_links_lead_from_created_objects_to_the_operations_on_them(schema):
    operations = by_operation_id(schema)
    created = operations["posts_create"][2]["responses"]["201"]["links"]

    assert created["posts_retrieve"] == {
        "operationId": "posts_retrieve",
        "parameters": {"id": "$response.body#/id"},
    }
    assert created["posts_comments_create"]["parameters"] == {"post_id": "$response.body#/id"}
    for (source, status), links in LINKS.items():
        documented = operations[source][2]["responses"][status]["links"]
        for target, fields in links:
            assert documented[target]["operationId"] == target
            path = operations[target][0]
            # Every parameter a link fills is one of its target's path parameters.
            for name in fields.get("parameters", {}):
                assert f"{{{name}}}" in path, (source, target, name)


@pytest.mark.django_db
def test_a_filter_sent_empty_is_documented_as_allowed_and_answered_as_no_filter(
    schema, auth_client
):
    allowed = {
        (path, parameter["name"])
        for path, item in schema["paths"].items()
        for parameter in item.get("get", {}).get("parameters", [])
        if parameter.get("allowEmptyValue")
    }

    assert {
        ("/api/v1/posts/", "created_before"),
        ("/api/v1/posts/", "author"),
        ("/api/v1/users/", "ordering"),
        ("/api/v1/scheduled-posts/", "status"),
    } <= allowed
    for path, name in allowed:
        assert auth_client.get(path, {name: ""}).status_code == 200, (path, name)
    # Not the paging parameters: an empty cursor or page size is a mistake.
    assert not {name for _, name in allowed} & {"cursor", "page_size"}


def test_every_operation_with_parameters_documents_the_servers_uri_too_long(schema):
    # gunicorn answers a request line over 4094 bytes itself (runserver over 64 kB), in HTML,
    # before the API runs: a long enough `?id=` list or search got an undocumented 414.
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        and operation.get("parameters")
        and "text/html" not in operation["responses"].get("414", {}).get("content", {})
    ]

    assert not missing, missing
