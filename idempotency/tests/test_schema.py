"""The OpenAPI document tells clients about `Idempotency-Key` where the API honours it."""

import pytest
from drf_spectacular.generators import SchemaGenerator

IDEMPOTENT = [
    ("/api/v1/posts/", "post"),
    ("/api/v1/posts/{post_id}/comments/", "post"),
    ("/api/v1/scheduled-posts/", "post"),
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("path", "method"), IDEMPOTENT)
def test_the_creating_operations_document_the_header_and_its_answers(schema, path, method):
    operation = schema["paths"][path][method]
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    key = headers["Idempotency-Key"]
    assert not key.get("required", False)
    assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 255}
    assert "24 hours" in key["description"]
    responses = operation["responses"]
    for code in ("409", "422"):
        media = responses[code]["content"]["application/json"]
        assert media["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
        assert media["examples"]
    assert "Idempotent-Replayed" in responses["201"]["headers"]
    # The operation's own answers are still there.
    assert {"201", "400"} <= set(responses)


def test_other_operations_do_not_take_the_header(schema):
    taking = {
        (path, method)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        and any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert taking == set(IDEMPOTENT)
