"""A page of posts as plain dicts (`PostQuerySet.as_rows`, `rows_of`): the columns each row
carries and how a page is read, its ids first, then the rows of those ids and of their
originals."""

from collections import defaultdict

from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.query import ValuesIterable

from user.models import account_visible

from .feed_pages import per_author_keys, reads_per_author

# `Post` and the models of `media` and `interactions` are imported inside the functions that
# read them: `posts` imports this module for its queryset (see `__init__`).

# The columns of a post row (`PostQuerySet.as_rows`): the post's own and its author's short
# block, joined, instead of whole model instances (no password hash, e-mail or bio per row).
POST_ROW_COLUMNS = (
    "id",
    "text",
    "created_at",
    "updated_at",
    "author_id",
    "author__username",
    "author__display_name",
    "author__avatar",
    "repost_of_id",
    "quote_of_id",
    "like_count",
    "comment_count",
    "repost_count",
)
# What the page query itself reads (see `PostRowIterable`): the position of each row in any
# post ordering, and the originals it points to.
PAGE_KEY_COLUMNS = ("id", "created_at", "repost_of_id", "quote_of_id")
MEDIA_ROW_COLUMNS = ("id", "file", "thumbnail", "width", "height", "description")
# A mentioned user's short block, as `mentions` items carry it (`avatar`: the stored name).
# Only accounts the viewer may see (`account_visible`): across a block a mention is plain text.
MENTION_ROW_COLUMNS = {
    "id": "user_id",
    "username": "user__username",
    "display_name": "user__display_name",
    "avatar": "user__avatar",
}


class PostRowIterable(ValuesIterable):
    """A page of post rows in two statements, whatever its length.

    The page query (every filter, the order, the cursor, the limit) reads only
    `PAGE_KEY_COLUMNS` and the ordering annotations; the second reads the rows of those ids
    and of their originals (`repost_of`/`quote_of`, one level deep, by the same rule for the
    same viewer, else None) with the author, counts, the viewer's state, hashtags, media and
    mentions. The annotations that render a post are then built and compiled once per
    request, not once for the page and again for its originals, and the page query is planned
    without them. For a feed reader who follows few among many (PostgreSQL), the page query
    is replaced by one read per followed account (`feed_pages`, one more statement to decide).
    Where the rows cannot carry arrays (SQLite), `_complete_rows` adds three queries by id.
    Meant for pages: it holds the rows in memory and lists their ids in `IN`.
    """

    def __iter__(self):
        queryset = self.queryset
        keys = per_author_keys(queryset) if reads_per_author(queryset) else list(super().__iter__())
        if keys:
            yield from assemble_rows(queryset, keys, checked={key["id"] for key in keys})


def assemble_rows(queryset, keys: list[dict], *, checked: set[int]):
    """The rows of `keys` (dicts of `PAGE_KEY_COLUMNS`, in the order wanted), each with its
    originals, in one statement (four on SQLite). `checked`: the ids that already passed the
    rule (the page query's); every other id is read only if the viewer may read it."""
    wanted = {key["id"] for key in keys}
    originals = {key[c] for key in keys for c in ("repost_of_id", "quote_of_id")} - {None}
    by_id = {row["id"]: row for row in _rows(queryset, checked, (wanted | originals) - checked)}
    if connections[queryset.db].vendor != "postgresql":
        _complete_rows(list(by_id.values()), queryset.db, queryset._viewer)
    for key in keys:
        row = by_id.get(key["id"])
        if row is None:  # deleted since the page query, or not readable
            continue
        # The ordering annotations (a like's `liked_at`, ...) position the row.
        row = {**row, **key}
        for column, name in (("repost_of_id", "repost_of"), ("quote_of_id", "quote_of")):
            original = by_id.get(row[column])
            row[name] = {**original, "repost_of": None, "quote_of": None} if original else None
        yield row


def _rows(queryset, checked: set[int], unchecked: set[int]):
    """The rows of `checked` (which passed the page query) and of those of `unchecked` the
    viewer may read: `for_viewer`'s rule, and in a timeline (`unmuted_by`) a muted account's
    original is null too."""
    from .posts import Post

    viewer = queryset._viewer
    rows = Post.objects.using(queryset.db).filter(pk__in=checked | unchecked)
    if unchecked:
        # A correlated check on the rows found by id, not `IN (subquery)`: an OR of two
        # `IN`s cannot use the primary key and scans the table.
        readable = queryset._readable
        if readable is None:
            readable = Post.objects.using(queryset.db).visible_to(viewer)
        if queryset._unmuted:
            readable = readable.unmuted_by(viewer)
        rule = Exists(readable.filter(pk=OuterRef("pk")))
        rows = rows.filter(Q(pk__in=checked) | rule if checked else rule)
    rows = rows.with_viewer_state(viewer)
    rows._viewer = viewer
    states = list(rows.query.annotation_select)
    if connections[queryset.db].vendor != "postgresql":
        return rows.order_by().values(*POST_ROW_COLUMNS, *states)
    return (
        rows._with_arrays()
        .order_by()
        .values(*POST_ROW_COLUMNS, *states, "hashtag_names", "media_items", "mentions")
    )


def _complete_rows(rows: list[dict], db: str, viewer) -> None:
    from .interactions import PostMention
    from .media import Media
    from .posts import PostHashtag

    # A post may be in the page and the original of another row: two dicts, one id.
    by_id = defaultdict(list)
    for row in rows:
        row["hashtag_names"], row["media_items"], row["mentions"] = [], [], []
        by_id[row["id"]].append(row)
    if not by_id:
        return

    def add(key, post_id, value):
        for row in by_id[post_id]:
            row[key].append(value)

    # Names in alphabetical order, media in display order, as the arrays have them.
    tags = PostHashtag.objects.using(db).filter(post_id__in=by_id).order_by("hashtag__name")
    for post_id, name in tags.values_list("post_id", "hashtag__name"):
        add("hashtag_names", post_id, name)
    media = Media.objects.using(db).filter(post_id__in=by_id).order_by("position", "id")
    for post_id, *values in media.values_list("post_id", *MEDIA_ROW_COLUMNS):
        add("media_items", post_id, dict(zip(MEDIA_ROW_COLUMNS, values, strict=True)))
    mentions = PostMention.objects.using(db).shown().filter(account_visible(viewer, "user"))
    mentions = mentions.filter(post_id__in=by_id).order_by("id")
    for post_id, *values in mentions.values_list("post_id", *MENTION_ROW_COLUMNS.values()):
        add("mentions", post_id, dict(zip(MENTION_ROW_COLUMNS, values, strict=True)))
