"""Checks a rendered response against the OpenAPI component that documents it.

The components come from the schema drf-spectacular generates out of the serializers'
declared fields, so a representation that drifts from its declaration (a key added, dropped,
renamed or of another type) fails here. The check is strict: every documented property must
be present, nothing undocumented may be, and nested components are checked the same way.
"""

import copy
from functools import cache

from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = "urn:api-schema"


@cache
def components() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def _strict(node):
    """OpenAPI 3.0's `nullable` as JSON Schema, every object closed and fully required."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict(value) for key, value in node.items()}
    if "$ref" in node:
        node["$ref"] = ROOT + node["$ref"]
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    if node.get("type") == "object" and "properties" in node:
        node["additionalProperties"] = False
        node["required"] = sorted(node["properties"])
    return node


@cache
def _validator(name: str) -> Draft202012Validator:
    document = _strict({"components": {"schemas": copy.deepcopy(components())}})
    registry = Registry().with_resource(ROOT, Resource(document, specification=DRAFT202012))
    schema = {"$ref": f"{ROOT}#/components/schemas/{name}"}
    return Draft202012Validator(schema, registry=registry)


def shape_problems(name: str, value) -> list[str]:
    """Every way `value` differs from the component `name`; empty when it matches."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in _validator(name).iter_errors(value)
    ]
