"""OpenAPI documentation of follows and follower lists."""

from drf_spectacular.utils import OpenApiExample, extend_schema

from social_media.openapi import UNAUTHENTICATED, field_errors, invalid
from user.openapi.common import FOLLOWS, NO_CONTENT, NOT_FOUND, PUBLIC_EXAMPLE, PUBLIC_USER, USER_ID
from user.serializers import UserSerializer

FollowErrors = field_errors("FollowValidationError", [])

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
            FollowErrors,
            "`{id}` is the caller.",
            {"Self": {"non_field_errors": ["You cannot follow yourself."]}},
        ),
        401: UNAUTHENTICATED,
        404: NOT_FOUND,
    },
    examples=[
        OpenApiExample(
            "Followed",
            value={**PUBLIC_USER, "followers_count": 129, "is_following": True},
            response_only=True,
            status_codes=["200", "201"],
        )
    ],
)

unfollow = extend_schema(
    tags=[FOLLOWS],
    summary="Unfollow a user",
    description="Stops following `{id}`; `204` also when the caller was not following.",
    parameters=[USER_ID],
    request=None,
    responses={204: NO_CONTENT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)

_follow_list_responses = {
    200: UserSerializer(many=True),
    401: UNAUTHENTICATED,
    404: NOT_FOUND,
}

followers = extend_schema(
    tags=[FOLLOWS],
    summary="Followers of a user",
    description="Users following `{id}`, most recent follow first, cursor-paginated.",
    parameters=[USER_ID],
    responses=_follow_list_responses,
    examples=[PUBLIC_EXAMPLE],
)

following = extend_schema(
    tags=[FOLLOWS],
    summary="Users a user follows",
    description="Users that `{id}` follows, most recently followed first, cursor-paginated.",
    parameters=[USER_ID],
    responses=_follow_list_responses,
    examples=[PUBLIC_EXAMPLE],
)
