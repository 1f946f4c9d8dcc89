"""OpenAPI documentation of blocks, mutes and follow requests."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from social_media.openapi import created_or_existing, detail, invalid, listing, operation
from user.openapi.common import NO_CONTENT, NOT_FOUND, USER_ID
from user.serializers import UserSerializer

SAFETY, REQUESTS = "Blocks and mutes", "Follow requests"


def _pair_action(summary: str, description: str, responses: dict):
    return operation(SAFETY, summary, description, responses, parameters=[USER_ID], request=None)


def _self_error(name: str, verb: str):
    return invalid(
        name,
        [],
        "`{id}` is the caller.",
        {"Self": {"non_field_errors": [f"You cannot {verb} yourself."]}},
    )


block = _pair_action(
    "Block a user",
    "Blocks `{id}`: `201` when new, `200` when it already existed (safe to repeat). The "
    "follows between the two accounts go, both ways, with pending follow requests and the "
    "likes and reposts of each other's posts. From then on the blocked account does not see "
    "the caller at all (`404`, absent from every list), and the caller no longer sees its "
    "posts, reposts, comments and notifications; its profile stays visible to the caller "
    "with `is_blocking: true`. Neither can follow, like, comment on, repost, quote or "
    "mention the other. Only the caller can lift it.",
    {
        **created_or_existing(UserSerializer),
        400: _self_error("BlockValidationError", "block"),
        404: NOT_FOUND,
    },
)
unblock = _pair_action(
    "Unblock a user",
    "Lifts the caller's block of `{id}`; `204` also when there was none. Follows removed by "
    "the block do not come back.",
    {204: NO_CONTENT, 404: NOT_FOUND},
)
mute = _pair_action(
    "Mute a user",
    "Mutes `{id}`: `201` when new, `200` when it already existed. Its posts and reposts leave "
    "the caller's feed, `/posts/`, hashtag lists and search, and its notifications stop; its "
    "profile and posts by direct link stay. The muted account sees no difference.",
    {
        **created_or_existing(UserSerializer),
        400: _self_error("MuteValidationError", "mute"),
        404: NOT_FOUND,
    },
)
unmute = _pair_action(
    "Unmute a user",
    "Lifts the caller's mute of `{id}`; `204` also when there was none.",
    {204: NO_CONTENT, 404: NOT_FOUND},
)

blocks = listing(
    SAFETY,
    "Accounts you block",
    "The accounts the caller blocks, most recent block first.",
    UserSerializer,
)
mutes = listing(
    SAFETY,
    "Accounts you mute",
    "The accounts the caller mutes, most recent mute first.",
    UserSerializer,
)

REQUESTER_ID = OpenApiParameter(
    "user_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The id of the account that asked to follow the caller.",
    examples=[OpenApiExample("Id", value=42)],
)
NO_REQUEST = detail(
    "No pending request from this account (never made, withdrawn or answered).",
    "No follow request from this user.",
    "No request",
)

follow_requests = listing(
    REQUESTS,
    "Requests to follow you",
    "The accounts asking to follow the caller's private account, oldest request first. "
    "Making the account public (`PATCH /api/v1/users/me/` with `is_private: false`) approves "
    "them all.",
    UserSerializer,
)


def _request_answer(summary: str, description: str):
    """The owner's answer to a pending request: no body, and a `404` once it is gone."""
    return operation(
        REQUESTS,
        summary,
        description,
        {204: NO_CONTENT, 404: NO_REQUEST},
        parameters=[REQUESTER_ID],
        request=None,
    )


follow_request_approve = _request_answer(
    "Approve a follow request", "The requester now follows the caller (and is told so): `204`."
)
follow_request_reject = _request_answer(
    "Reject a follow request", "The request goes; the requester may ask again: `204`."
)
