"""OpenAPI documentation of follows and follower lists."""

from drf_spectacular.utils import extend_schema

from social_media.openapi import ME_WITHOUT_TOKEN, PAGINATION, field_errors, invalid
from user.openapi.common import FOLLOWS, NO_CONTENT, NOT_FOUND, USER_ID
from user.serializers import UserSerializer

follow = extend_schema(
    tags=[FOLLOWS],
    summary="Follow a user",
    description=(
        "Starts following `{id}`: `201` when the follow is new, `200` when it already "
        "existed (safe to repeat). Returns the followed user with updated counts."
    ),
    parameters=[USER_ID],
    request=None,
    responses={
        200: UserSerializer,
        201: UserSerializer,
        400: invalid(
            field_errors("FollowValidationError", []),
            "`{id}` is the caller.",
            {"Self": {"non_field_errors": ["You cannot follow yourself."]}},
        ),
        404: NOT_FOUND,
    },
)

unfollow = extend_schema(
    tags=[FOLLOWS],
    summary="Unfollow a user",
    description="Stops following `{id}`; `204` also when the caller was not following.",
    parameters=[USER_ID],
    request=None,
    responses={204: NO_CONTENT, 404: NOT_FOUND},
)

_follow_list_responses = {200: UserSerializer(many=True), 401: ME_WITHOUT_TOKEN, 404: NOT_FOUND}

followers = extend_schema(
    tags=[FOLLOWS],
    summary="Followers of a user",
    description=f"Users following `{{id}}`, most recent follow first. {PAGINATION}",
    parameters=[USER_ID],
    responses=_follow_list_responses,
)

following = extend_schema(
    tags=[FOLLOWS],
    summary="Users a user follows",
    description=f"Users that `{{id}}` follows, most recently followed first. {PAGINATION}",
    parameters=[USER_ID],
    responses=_follow_list_responses,
)
