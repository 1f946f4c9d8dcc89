"""Posts, media, hashtags, feed, likes and comments.

Reads start from the named queryset methods of `post.models` (`visible_to`, `for_viewer`,
`feed_for`, `liked_by`, `tagged`, ...); writes with more than one step go through `post.services`.
The OpenAPI documentation of every operation lives in `post.openapi`.
"""

import re
from datetime import timedelta
from functools import cached_property

from django.db.models import F
from django.utils import timezone
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from idempotency.decorators import idempotent
from post import openapi
from post.feed_cache import FirstPageCache
from post.filters import HashtagFilter, PostFilter
from post.hashtags import HASHTAG_MAX_LENGTH, normalize_hashtag
from post.models import Hashtag, Post
from post.permissions import IsAuthorOrReadOnly
from post.serializers.posts import (
    BookmarkStatusSerializer,
    HashtagSerializer,
    LikeStatusSerializer,
    MediaSerializer,
    MediaUploadSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
    TrendingQuerySerializer,
)
from post.services.interactions import like_create, like_delete
from post.services.media import media_create
from post.services.posts import post_create, post_delete, post_update
from post.services.reposts import (
    bookmark_create,
    bookmark_delete,
    original_of,
    repost_create,
    repost_delete,
)
from social_media.throttling import ScopedRateThrottle
from social_media.views import created_or_existing, vanished_is_not_found
from user.lookup import user_pk_from_path
from user.models import User
from user.serializers import UserSerializer

NEWEST_FIRST = ("-created_at", "-id")
_TAG_NAME = re.compile(rf"\w{{1,{HASHTAG_MAX_LENGTH}}}")


def schema_generation(view) -> bool:
    """drf-spectacular instantiates views without a request's kwargs or user."""
    return getattr(view, "swagger_fake_view", False)


def visible_post(viewer, post_id) -> Post:
    """The post behind a nested route (`/posts/{post_id}/...`), or a 404."""
    return get_object_or_404(Post.objects.visible_to(viewer), pk=post_id)


