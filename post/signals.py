"""The post app's part in other apps' writes (connected in `PostConfig.ready`)."""

from django.db.models import Q
from django.dispatch import receiver

from social_media.files import delete_files_on_commit
from user.signals import account_deleting, accounts_blocked

from .models import CommentLike, Like, Media, Post


@receiver(account_deleting)
def release_deleted_accounts_posts(sender, *, user, **kwargs):
    """Lock the account's posts before the cascade is collected: a like or comment inserted
    meanwhile by someone else would otherwise reference a row the delete no longer sees, and
    fail the whole transaction at commit. The media files go once the rows are gone."""
    list(Post.objects.select_for_update().filter(author=user).values_list("pk", flat=True))
    media = Media.objects.filter(Q(owner=user) | Q(post__author=user))
    names = [name for pair in media.values_list("file", "thumbnail") for name in pair]
    delete_files_on_commit(names, Media._meta.get_field("file").storage)


@receiver(accounts_blocked)
def unlink_blocked_accounts(sender, *, blocker, blocked, **kwargs):
    """Nothing connects two accounts across a block: each one's likes and reposts of the
    other's posts, and likes of the other's comments, go (their counts with them)."""
    for one, other in ((blocker, blocked), (blocked, blocker)):
        Like.objects.filter(user=one, post__author=other).delete()
        CommentLike.objects.filter(user=one, comment__author=other).delete()
        Post.objects.filter(author=one, repost_of__author=other).delete()
