"""OpenAPI documentation of the notifications endpoints; example bodies are on the
serializers, the 401 and 429 answers are added by `social_media.schema_hooks`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_view

from notifications.serializers import (
    MarkReadSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from social_media.openapi import detail, invalid, listing, operation

NOTIFICATIONS = "Notifications"
VISIBILITY = (
    "A notification whose actor's account is deactivated, or whose post or comment was "
    "deleted or is no longer visible to you, is neither listed nor counted."
)
TYPES = (
    "Types: `follow`, `follow_request`, `follow_accepted`, `like` (of your post), `comment` "
    "(on your post), `reply` (to your comment), `comment_like`, `mention`, `repost`, "
    "`quote`, `scheduled_published` and `scheduled_failed` (your own scheduled post; the "
    "actor is you)."
)

notifications = extend_schema_view(
    list=listing(
        NOTIFICATIONS,
        "Your notifications",
        "Authenticated users only. The caller's notifications, newest first, each with its "
        "actor, and the post (as in the feed) and comment (as in comment lists) it is about, "
        f"or null. {TYPES} You are never notified of your own actions; an action repeated "
        "or undone and redone (like, unlike, like) notifies once, and undoing it (unlike, "
        f"unfollow) takes back the notification while unread. {VISIBILITY}",
        NotificationSerializer,
        {
            400: invalid(
                "NotificationFilterError",
                ["types", "unread"],
                "An unknown type or a `unread` that is not a boolean.",
                {
                    "Unknown type": {
                        "types": [
                            "Select a valid choice. likes is not one of the available choices."
                        ]
                    },
                },
            )
        },
    ),
)

unread_count = operation(
    NOTIFICATIONS,
    "Your unread notification count",
    f"Authenticated users only. How many of the listed notifications are unread. {VISIBILITY}",
    {200: UnreadCountSerializer},
)

mark_read = operation(
    NOTIFICATIONS,
    "Mark notifications read",
    "Authenticated users only. Marks the caller's notifications with an id up to `up_to` "
    "read, or all of them without it; idempotent. Send the id of the newest notification "
    "shown, so that one arriving meanwhile stays unread.",
    {
        204: OpenApiResponse(description="Marked read."),
        400: invalid(
            "MarkReadError",
            ["up_to"],
            "`up_to` is not a positive id.",
            {"Not a number": {"up_to": ["A valid integer is required."]}},
        ),
    },
    request=MarkReadSerializer,
)

dismiss = operation(
    NOTIFICATIONS,
    "Dismiss a notification",
    "Authenticated users only. Deletes one of your notifications.",
    {
        204: OpenApiResponse(description="Dismissed."),
        404: detail(
            "No notification of yours with this id (someone else's included).",
            "No such notification.",
            "Unknown notification",
        ),
    },
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The notification's id."
        )
    ],
)
