"""The totals kept on accounts, posts and comments (see `social_media.counters`): repairing
every one of them, for `manage.py recount` and the nightly beat task."""

from post.models import Comment, Post
from social_media.counters import counters_repair
from user.models import UserStats


def counters_repair_all() -> dict[str, int]:
    """Compare every account's, post's and comment's totals with the rows they count and fix
    the ones that drifted; how many were wrong, per kind."""
    return {
        "users": counters_repair(UserStats),
        "posts": counters_repair(Post),
        "comments": counters_repair(Comment),
    }
