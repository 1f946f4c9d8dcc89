"""OpenAPI documentation of hashtags."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from post.serializers import (
    HashtagSerializer,
    PostSerializer,
)
from social_media.openapi import invalid

from .common import (
    HASHTAGS,
    PAGINATION,
    POST,
    HashtagListErrors,
    TrendingErrors,
    path_id,
    response_example,
)

# --- Hashtags ---------------------------------------------------------------------------

hashtags = extend_schema_view(
    list=extend_schema(
        tags=[HASHTAGS],
        summary="List hashtags",
        description=(
            "Public. Every tag with the number of visible posts carrying it (by active "
            "accounts), by name; a tag with none is not listed. `?search=` "
            f"keeps tags starting with the given text, ignoring case and a leading `#`. "
            f"{PAGINATION}"
        ),
        responses={
            200: HashtagSerializer(many=True),
            400: invalid(
                HashtagListErrors,
                "Search text too long.",
                {"Too long": {"search": ["Ensure this value has at most 51 characters."]}},
            ),
        },
        examples=[response_example("A page", {"name": "django", "post_count": 1520})],
    ),
)

TrendingPage = inline_serializer(
    "TrendingHashtagList",
    {
        "next": serializers.URLField(allow_null=True, help_text="Always null: one page."),
        "previous": serializers.URLField(allow_null=True, help_text="Always null."),
        "results": HashtagSerializer(many=True),
    },
)

trending = extend_schema(
    tags=[HASHTAGS],
    summary="Trending hashtags",
    description=(
        "Public. The tags used in the most posts over the last `?hours=` (default 24, 1 to "
        "168), most first, ties by name; `post_count` counts the posts in that window only. "
        "A bounded top list rather than a timeline: one page of at most `?page_size=` tags "
        "(default 20, at most 100), so `next` is always null."
    ),
    parameters=[
        OpenApiParameter(
            "hours", OpenApiTypes.INT, description="The window, in hours: 1 to 168 (default 24)."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            description="How many tags: 1 to 100 (default 20).",
        ),
    ],
    responses={
        200: TrendingPage,
        400: invalid(
            TrendingErrors,
            "`hours` or `page_size` out of range or not a number.",
            {"Window too long": {"hours": ["Ensure this value is less than or equal to 168."]}},
        ),
    },
    examples=[
        response_example(
            "Top tags",
            {
                "next": None,
                "previous": None,
                "results": [
                    {"name": "django", "post_count": 48},
                    {"name": "python", "post_count": 31},
                ],
            },
        )
    ],
)

hashtag_posts = extend_schema(
    tags=[HASHTAGS],
    summary="Posts with a hashtag",
    description=(
        "Public. Posts carrying the tag, newest first. The name is matched ignoring case and "
        f"a leading `#`; an unknown tag gives an empty list, not a `404`. {PAGINATION}"
    ),
    parameters=[path_id("name", "The tag, e.g. `django`.", OpenApiTypes.STR)],
    responses={200: PostSerializer(many=True)},
    examples=[response_example("A page", POST)],
)
