"""OpenAPI documentation of hashtags."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers

from post.filters import HashtagFilter
from post.serializers.posts import HashtagSerializer, PostSerializer, TrendingQuerySerializer
from social_media.openapi import field_errors, invalid, response_example

from .common import HASHTAGS, PAGINATION, path_id

_search = HashtagFilter.base_filters["search"].extra["max_length"]
_trending = TrendingQuerySerializer().fields

hashtags = extend_schema_view(
    list=extend_schema(
        tags=[HASHTAGS],
        summary="List hashtags",
        description=(
            "Public. Every tag with the number of visible posts carrying it (by active "
            f"accounts), by name; a tag with none is not listed. {PAGINATION}"
        ),
        responses={
            200: HashtagSerializer(many=True),
            400: invalid(
                field_errors("HashtagFilterValidationError", ["search"]),
                "Search text too long.",
                {
                    "Too long": {
                        "search": [
                            f"Ensure this value has at most {_search} characters "
                            f"(it has {_search + 1})."
                        ]
                    }
                },
            ),
        },
    ),
)

trending = extend_schema(
    tags=[HASHTAGS],
    summary="Trending hashtags",
    description=(
        "Public. The tags used in the most posts over the last `?hours=`, most first, ties "
        "by name; `post_count` counts the posts in that window only. A bounded top list "
        "rather than a timeline: one page of at most `?page_size=` tags, so `next` is always "
        "null."
    ),
    parameters=[TrendingQuerySerializer],
    responses={
        200: inline_serializer(
            "TrendingHashtagList",
            {
                "next": serializers.URLField(allow_null=True, help_text="Always null: one page."),
                "previous": serializers.URLField(allow_null=True, help_text="Always null."),
                "results": HashtagSerializer(many=True),
            },
        ),
        400: invalid(
            field_errors("TrendingValidationError", ["hours", "page_size"]),
            "`hours` or `page_size` out of range or not a number.",
            {
                "Window too long": {
                    "hours": [
                        "Ensure this value is less than or equal to "
                        f"{_trending['hours'].max_value}."
                    ]
                }
            },
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
)
