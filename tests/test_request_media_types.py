"""Every operation with a body declares exactly one request media type.

A client generator makes one body per declared media type: with JSON, form and multipart
declared alike, the generated code sent all three and every JSON POST came back 400. JSON is
the API's body; only the two file uploads are `multipart/form-data`.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

MULTIPART = {
    "POST /api/v1/media/",
    "PUT /api/v1/users/{id}/avatar/",
}


@pytest.fixture(scope="module")
def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_request_body_has_one_media_type_json_or_multipart_for_uploads(operations):
    declared = {
        name: list(operation["requestBody"]["content"])
        for name, operation in operations.items()
        if "requestBody" in operation
    }
    expected = {
        name: ["multipart/form-data" if name in MULTIPART else "application/json"]
        for name in declared
    }

    assert declared == expected
    assert set(declared) >= MULTIPART


def test_the_profile_edit_documents_no_avatar_and_the_avatar_upload_requires_one(operations):
    def body_schema(name):
        content = operations[name]["requestBody"]["content"]
        (media,) = content.values()
        ref = media["schema"]["$ref"].rsplit("/", 1)[-1]
        return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"][ref]

    for name in ("PUT /api/v1/users/{id}/", "PATCH /api/v1/users/{id}/"):
        assert "avatar" not in body_schema(name)["properties"], name
    upload = body_schema("PUT /api/v1/users/{id}/avatar/")
    assert upload["required"] == ["avatar"]
    assert upload["properties"]["avatar"]["format"] == "binary"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["multipart", "urlencoded"])
def test_a_form_body_to_a_json_operation_is_a_json_415(auth_client, fmt):
    if fmt == "multipart":
        response = auth_client.post("/api/v1/posts/", {"text": "hi"}, format="multipart")
    else:
        response = auth_client.post(
            "/api/v1/posts/", "text=hi", content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 415
    assert "detail" in response.json()
