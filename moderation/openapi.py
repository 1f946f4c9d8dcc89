"""OpenAPI documentation of reports; example bodies are on the serializers, the 401 and 429
answers are added by `social_media.schema_hooks`."""

from drf_spectacular.utils import extend_schema_view

from moderation.serializers import NOTE_MAX_LENGTH, ReportCreateSerializer, ReportSerializer
from moderation.services import CANNOT_REPORT_SELF
from social_media.openapi import created_or_existing, detail, invalid, operation

REPORTS = "Reports"

reports = extend_schema_view(
    create=operation(
        REPORTS,
        "Report an account, a post or a comment",
        "Authenticated users only. Sends the target to the moderators' queue with a reason "
        "(`spam`, `abuse`, `illegal` or `other`) and an optional note (up to "
        f"{NOTE_MAX_LENGTH} characters). `201` with the new report; while your report on "
        "the same target is open, reporting it again is a `200` with that report, unchanged "
        "(concurrent repeats file one). Once a moderator has resolved it, the target can be "
        "reported again. The target must be one you can see: anything else, and a comment "
        "already deleted, is a `404`. You cannot report yourself. Counts against "
        "`THROTTLE_REPORTS`.",
        {
            **created_or_existing(ReportSerializer),
            400: invalid(
                "ReportValidationError",
                ["target_type", "target_id", "reason", "note"],
                "An unknown target type or reason, a `target_id` that is not a positive id, a "
                "missing field, or yourself as the target.",
                {
                    "Unknown reason": {"reason": ['"rude" is not a valid choice.']},
                    "Unknown target type": {"target_type": ['"photo" is not a valid choice.']},
                    "Not an id": {"target_id": ["A valid integer is required."]},
                    "Missing fields": {
                        "target_type": ["This field is required."],
                        "target_id": ["This field is required."],
                        "reason": ["This field is required."],
                    },
                    "Self": {"target_id": [CANNOT_REPORT_SELF]},
                },
            ),
            404: detail(
                "No account, post or comment with this id that you can see.",
                "No post with this id.",
                "Unknown target",
            ),
        },
        request=ReportCreateSerializer,
    ),
)
