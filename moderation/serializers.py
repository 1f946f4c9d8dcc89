"""A report as filed (`ReportCreateSerializer`, validation only) and as answered
(`ReportSerializer`)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from moderation.models import Report, TargetType
from social_media.db import MAX_ID
from social_media.openapi import request_example, response_example

NOTE_MAX_LENGTH = Report._meta.get_field("note").max_length

REPORT_EXAMPLE = {
    "id": 3107,
    "target_type": "post",
    "target_id": 1001,
    "reason": "spam",
    "note": "The same link posted under every #engines post.",
    "status": "open",
    "created_at": "2026-10-14T09:12:44.018Z",
}


@extend_schema_serializer(
    examples=[
        request_example(
            "A post",
            {
                "target_type": "post",
                "target_id": 1001,
                "reason": "spam",
                "note": "The same link posted under every #engines post.",
            },
        ),
        request_example("An account", {"target_type": "user", "target_id": 42, "reason": "abuse"}),
        request_example(
            "A comment", {"target_type": "comment", "target_id": 5003, "reason": "illegal"}
        ),
    ]
)
class ReportCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(
        choices=TargetType.choices, help_text="What is reported: an account, a post or a comment."
    )
    target_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the account, post or comment."
    )
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Anything the moderators should know; optional.",
    )


@extend_schema_serializer(
    examples=[
        response_example("Filed", REPORT_EXAMPLE, "201"),
        response_example("Already open", REPORT_EXAMPLE, "200"),
    ]
)
class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "target_type", "target_id", "reason", "note", "status", "created_at"]
        read_only_fields = fields
        extra_kwargs = {
            "status": {
                "help_text": "`open` until a moderator resolves it; then the same target may be "
                "reported again."
            }
        }
