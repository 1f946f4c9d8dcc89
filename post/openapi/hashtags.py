"""OpenAPI documentation of hashtags."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_view, inline_serializer
from rest_framework import serializers

from post.filters import HashtagFilter
from post.serializers.posts import HashtagSerializer, PostSerializer, TrendingQuerySerializer
from social_media.openapi import invalid, listing, operation, response_example, too_long

from .common import HASHTAGS, path_id

MAX_HOURS = TrendingQuerySerializer().fields["hours"].max_value
TOP_TAGS = [{"name": "django", "post_count": 48}, {"name": "python", "post_count": 31}]

hashtags = extend_schema_view(
    list=listing(
        HASHTAGS,
        "List hashtags",
        "Public. Every tag with the number of visible posts carrying it (by active accounts), "
        "by name; a tag with none is not listed.",
        HashtagSerializer,
        {
            400: invalid(
                "HashtagFilterValidationError",
                ["search"],
                "Search text too long.",
                too_long(HashtagFilter, "search"),
            ),
        },
    )
)

trending = operation(
    HASHTAGS,
    "Trending hashtags",
    "Public. The tags used in the most posts over the last `?hours=`, most first, ties by "
    "name; `post_count` counts the posts in that window only. A bounded top list rather than "
    "a timeline: one page of at most `?page_size=` tags, so `next` is always null.",
    {
        200: inline_serializer(
            "TrendingHashtagList",
            {
                "next": serializers.URLField(allow_null=True, help_text="Always null: one page."),
                "previous": serializers.URLField(allow_null=True, help_text="Always null."),
                "results": HashtagSerializer(many=True),
            },
        ),
        400: invalid(
            "TrendingValidationError",
            ["hours", "page_size"],
            "`hours` or `page_size` out of range or not a number.",
            {
                "Window too long": {
                    "hours": [f"Ensure this value is less than or equal to {MAX_HOURS}."]
                }
            },
        ),
    },
    parameters=[TrendingQuerySerializer],
    examples=[response_example("Top tags", {"next": None, "previous": None, "results": TOP_TAGS})],
)

hashtag_posts = listing(
    HASHTAGS,
    "Posts with a hashtag",
    "Public. Posts carrying the tag, newest first. The name is matched ignoring case and a "
    "leading `#`; an unknown tag gives an empty list, not a `404`.",
    PostSerializer,
    parameters=[path_id("name", "The tag, e.g. `django`.", OpenApiTypes.STR)],
)
