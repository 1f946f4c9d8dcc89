from rest_framework.routers import SimpleRouter

from post.views import comments
from post.views import posts as views
from post.views.scheduled import ScheduledPostViewSet

router = SimpleRouter(trailing_slash=True)
router.register("media", views.MediaViewSet, basename="media")
router.register("posts", views.PostViewSet, basename="post")
router.register(r"posts/(?P<post_id>[^/.]+)/likes", views.PostLikerViewSet, basename="post-likes")
router.register(
    r"posts/(?P<post_id>[^/.]+)/reposts", views.PostReposterViewSet, basename="post-reposts"
)
router.register(
    r"posts/(?P<post_id>[^/.]+)/comments", comments.PostCommentViewSet, basename="post-comments"
)
router.register("comments", comments.CommentViewSet, basename="comment")
router.register("feed", views.FeedViewSet, basename="feed")
router.register("hashtags", views.HashtagViewSet, basename="hashtag")
router.register("users/me/liked-posts", views.LikedPostViewSet, basename="liked-posts")
router.register("users/me/bookmarks", views.BookmarkedPostViewSet, basename="bookmarks")
router.register(r"users/(?P<user_id>[^/.]+)/posts", views.UserPostViewSet, basename="user-posts")
router.register("scheduled-posts", ScheduledPostViewSet, basename="scheduled-post")

urlpatterns = router.urls
