"""Hashtags: the tag itself and the reads of tags (in use, counts, prefix search, trending)."""

from django.db import models
from django.db.models import Count, Exists, OuterRef

from social_media.db import count_subquery


class HashtagQuerySet(models.QuerySet):
    def in_use(self):
        """Tags carrying at least one visible post: a tag whose posts were all deleted, or
        whose authors are all deactivated, is not listed (the row stays for their return)."""
        return self.filter(Exists(self._visible_links()))

    def with_post_count(self):
        """The visible posts carrying the tag, counted in a subquery on the (hashtag, post)
        index."""
        return self.annotate(post_count=count_subquery(self._visible_links(), "hashtag"))

    @staticmethod
    def _visible_links():
        # Imported here: `posts` imports this module for the `Post.hashtags` field.
        from .posts import PostHashtag

        # `PostQuerySet.visible_to` as a join, not as `post__in=<subquery>`: correlated per
        # tag, the join walks that tag's links, where the planner may hash every post.
        # Counts are the same for every caller, so only public accounts' posts are in them.
        return PostHashtag.objects.filter(
            hashtag=OuterRef("pk"), post__author__is_active=True, post__author__is_private=False
        )

    def prefixed(self, prefix: str):
        # Names are stored lower-cased, so a case-sensitive prefix match on the normalised
        # prefix is the case-insensitive search, and it can use the unique index's
        # pattern-ops twin on PostgreSQL (LIKE 'abc%') instead of scanning UPPER(name).
        return self.filter(name__startswith=prefix)

    def trending(self, *, since):
        """Tags by the number of posts since `since`, most first, ties by name.

        `post_count` counts only posts in the window: the filter and the Count sit in one
        join, so the aggregate sees only the rows that passed it.
        """
        return (
            self.filter(
                posts__created_at__gte=since,
                posts__author__is_active=True,
                posts__author__is_private=False,
            )
            .annotate(post_count=Count("posts"))
            .order_by("-post_count", "name")
        )


class Hashtag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HashtagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"#{self.name}"
