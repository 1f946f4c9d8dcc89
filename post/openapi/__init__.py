"""OpenAPI documentation of the post app's operations, one module per resource group, kept
apart from the views: tags, summaries, descriptions and the errors particular to each
operation. Example bodies are on the serializers; the 401, 429 and invalid-cursor answers
many operations share are added by `social_media.schema_hooks`."""

from .conversations import (  # noqa: F401
    bookmark,
    bookmarks,
    comment_like,
    comment_unlike,
    replies,
    repost,
    reposters,
    unbookmark,
    unrepost,
)
from .hashtags import hashtag_posts, hashtags, trending  # noqa: F401
from .interactions import comments, like, liked_posts, likers, post_comments, unlike  # noqa: F401
from .posts import feed, media, posts, user_posts  # noqa: F401