@openapi.media
class MediaViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = MediaUploadSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "media"
    pagination_class = None

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        media = media_create(owner=request.user, **self.upload_arguments(serializer))
        return Response(
            MediaSerializer(media, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @staticmethod
    def upload_arguments(serializer) -> dict:
        data = serializer.validated_data
        return {"upload": data["file"], "description": data["description"]}


def post_page(view, posts):
    """A page of posts: `as_rows()` dicts rendered by `PostSerializer`, never model instances
    (see `PostQuerySet.as_rows` for what that saves)."""
    page = view.paginate_queryset(posts.as_rows())
    serializer = PostSerializer(page, many=True, context=view.get_serializer_context())
    return view.get_paginated_response(serializer.data)


class PostPageMixin:
    """`list` for views whose queryset is posts from `Post.objects.for_viewer`."""

    def list(self, request, *args, **kwargs):
        return post_page(self, self.filter_queryset(self.get_queryset()))


@openapi.posts
class PostViewSet(PostPageMixin, viewsets.ModelViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
    filterset_class = PostFilter
    cursor_ordering = NEWEST_FIRST
    throttle_scope = "posts"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action in (
            "destroy",
            "like",
            "unlike",
            "update",
            "partial_update",
            "repost",
            "unrepost",
            "bookmark",
            "unbookmark",
        ):
            # These need the row only (its author for the permission): no counts; the
            # response of an edit is read afresh by `represent`.
            return Post.objects.visible_to(self.request.user)
        posts = Post.objects.for_viewer(self.request.user)
        # The list and its search are a timeline; one post by id is a direct link.
        return posts.unmuted_by(self.request.user) if self.action == "list" else posts

    def get_serializer_class(self):
        if self.action == "create":
            return PostCreateSerializer
        if self.action in ("update", "partial_update"):
            return PostUpdateSerializer
        return PostSerializer

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ScopedRateThrottle())
        return throttles

    def retrieve(self, request, pk=None):
        # What `get_object` does, on a row: the same filters, and DRF's get_object_or_404 (a
        # malformed id is a 404 too). Reads pass every object permission, so there is no
        # instance to check.
        row = get_object_or_404(self.filter_queryset(self.get_queryset()).as_rows(), pk=pk)
        return Response(self.get_serializer(row).data)

    def represent(self, post: Post) -> dict:
        """A written post as list items show it (same rows, same representation)."""
        rows = Post.objects.for_viewer(self.request.user).rows_of([post])
        if not rows:
            # Deleted between the write's commit and this read.
            raise NotFound("This post no longer exists.")
        return PostSerializer(rows[0], context=self.get_serializer_context()).data

    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = post_create(author=request.user, **serializer.validated_data)
        return Response(self.represent(post), status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        post = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        post_update(post=post, text=serializer.validated_data.get("text", post.text))
        return Response(self.represent(post))

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def perform_destroy(self, instance):
        post_delete(post=instance)

    @openapi.like
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def like(self, request, pk=None):
        post = self.get_object()
        with vanished_is_not_found(Post):
            created = like_create(user=request.user, post=post)
        body = {
            "post": post.pk,
            "liked_by_me": True,
            # `first() or 0`: the post may have been deleted since the like was written.
            "like_count": Post.objects.filter(pk=post.pk)
            .values_list("like_count", flat=True)
            .first()
            or 0,
        }
        return created_or_existing(LikeStatusSerializer(body).data, created)

    @openapi.unlike
    @like.mapping.delete
    def unlike(self, request, pk=None):
        return self.withdraw(like_delete)

    @openapi.repost
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def repost(self, request, pk=None):
        with vanished_is_not_found(Post, "This post no longer exists."):
            repost, created = repost_create(user=request.user, post=self.get_object())
        return created_or_existing(self.represent(repost), created)

    @openapi.unrepost
    @repost.mapping.delete
    def unrepost(self, request, pk=None):
        return self.withdraw(repost_delete)

    @openapi.bookmark
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def bookmark(self, request, pk=None):
        post = self.get_object()
        with vanished_is_not_found(Post, "This post no longer exists."):
            created = bookmark_create(user=request.user, post=post)
        body = {"post": post.pk, "bookmarked_by_me": True}
        return created_or_existing(BookmarkStatusSerializer(body).data, created)

    @openapi.unbookmark
    @bookmark.mapping.delete
    def unbookmark(self, request, pk=None):
        return self.withdraw(bookmark_delete)

    def withdraw(self, service) -> Response:
        """Undo the caller's like, repost or bookmark of this post (none to undo is fine)."""
        service(user=self.request.user, post=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostListViewSet(PostPageMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A read-only timeline of posts, newest first, without the `/posts/` filters."""

    serializer_class = PostSerializer
    filter_backends = []
    cursor_ordering = NEWEST_FIRST

    def get_queryset(self):
        if schema_generation(self):
            return Post.objects.none()
        return self.timeline(Post.objects.for_viewer(self.request.user))

    def timeline(self, posts):
        raise NotImplementedError


@openapi.feed
class FeedViewSet(PostListViewSet):
    permission_classes = [IsAuthenticated]

    @cached_property
    def first_page(self) -> FirstPageCache | None:
        # The first page is kept for a few seconds per user (see post.feed_cache).
        return FirstPageCache.for_request(self.request)

    def list(self, request, *args, **kwargs):
        first_page = self.first_page
        if first_page is None:
            return super().list(request, *args, **kwargs)
        cached, generation = first_page.lookup(request)
        if cached is not None:
            return cached
        response = super().list(request, *args, **kwargs)
        first_page.store_when_rendered(response, generation=generation)
        return response

    def timeline(self, posts):
        return posts.feed_for(self.request.user)


@openapi.user_posts
class UserPostViewSet(PostListViewSet):
    """`/users/{user_id}/posts/`, where `user_id` is an id or `me`."""

    def timeline(self, posts):
        return posts.filter(author_id=self.author_id())

    def author_id(self) -> int:
        lookup = self.kwargs["user_id"]
        pk = user_pk_from_path(self.request, lookup)
        # Existence under the visibility rule alone, no counts (the caller, `me`, exists).
        if lookup != "me" and not User.objects.visible_to(self.request.user).filter(pk=pk).exists():
            raise NotFound("No user with this id.")
        return pk


class CallerMarkedPostViewSet(PostListViewSet):
    """Posts the caller marked (`mark`: liked or bookmarked), by the time of the mark, not
    of the post; each post is marked once per user, so its id breaks ties between marks of
    the same instant. Only ever the caller's own (bookmarks are private)."""

    permission_classes = [IsAuthenticated]
    mark: str  # `PostQuerySet.<mark>_by`, which annotates `<mark>_at`

    @property
    def cursor_ordering(self):
        return (f"-{self.mark}_at", "-id")

    def timeline(self, posts):
        return getattr(posts, f"{self.mark}_by")(self.request.user)


@openapi.liked_posts
class LikedPostViewSet(CallerMarkedPostViewSet):
    mark = "liked"


@openapi.bookmarks
class BookmarkedPostViewSet(CallerMarkedPostViewSet):
    """`/users/me/bookmarks/`."""

    mark = "bookmarked"


class PostAccountsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The accounts that did something to a post the caller may see (`accounts`), as users
    (`UserSerializer`), the most recent first; a post the caller may not see is a 404."""

    serializer_class = UserSerializer
    filter_backends = []

    def get_queryset(self):
        if schema_generation(self):
            return User.objects.none()
        post = visible_post(self.request.user, self.kwargs["post_id"])
        return self.accounts(User.objects.for_viewer(self.request.user), post)

    def accounts(self, users, post):
        raise NotImplementedError


@openapi.reposters
class PostReposterViewSet(PostAccountsViewSet):
    """`/posts/{post_id}/reposts/`: the users who reposted a post."""

    cursor_ordering = ("-reposted_at", "-id")

    def accounts(self, users, post):
        return users.filter(posts__repost_of=original_of(post)).annotate(
            reposted_at=F("posts__created_at")
        )


@openapi.likers
class PostLikerViewSet(PostAccountsViewSet):
    """`/posts/{post_id}/likes/`: the users who liked a post, most recent like first."""

    cursor_ordering = ("-liked_at", "-id")

    def accounts(self, users, post):
        return users.likers_of(post)


@openapi.hashtags
class HashtagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = HashtagSerializer
    filterset_class = HashtagFilter
    cursor_ordering = ("name",)
    lookup_field = "name"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return Hashtag.objects.in_use().with_post_count()

    @openapi.trending
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def trending(self, request):
        query = TrendingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = timezone.now() - timedelta(hours=query.validated_data["hours"])
        tags = Hashtag.objects.trending(since=since)[: query.validated_data["page_size"]]
        # A bounded top list: one page, so there is never a next one.
        return Response(
            {"next": None, "previous": None, "results": self.get_serializer(tags, many=True).data}
        )

    @openapi.hashtag_posts
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        serializer_class=PostSerializer,
        cursor_ordering=NEWEST_FIRST,
    )
    def posts(self, request, name=None):
        tag = normalize_hashtag(name)
        posts = Post.objects.for_viewer(request.user).unmuted_by(request.user)
        # A name that cannot be a tag has no posts; it never reaches the database.
        posts = posts.tagged(tag) if _TAG_NAME.fullmatch(tag) else posts.none()
        return post_page(self, posts)
