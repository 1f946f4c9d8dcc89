"""Mentions: the `@username`s of a post's or comment's text as rows, and their notices.

A row per user ever mentioned in the text (`in_text` says whether the current text still
names them): new rows are the users to notify, so an edit that drops a name and writes it
again notifies nobody twice.
"""

from collections.abc import Sequence

from django.db.models.functions import Lower

from post.mentions import parse_mentions
from post.models import Comment, CommentMention, Post, PostMention
from post.services.notify import notify_mentions
from user.models import Block, User


def _user_ids(names) -> dict[str, int]:
    """Lower-cased name → id of the active accounts with these names (the case-insensitive
    unique index on the name answers it)."""
    if not names:
        return {}
    return dict(
        User.objects.active()
        .annotate(name=Lower("username"))
        .filter(name__in=names)
        .values_list("name", "id")
    )


def _blocked_pairs(pairs: set[tuple[int, int]]) -> set[frozenset[int]]:
    """The (writer, mentioned) pairs with a block between them, either way: one query. A
    mention across a block stays plain text (no row, no notice)."""
    if not pairs:
        return set()
    ids = {user_id for pair in pairs for user_id in pair}
    blocks = Block.objects.filter(blocker__in=ids, blocked__in=ids)
    found = {frozenset(pair) for pair in blocks.values_list("blocker", "blocked")}
    return {frozenset(pair) for pair in pairs} & found


def mentions_link_posts(posts: Sequence[Post]) -> None:
    """Link and notify the mentions of freshly inserted posts, in a constant number of
    queries for any number of posts (the scheduled publisher's bursts)."""
    names_per_post = [(post, parse_mentions(post.text)) for post in posts]
    ids = _user_ids({name for _, names in names_per_post for name in names})
    blocked = _blocked_pairs(
        {
            (post.author_id, ids[name])
            for post, names in names_per_post
            for name in names
            if name in ids
        }
    )
    rows = [
        PostMention(post=post, user_id=ids[name])
        for post, names in names_per_post
        for name in names
        if name in ids and frozenset((post.author_id, ids[name])) not in blocked
    ]
    PostMention.objects.bulk_create(rows)
    notify_mentions(mentions=[(row.user_id, row.post.author_id, row.post.pk, None) for row in rows])


def mentions_set_post(post: Post) -> None:
    """After an edit of a (locked) post: the mentions follow the new text."""
    rows = PostMention.objects.filter(post=post)
    new = _mentions_set(PostMention, rows, post.text, writer_id=post.author_id, post=post)
    notify_mentions(mentions=[(user_id, post.author_id, post.pk, None) for user_id in new])


def mentions_set_comment(comment: Comment) -> None:
    """After a (locked) comment is written or edited: the mentions follow its text."""
    rows = CommentMention.objects.filter(comment=comment)
    new = _mentions_set(
        CommentMention, rows, comment.text, writer_id=comment.author_id, comment=comment
    )
    notify_mentions(
        mentions=[(user_id, comment.author_id, comment.post_id, comment.pk) for user_id in new]
    )


def _mentions_set(model, rows, text: str, *, writer_id: int, **owner) -> list[int]:
    """Bring `rows` (one text's mention rows) in line with `text`; returns the ids of the
    users mentioned for the first time."""
    wanted = set(_user_ids(parse_mentions(text)).values())
    blocked = _blocked_pairs({(writer_id, user_id) for user_id in wanted})
    wanted = {user_id for user_id in wanted if frozenset((writer_id, user_id)) not in blocked}
    known = dict(rows.values_list("user_id", "in_text"))
    rows.filter(user_id__in=wanted, in_text=False).update(in_text=True)
    rows.exclude(user_id__in=wanted).filter(in_text=True).update(in_text=False)
    new = [user_id for user_id in wanted if user_id not in known]
    # ignore_conflicts: the caller holds the text's row lock, but a retry must not fail.
    model.objects.bulk_create(
        [model(user_id=user_id, **owner) for user_id in new], ignore_conflicts=True
    )
    return sorted(new)
