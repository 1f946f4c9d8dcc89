"""The post app's part in other apps' writes (connected in `PostConfig.ready`)."""

from django.db.models import Q
from django.dispatch import receiver

from social_media.counters import counters_set
from social_media.files import delete_files_on_commit
from user.models import UserStats
from user.signals import account_activity_changed, account_deleting, accounts_blocked

from .models import Bookmark, Comment, CommentLike, Like, Media, Post


def _touched_by(users, *, on_authors=None) -> tuple[set, set, set]:
    """The posts and comments whose totals count something `users` did (on content by
    `on_authors`, when given), and the accounts whose posts_count counts their reposts."""

    def of(queryset, author_field):
        if on_authors is not None:
            queryset = queryset.filter(**{f"{author_field}__in": on_authors})
        return queryset

    posts = set(
        of(Like.objects.filter(user__in=users), "post__author").values_list("post", flat=True)
    )
    posts |= set(
        of(Comment.objects.filter(author__in=users), "post__author").values_list("post", flat=True)
    )
    posts |= set(
        of(Bookmark.objects.filter(user__in=users), "post__author").values_list("post", flat=True)
    )
    reposts = of(
        Post.objects.filter(author__in=users, repost_of__isnull=False), "repost_of__author"
    )
    posts |= set(reposts.values_list("repost_of", flat=True))
    comments = set(
        of(CommentLike.objects.filter(user__in=users), "comment__author").values_list(
            "comment", flat=True
        )
    )
    comments |= set(
        of(
            Comment.objects.filter(author__in=users, in_reply_to__isnull=False),
            "in_reply_to__author",
        ).values_list("in_reply_to", flat=True)
    )
    return posts, comments, set(reposts.values_list("author", flat=True))


@receiver(account_deleting)
def release_deleted_accounts_posts(sender, *, user, **kwargs):
    """Lock the account's posts before the cascade is collected: a like or comment inserted
    meanwhile by someone else would otherwise reference a row the delete no longer sees, and
    fail the whole transaction at commit. The media files go once the rows are gone."""
    list(Post.objects.select_for_update().filter(author=user).values_list("pk", flat=True))
    media = Media.objects.filter(Q(owner=user) | Q(post__author=user))
    names = [name for pair in media.values_list("file", "thumbnail") for name in pair]
    delete_files_on_commit(names, Media._meta.get_field("file").storage)
    # What the account did on others' content, and others' reposts of its posts (which
    # the cascade deletes): their totals are set again once the rows are gone.
    posts, comments, _ = _touched_by([user])
    reposters = set(
        Post.objects.filter(repost_of__author=user)
        .exclude(author=user)
        .values_list("author", flat=True)
    )

    def recount():
        counters_set(Post, posts)
        counters_set(Comment, comments)
        counters_set(UserStats, reposters)

    return recount


@receiver(account_activity_changed)
def recount_suspended_accounts_traces(sender, *, user, **kwargs):
    """A suspended account's likes, comments, replies and reposts leave the totals of what
    they were on (and come back with it)."""
    posts, comments, _ = _touched_by([user])
    counters_set(Post, posts)
    counters_set(Comment, comments)


@receiver(accounts_blocked)
def unlink_blocked_accounts(sender, *, blocker, blocked, **kwargs):
    """Nothing connects two accounts across a block: each one's likes and reposts of the
    other's posts, and likes of the other's comments, go (their counts with them)."""
    posts, comments, reposters = set(), set(), set()
    for one, other in ((blocker, blocked), (blocked, blocker)):
        touched = _touched_by([one], on_authors=[other])
        posts |= touched[0]
        comments |= touched[1]
        reposters |= touched[2]
        Like.objects.filter(user=one, post__author=other).delete()
        CommentLike.objects.filter(user=one, comment__author=other).delete()
        Post.objects.filter(author=one, repost_of__author=other).delete()
    counters_set(Post, posts)
    counters_set(Comment, comments)
    counters_set(UserStats, reposters)
