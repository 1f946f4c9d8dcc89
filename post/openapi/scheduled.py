"""OpenAPI documentation of the scheduled-post operations."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from post.serializers_scheduled import ScheduledPostSerializer
from social_media.openapi import THROTTLED, UNAUTHENTICATED, detail, field_errors

TAG = "Scheduled posts"

GUARANTEES = (
    "\n\n**Publication.** At `publish_at` a Celery worker creates the post (its `created_at` "
    "is the moment of publication, its hashtags are parsed then, the uploads move to it) and "
    "marks this scheduled post `published` with the post's id, in one transaction. It happens "
    "exactly once: a task delivered twice, several workers, or a retry find the row already "
    "published and do nothing. A task lost to a worker or broker restart is made up by a "
    "periodic sweep, so a post is at most `SCHEDULED_POSTS_SWEEP_SECONDS` (30 by default) "
    "late. If publishing cannot succeed (the account was deactivated, an image vanished) the "
    "status becomes `failed` with a readable `error`, and the uploads are released."
)

CONTENT_RULES = (
    "`text`: 1-2,000 characters (trimmed). `media_ids`: up to 4 of your own uploads "
    "(`POST /api/v1/media/`) not attached to anything, no duplicates, in display order; the "
    "same rules as `POST /api/v1/posts/`. `publish_at`: ISO 8601 **with a timezone offset** "
    "(`Z` or `+02:00`; a naive time is a `400`, never guessed), strictly in the future, at "
    "most 365 days ahead. Per account at most `SCHEDULED_POSTS_MAX_PENDING` (300) posts "
    "pending and `SCHEDULED_POSTS_MAX_PER_DAY` (25) scheduled or published for one UTC "
    "calendar day of `publish_at`; a request over a limit is a `400` saying which."
)

SCHEDULED = {
    "id": 77,
    "text": "Launch day! #release",
    "media_ids": [311],
    "publish_at": "2030-03-01T09:00:00Z",
    "status": "scheduled",
    "post": None,
    "error": "",
    "created_at": "2030-02-20T18:42:10.512Z",
    "updated_at": "2030-02-20T18:42:10.512Z",
}
PUBLISHED = {
    **SCHEDULED,
    "status": "published",
    "post": 1001,
    "updated_at": "2030-03-01T09:00:00.204Z",
}
FAILED = {
    **SCHEDULED,
    "id": 78,
    "media_ids": [],
    "status": "failed",
    "error": "Attached image 311 is no longer available.",
}

ValidationErrors = field_errors("ScheduledPostValidationError", ["text", "media_ids", "publish_at"])
FilterErrors = field_errors("ScheduledPostFilterValidationError", ["status"])

NOT_FOUND = detail(
    "No scheduled post of yours has this id (other users' are never shown).",
    "No ScheduledPost matches the given query.",
)
CONFLICT = detail(
    "The scheduled post is no longer `scheduled`: it was published, cancelled or failed.",
    "This scheduled post is published; it can no longer change.",
)
INVALID = OpenApiResponse(
    ValidationErrors,
    description="Invalid content, `publish_at` or a limit reached; each message says which.",
    examples=[
        OpenApiExample("In the past", value={"publish_at": ["Must be in the future."]}),
        OpenApiExample(
            "Naive time",
            value={
                "publish_at": [
                    "Include a timezone offset, e.g. 2030-01-01T09:00:00Z or +02:00.",
                ]
            },
        ),
        OpenApiExample("Too far ahead", value={"publish_at": ["Must be at most 365 days ahead."]}),
        OpenApiExample(
            "Daily limit",
            value={
                "publish_at": [
                    "Limit reached: at most 25 scheduled posts per day, and 2030-03-01 (UTC) "
                    "is full."
                ]
            },
        ),
        OpenApiExample(
            "Pending limit",
            value={
                "non_field_errors": [
                    "Limit reached: at most 300 pending scheduled posts per account. Cancel "
                    "one or wait until one is published."
                ]
            },
        ),
        OpenApiExample(
            "Media not yours or attached",
            value={"media_ids": ["Not unattached uploads of yours: 312."]},
        ),
    ],
)

SCHEDULED_POST_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The scheduled post's id."
)


def response_example(name: str, value, status: str = "200") -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status])


def request_example(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


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
            "Throttled with post creation (`THROTTLE_POSTS`)." + GUARANTEES
        ),
        request=ScheduledPostSerializer,
        responses={
            201: ScheduledPostSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            429: THROTTLED,
        },
        examples=[
            request_example(
                "Schedule with an image",
                {
                    "text": "Launch day! #release",
                    "media_ids": [311],
                    "publish_at": "2030-03-01T10:00:00+01:00",
                },
            ),
            request_example(
                "Text only", {"text": "Good morning", "publish_at": "2030-03-02T07:30:00Z"}
            ),
            response_example("Scheduled", SCHEDULED, "201"),
        ],
    ),
    list=extend_schema(
        tags=[TAG],
        summary="List your scheduled posts",
        description=(
            "Authenticated users only; your own scheduled posts, whatever their status, "
            "soonest `publish_at` first. `?status=` narrows to one state (an unknown value is "
            "a `400`). Cursor-paginated (`?page_size=` default 20, at most 100): follow "
            "`next` until it is null."
        ),
        responses={
            200: ScheduledPostSerializer(many=True),
            400: FilterErrors,
            401: UNAUTHENTICATED,
        },
        examples=[
            response_example("Pending", SCHEDULED),
            response_example("Published", PUBLISHED),
            response_example("Failed", FAILED),
            OpenApiExample(
                "Unknown status",
                value={
                    "status": ["Select a valid choice. sent is not one of the available choices."]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
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
        responses={200: ScheduledPostSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        examples=[
            response_example("Pending", SCHEDULED),
            response_example("Published", PUBLISHED),
            response_example("Failed", FAILED),
        ],
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
            400: INVALID,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: CONFLICT,
            429: THROTTLED,
        },
        examples=[
            request_example("Reschedule", {"publish_at": "2030-03-01T12:00:00Z"}),
            request_example("Fix the text", {"text": "Launch day!! #release"}),
            request_example("Drop the image", {"media_ids": []}),
            response_example("Rescheduled", {**SCHEDULED, "publish_at": "2030-03-01T12:00:00Z"}),
        ],
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
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
)
