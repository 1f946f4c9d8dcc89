"""seed_demo's notifications: the ones its services wrote, set to the time of their causes.

The seeder makes its follows, likes, comments and posts through the services, which notify
as the API does; only the timestamps (backdated after the fact) and the read state need
settling here.
"""

import random

from notifications.models import Notification, NotificationType
from notifications.services import (
    NotificationDraft,
    notifications_create,
    notifications_mark_read,
)
from post.models import Comment, Like, Post
from user.models import Follow, User


def notifications_settle(*, people: list[User], rng: random.Random) -> tuple[int, int]:
    """The services notified as each cause was made, stamped now and numbered in the
    order made; the causes were backdated since. Write them again oldest cause first, at
    their cause's moment (so that ids follow time, as the newest-first list assumes), then
    have everyone read all but their newest few, as `POST /notifications/read/` does.
    Returns how many there are and how many are left unread."""
    rows = Notification.objects.filter(recipient__in=people)
    moment = _cause_moments(people)
    made = sorted(rows, key=lambda row: (moment(row), row.pk))
    rows.delete()
    key = ("recipient_id", "type", "actor_id", "post_id", "comment_id")
    notifications_create(
        drafts=[NotificationDraft(**{k: getattr(row, k) for k in key}) for row in made]
    )
    # Each row is unique by its cause (the constraints of `Notification`), so the cause
    # finds its new row.
    moments = {tuple(getattr(row, k) for k in key): moment(row) for row in made}
    remade = list(rows.order_by("id"))
    for row in remade:
        row.created_at = moments[tuple(getattr(row, k) for k in key)]
    Notification.objects.bulk_update(remade, ["created_at"])
    unread = 0
    for person in people:
        newest_first = list(Notification.objects.of(person).values_list("pk", flat=True))
        keep = rng.randint(2, 6)
        if len(newest_first) > keep:
            notifications_mark_read(recipient=person, up_to=newest_first[keep])
        unread += min(keep, len(newest_first))
    return len(remade), unread


def _cause_moments(people: list[User]):
    """A function from a notification to when its cause happened."""
    follows = {
        (follower, followee): at
        for follower, followee, at in Follow.objects.filter(follower__in=people).values_list(
            "follower", "followee", "created_at"
        )
    }
    likes = {
        (user, post): at
        for user, post, at in Like.objects.filter(user__in=people).values_list(
            "user", "post", "created_at"
        )
    }
    posts = Post.objects.filter(author__in=people)
    reposts = {
        (author, original): at
        for author, original, at in posts.filter(repost_of__isnull=False).values_list(
            "author", "repost_of", "created_at"
        )
    }
    posted = dict(posts.values_list("pk", "created_at"))
    commented = dict(Comment.objects.filter(author__in=people).values_list("pk", "created_at"))

    def moment(row: Notification):
        if row.comment_id:  # a comment, a reply, a mention in a comment
            return commented[row.comment_id]
        # A follow, like or repost that a block removed since keeps its notification (hidden
        # by the block): it stays at the time it was written.
        match row.type:
            case NotificationType.FOLLOW:
                return follows.get((row.actor_id, row.recipient_id), row.created_at)
            case NotificationType.LIKE:
                return likes.get((row.actor_id, row.post_id), row.created_at)
            case NotificationType.REPOST:
                return reposts.get((row.actor_id, row.post_id), row.created_at)
            case NotificationType.FOLLOW_REQUEST | NotificationType.FOLLOW_ACCEPTED:
                return row.created_at  # made last, at the time of seeding
        return posted[row.post_id]  # a mention in a post, a quote: the post itself

    return moment
