"""drf-spectacular post-processing: answers every operation shares, documented once."""

INVALID_CURSOR = {
    "description": "The `cursor` is not one this API issued (clients follow `next`).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"cursor": {"type": "array", "items": {"type": "string"}}},
            },
            "examples": {"InvalidCursor": {"value": {"cursor": ["Invalid cursor"]}}},
        }
    },
}


def document_invalid_cursor(result, generator, request, public):
    """Every cursor-paginated list answers a forged `cursor` with a 400; operations that
    document no 400 of their own get this one. (Where a 400 is documented, its shape is a
    field-error object that already admits `cursor`.)"""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            parameters = operation.get("parameters", [])
            if any(p.get("in") == "query" and p.get("name") == "cursor" for p in parameters):
                operation.setdefault("responses", {}).setdefault("400", INVALID_CURSOR)
    return result
