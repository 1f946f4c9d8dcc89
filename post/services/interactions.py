from functools import cache

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from post.models import Comment, Like, Post


def like_create(*, user, post: Post) -> bool:
    """Like `post` once; True when this call created the like, False when it existed.

    One statement, `INSERT ... ON CONFLICT (user, post) DO NOTHING RETURNING id`, which the
    ORM cannot say (`bulk_create(ignore_conflicts=True)` does not tell created from existing).
    The unique constraint settles concurrent duplicates: the loser waits for the winner's
    commit, then does nothing. A like racing an unlike inserts again once the unlike has
    committed, so no retry loop is needed. The post's foreign key is checked when the
    transaction ends (Django declares it DEFERRABLE INITIALLY DEFERRED): called outside a
    transaction, as the view does, the statement is its own transaction, and a post deleted
    meanwhile surfaces here as an IntegrityError: `Post.DoesNotExist`.
    """
    created_at = Like._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(_insert_like_sql(), [user.pk, post.pk, created_at])
            return cursor.fetchone() is not None
    except IntegrityError:
        raise Post.DoesNotExist("The post no longer exists.") from None


@cache
def _insert_like_sql() -> str:
    meta, quote = Like._meta, connection.ops.quote_name
    user, post, created_at, pk = (
        quote(meta.get_field(name).column) for name in ("user", "post", "created_at", "id")
    )
    # Identifiers from the model's metadata, quoted; the values are bound parameters.
    return (
        f"INSERT INTO {quote(meta.db_table)} ({user}, {post}, {created_at}) "  # noqa: S608
        f"VALUES (%s, %s, %s) ON CONFLICT ({user}, {post}) DO NOTHING RETURNING {pk}"
    )


def like_delete(*, user, post: Post) -> None:
    """Idempotent: unliking a post that is not liked leaves the same state."""
    Like.objects.filter(user=user, post=post).delete()


def comment_create(*, author, post: Post, text: str) -> Comment:
    """Raises `Post.DoesNotExist` when the post is deleted meanwhile (see `like_create`)."""
    try:
        with transaction.atomic():
            return Comment.objects.create(author=author, post=post, text=text)
    except IntegrityError:
        raise Post.DoesNotExist("The post no longer exists.") from None


def comment_update(*, comment: Comment, text: str) -> Comment:
    comment.text = text
    comment.save(update_fields=["text", "updated_at"])
    return comment


def comment_delete(*, comment: Comment) -> None:
    comment.delete()
