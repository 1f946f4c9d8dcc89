from rest_framework.routers import SimpleRouter

from user.views.auth import AuthViewSet
from user.views.relationships import BlockedUserViewSet, FollowRequestViewSet, MutedUserViewSet
from user.views.users import UserViewSet

router = SimpleRouter(trailing_slash=True)
router.register("auth", AuthViewSet, basename="auth")
router.register("users/me/blocks", BlockedUserViewSet, basename="blocks")
router.register("users/me/mutes", MutedUserViewSet, basename="mutes")
router.register("users", UserViewSet, basename="user")
router.register("follow-requests", FollowRequestViewSet, basename="follow-request")

urlpatterns = router.urls
