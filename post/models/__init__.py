"""The post app's models, one module per resource: `posts` (posts, their hashtag links and
`PostQuerySet`), `rows` and `feed_pages` (how a page of posts is read), `hashtags`, `media`,
`scheduled`, `interactions` (likes, bookmarks, mentions of a post) and `comments`.

Django finds an app's models through this package, and the migrations name the upload paths
as `post.models.<function>`, so every model and public name is imported here: import them
from `post.models`. The other modules import Post for their foreign keys, so `posts` reads
their models through imports inside its functions.
"""

# isort: off
# In the order the models were defined in when this was one module: Django lists an app's
# models, and so each model's reverse relations and the order a deletion cascades through
# them (which rows it locks first), in the order they are registered.
from .hashtags import Hashtag, HashtagQuerySet
from .posts import Post, PostHashtag, PostQuerySet
from .rows import MEDIA_ROW_COLUMNS, MENTION_ROW_COLUMNS, POST_ROW_COLUMNS, PostRowIterable
from .scheduled import ScheduledPost
from .media import Media, media_upload_path, thumbnail_upload_path
from .interactions import Bookmark, Like, Mention, MentionQuerySet, PostMention
from .comments import Comment, CommentLike, CommentMention, CommentQuerySet

# isort: on

__all__ = [
    "MEDIA_ROW_COLUMNS",
    "MENTION_ROW_COLUMNS",
    "POST_ROW_COLUMNS",
    "Bookmark",
    "Comment",
    "CommentLike",
    "CommentMention",
    "CommentQuerySet",
    "Hashtag",
    "HashtagQuerySet",
    "Like",
    "Media",
    "Mention",
    "MentionQuerySet",
    "Post",
    "PostHashtag",
    "PostMention",
    "PostQuerySet",
    "PostRowIterable",
    "ScheduledPost",
    "media_upload_path",
    "thumbnail_upload_path",
]
