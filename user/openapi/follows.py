"""OpenAPI documentation of follows and follower lists."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from social_media.db import MAX_ID
from social_media.openapi import created_or_existing, detail, invalid, listing, operation
from user.openapi.common import FOLLOWS, ID_OR_ME, NO_CONTENT, NOT_FOUND, USER_ID
from user.serializers import RELATIONSHIPS_MAX_IDS, RelationshipSerializer, UserSerializer


def _follow_action(summary: str, description: str, responses: dict):
    """`/users/{id}/follow/`, the same path with two methods; neither takes a body."""
    return operation(FOLLOWS, summary, description, responses, parameters=[USER_ID], request=None)


UNBLOCK_FIRST = detail(
    "The caller blocks `{id}`: unblock it first.",
    "You block this account; unblock it to follow it.",
    "Blocked by you",
)

follow = _follow_action(
    "Follow a user",
    "Starts following `{id}`: `201` when the follow is new, `200` when it already existed "
    "(safe to repeat). A private account (`is_private`) is asked instead: `202`, and the user "
    "shows `follow_requested: true` until its owner approves or rejects (again `202`). "
    "Returns the user with updated counts. An account that blocks the caller does not exist "
    "for it (`404`); one the caller blocks is `403` until unblocked.",
    {
        **created_or_existing(UserSerializer),
        202: OpenApiResponse(
            UserSerializer, description="A follow request to a private account is pending."
        ),
        400: invalid(
            "FollowValidationError",
            [],
            "`{id}` is the caller.",
            {"Self": {"non_field_errors": ["You cannot follow yourself."]}},
        ),
        403: UNBLOCK_FIRST,
        404: NOT_FOUND,
    },
)
unfollow = _follow_action(
    "Unfollow a user",
    "Stops following `{id}`, or withdraws a pending follow request; `204` also when there "
    "was neither.",
    {204: NO_CONTENT, 404: NOT_FOUND},
)


def _follow_list(summary: str, description: str):
    return listing(FOLLOWS, summary, description, UserSerializer, ID_OR_ME, parameters=[USER_ID])


PRIVATE_LISTS = (
    "For a private account, only the account and its followers see the list; for anyone "
    "else it is empty (`200`, no results)."
)
followers = _follow_list(
    "Followers of a user", f"Users following `{{id}}`, most recent follow first. {PRIVATE_LISTS}"
)
following = _follow_list(
    "Users a user follows",
    f"Users that `{{id}}` follows, most recently followed first. {PRIVATE_LISTS}",
)

relationships = operation(
    FOLLOWS,
    "Relationships with several users",
    f"The caller's relationship with each of up to {RELATIONSHIPS_MAX_IDS} users "
    "(`?id=1&id=2`), in the order asked, in one request: a JSON array, not paginated. Ids the "
    "caller cannot see are left out.",
    {
        200: RelationshipSerializer(many=True),
        400: invalid(
            "RelationshipsValidationError",
            ["id"],
            f"No id, more than {RELATIONSHIPS_MAX_IDS}, or one that is not a positive integer.",
            {
                "NoId": {"id": ["This field is required."]},
                "TooMany": {
                    "id": [f"Ensure this field has no more than {RELATIONSHIPS_MAX_IDS} elements."]
                },
            },
        ),
    },
    parameters=[
        OpenApiParameter(
            "id",
            {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                "minItems": 1,
                "maxItems": RELATIONSHIPS_MAX_IDS,
            },
            required=True,
            explode=True,
            description=f"A user id; repeat it for each user (at most {RELATIONSHIPS_MAX_IDS}).",
        )
    ],
)
