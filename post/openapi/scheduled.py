"""OpenAPI documentation of the scheduled-post operations."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema_view

from post.serializers.scheduled import ScheduledPostSerializer
from post.services.scheduling import MAX_SCHEDULE_AHEAD
from social_media.openapi import detail, invalid, listing, operation

from .common import path_id

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
NAIVE_TIME = "Include a timezone offset, e.g. 2030-01-01T09:00:00Z or +02:00."
DAILY_LIMIT = (
    f"Limit reached: at most {MAX_PER_DAY} scheduled posts per day, and 2030-03-01 (UTC) is full."
)
CONTENT_ERRORS = {
    "In the past": {"publish_at": ["Must be in the future."]},
    "Naive time": {"publish_at": [NAIVE_TIME]},
    "Too far ahead": {"publish_at": [f"Must be at most {MAX_SCHEDULE_AHEAD.days} days ahead."]},
    "Daily limit": {"publish_at": [DAILY_LIMIT]},
    "Media not yours or attached": {"media_ids": ["Not unattached uploads of yours: 312."]},
}
PENDING_LIMIT = (
    f"Limit reached: at most {MAX_PENDING} pending scheduled posts per account. Cancel one or "
    "wait until one is published."
)


def content_errors(examples: dict) -> OpenApiResponse:
    return invalid(
        "ScheduledPostValidationError",
        ["text", "media_ids", "publish_at"],
        "Invalid content, `publish_at` or a limit reached; each message says which.",
        examples,
    )


NOT_FOUND = detail(
    "No scheduled post of yours has this id (other users' are never shown).",
    "No ScheduledPost matches the given query.",
)
CONFLICT = detail(
    "The scheduled post is no longer `scheduled`: it was published, cancelled or failed.",
    "This scheduled post is published; it can no longer change.",
)
UNKNOWN_STATUS = "Select a valid choice. sent is not one of the available choices."
ID = [path_id("id", "The scheduled post's id.")]
OWN_ONLY = "Authenticated users only, your own (`404` otherwise)."

scheduled_posts = extend_schema_view(
    create=operation(
        TAG,
        "Schedule a post",
        "Authenticated users only. Writes a post now to be published at `publish_at`. Until "
        "then it is not a post: it appears in no timeline, hashtag, search or count, and "
        f"cannot be liked or commented on; only you can see it, here. {CONTENT_RULES} "
        "`status`, `post`, `error` and the author are read-only and ignored if sent. "
        f"Throttled with post creation.{GUARANTEES}",
        {
            201: ScheduledPostSerializer,
            400: content_errors(
                {**CONTENT_ERRORS, "Pending limit": {"non_field_errors": [PENDING_LIMIT]}}
            ),
        },
        request=ScheduledPostSerializer,
    ),
    list=listing(
        TAG,
        "List your scheduled posts",
        "Authenticated users only; your own scheduled posts, whatever their status, soonest "
        "`publish_at` first. `?status=` narrows to one state (an unknown value is a `400`).",
        ScheduledPostSerializer,
        {
            400: invalid(
                "ScheduledPostFilterValidationError",
                ["status"],
                "An unknown `status`.",
                {"Unknown status": {"status": [UNKNOWN_STATUS]}},
            ),
        },
    ),
    retrieve=operation(
        TAG,
        "One of your scheduled posts",
        "Authenticated users only. Another user's scheduled post is a `404`, exactly like one "
        "that does not exist. Once `published`, `post` is the new post's id and `media_ids` "
        f"its images; a `failed` one says why in `error`.{GUARANTEES}",
        {200: ScheduledPostSerializer, 404: NOT_FOUND},
        parameters=ID,
    ),
    partial_update=operation(
        TAG,
        "Edit or reschedule a scheduled post",
        f"{OWN_ONLY} Send any of `text`, `media_ids` (the full new list; uploads already on "
        "this scheduled post may be listed again, those left out are released) and "
        "`publish_at`, validated as when scheduling. Allowed while `status` is `scheduled`; "
        "once `published`, `cancelled` or `failed` it is a `409`. An edit that wins the race "
        "against publication is what gets published; one that loses gets the `409`. A new "
        "`publish_at` replaces the old one (the task sent for the old time does nothing)."
        + GUARANTEES,
        {
            200: ScheduledPostSerializer,
            400: content_errors(CONTENT_ERRORS),
            404: NOT_FOUND,
            409: CONFLICT,
        },
        parameters=ID,
        request=ScheduledPostSerializer,
    ),
    destroy=operation(
        TAG,
        "Cancel a scheduled post",
        f"{OWN_ONLY} While `scheduled`: `204`, the status becomes `cancelled` (the row stays, "
        "so it still lists with `?status=cancelled`) and its uploads are released for another "
        "post. Cancelling an already cancelled one is a `204` again (the state you asked for). "
        "Once `published` it is a `409` (delete the post itself with `DELETE "
        "/api/v1/posts/{id}/`); a `failed` one is a `409` too.",
        {
            204: OpenApiResponse(description="Cancelled (or already cancelled)."),
            404: NOT_FOUND,
            409: CONFLICT,
        },
        parameters=ID,
    ),
)
