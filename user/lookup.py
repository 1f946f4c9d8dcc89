from rest_framework.exceptions import NotAuthenticated, NotFound

# Larger ids cannot exist (bigint) and would overflow some backends' integer parameters.
MAX_ID_DIGITS = 18


def user_pk_from_path(request, value: str) -> int:
    """A `{user_id}` path segment as a primary key: `me` is the caller (401 when anonymous),
    digits are an id, anything else matches no user (404)."""
    if value == "me":
        if not request.user.is_authenticated:
            raise NotAuthenticated
        return request.user.pk
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    raise NotFound("No user with this id.")
