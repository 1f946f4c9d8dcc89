"""OpenAPI documentation of the post app's operations, one module per resource group.

Kept apart from the views so each view reads as what it does. Every operation has a tag, a
summary, a description (who may call it, idempotency, pagination), examples and its error
responses in the DRF shapes: `{"field": ["message"]}` for 400, `{"detail": "..."}` otherwise.
"""

from .hashtags import hashtag_posts, hashtags, trending
from .interactions import comments, like, liked_posts, likers, post_comments, unlike
from .posts import feed, media, posts, user_posts

__all__ = [
    "comments",
    "feed",
    "hashtag_posts",
    "hashtags",
    "like",
    "liked_posts",
    "likers",
    "media",
    "post_comments",
    "posts",
    "trending",
    "unlike",
    "user_posts",
]
