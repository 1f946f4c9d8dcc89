"""OpenAPI documentation of follows and follower lists."""

from drf_spectacular.utils import OpenApiParameter

from social_media.db import MAX_ID
from social_media.openapi import created_or_existing, invalid, listing, operation
from user.openapi.common import FOLLOWS, ID_OR_ME, NO_CONTENT, NOT_FOUND, USER_ID
from user.serializers import RELATIONSHIPS_MAX_IDS, RelationshipSerializer, UserSerializer


def _follow_action(summary: str, description: str, responses: dict):
    """`/users/{id}/follow/`, the same path with two methods; neither takes a body."""
    return operation(FOLLOWS, summary, description, responses, parameters=[USER_ID], request=None)


follow = _follow_action(
    "Follow a user",
    "Starts following `{id}`: `201` when the follow is new, `200` when it already existed "
    "(safe to repeat). Returns the followed user with updated counts.",
    {
        **created_or_existing(UserSerializer),
        400: invalid(
            "FollowValidationError",
            [],
            "`{id}` is the caller.",
            {"Self": {"non_field_errors": ["You cannot follow yourself."]}},
        ),
        404: NOT_FOUND,
    },
)
unfollow = _follow_action(
    "Unfollow a user",
    "Stops following `{id}`; `204` also when the caller was not following.",
    {204: NO_CONTENT, 404: NOT_FOUND},
)


def _follow_list(summary: str, description: str):
    return listing(FOLLOWS, summary, description, UserSerializer, ID_OR_ME, parameters=[USER_ID])


followers = _follow_list("Followers of a user", "Users following `{id}`, most recent follow first.")
following = _follow_list(
    "Users a user follows", "Users that `{id}` follows, most recently followed first."
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
