"""OpenAPI documentation of the scheduled-post operations."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from post.serializers.scheduled import ScheduledPostSerializer
from post.services.scheduling import MAX_SCHEDULE_AHEAD
from social_media.openapi import PAGINATION, detail, field_errors, invalid

TAG = "Scheduled posts"
MAX_PENDING = settings.SCHEDULED_POSTS_MAX_PENDING
MAX_PER_DAY = settings.SCHEDULED_POSTS_MAX_PER_DAY

GUARANTEES = (
    "\n\n**Publication.** At `publish_at` a Celery worker creates the post (its `created_at` "
    "is the moment of publication, its hashtags are parsed then, the uploads move to it) and "
    "marks this scheduled post `published` with the post's id, in one transaction. It happens "
    "exactly once: a task delivered twice, several workers, or a retry find the row already "
    "published and do nothing. A task lost to a worker or broker restart is made up by a "
    "periodic sweep, so a post is at most `SCHEDULED_POSTS_SWEEP_SECONDS` "
    f"({settings.SCHEDULED_POSTS_SWEEP_SECONDS} s) late. If publishing cannot succeed (the "
    "account was deactivated, an image vanished) the status becomes `failed` with a readable "
    "`error`, and the uploads are released."
)

CONTENT_RULES = (
    "The fields follow the rules of `POST /api/v1/posts/` (and their descriptions); per "
    f"account at most `SCHEDULED_POSTS_MAX_PENDING` ({MAX_PENDING}) posts pending and "
    f"`SCHEDULED_POSTS_MAX_PER_DAY` ({MAX_PER_DAY}) scheduled or published for one UTC day of "
    "`publish_at`; a request over a limit is a `400` saying which."
)

_content_errors = {
    "In the past": {"publish_at": ["Must be in the future."]},
    "Naive time": {
        "publish_at": ["Include a timezone offset, e.g. 2030-01-01T09:00:00Z or +02:00."]
    },
    "Too far ahead": {"publish_at": [f"Must be at most {MAX_SCHEDULE_AHEAD.days} days ahead."]},
    "Daily limit": {
        "publish_at": [
            f"Limit reached: at most {MAX_PER_DAY} scheduled posts per day, and 2030-03-01 "
            "(UTC) is full."
        ]
    },
    "Media not yours or attached": {"media_ids": ["Not unattached uploads of yours: 312."]},
}
ValidationErrors = field_errors("ScheduledPostValidationError", ["text", "media_ids", "publish_at"])
INVALID_DESCRIPTION = "Invalid content, `publish_at` or a limit reached; each message says which."

NOT_FOUND = detail(
    "No scheduled post of yours has this id (other users' are never shown).",
    "No ScheduledPost matches the given query.",
)
CONFLICT = detail(
    "The scheduled post is no longer `scheduled`: it was published, cancelled or failed.",
    "This scheduled post is published; it can no longer change.",
)
SCHEDULED_POST_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The scheduled post's id."
)

scheduled_posts = extend_schema_view(
    create=extend_schema(
        tags=[TAG],
        summary="Schedule a post",
        description=(
            "Authenticated users only. Writes a post now to be published at `publish_at`. "
            "Until then it is not a post: it appears in no timeline, hashtag, search or "
            "count, and cannot be liked or commented on; only you can see it, here. "
            + CONTENT_RULES
            + " `status`, `post`, `error` and the author are read-only and ignored if sent. "
            "Throttled with post creation." + GUARANTEES
        ),
        request=ScheduledPostSerializer,
        responses={
            201: ScheduledPostSerializer,
            400: invalid(
                ValidationErrors,
                INVALID_DESCRIPTION,
                {
                    **_content_errors,
                    "Pending limit": {
                        "non_field_errors": [
                            f"Limit reached: at most {MAX_PENDING} pending scheduled posts per "
                            "account. Cancel one or wait until one is published."
                        ]
                    },
                },
            ),
        },
    ),
    list=extend_schema(
        tags=[TAG],
        summary="List your scheduled posts",
        description=(
            "Authenticated users only; your own scheduled posts, whatever their status, "
            "soonest `publish_at` first. `?status=` narrows to one state (an unknown value is "
            f"a `400`). {PAGINATION}"
        ),
        responses={
            200: ScheduledPostSerializer(many=True),
            400: invalid(
                field_errors("ScheduledPostFilterValidationError", ["status"]),
                "An unknown `status`.",
                {
                    "Unknown status": {
                        "status": [
                            "Select a valid choice. sent is not one of the available choices."
                        ]
                    }
                },
            ),
        },
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One of your scheduled posts",
        description=(
            "Authenticated users only. Another user's scheduled post is a `404`, exactly like "
            "one that does not exist. Once `published`, `post` is the new post's id and "
            "`media_ids` its images; a `failed` one says why in `error`." + GUARANTEES
        ),
        parameters=[SCHEDULED_POST_ID],
        responses={200: ScheduledPostSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Edit or reschedule a scheduled post",
        description=(
            "Authenticated users only, your own (`404` otherwise). Send any of `text`, "
            "`media_ids` (the full new list; uploads already on this scheduled post may be "
            "listed again, those left out are released) and `publish_at`, validated as when "
            "scheduling. Allowed while `status` is `scheduled`; once `published`, `cancelled` "
            "or `failed` it is a `409`. An edit that wins the race against publication is "
            "what gets published; one that loses gets the `409`. A new `publish_at` replaces "
            "the old one (the task sent for the old time does nothing)." + GUARANTEES
        ),
        parameters=[SCHEDULED_POST_ID],
        request=ScheduledPostSerializer,
        responses={
            200: ScheduledPostSerializer,
            400: invalid(ValidationErrors, INVALID_DESCRIPTION, _content_errors),
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
    destroy=extend_schema(
        tags=[TAG],
        summary="Cancel a scheduled post",
        description=(
            "Authenticated users only, your own (`404` otherwise). While `scheduled`: `204`, "
            "the status becomes `cancelled` (the row stays, so it still lists with "
            "`?status=cancelled`) and its uploads are released for another post. Cancelling "
            "an already cancelled one is a `204` again (the state you asked for). Once "
            "`published` it is a `409` (delete the post itself with `DELETE "
            "/api/v1/posts/{id}/`); a `failed` one is a `409` too."
        ),
        parameters=[SCHEDULED_POST_ID],
        responses={
            204: OpenApiResponse(description="Cancelled (or already cancelled)."),
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
)
