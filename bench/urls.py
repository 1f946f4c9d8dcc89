"""The product URLs plus `/bench/baseline/`, a DRF view that does nothing.

The baseline is the floor the issue compares the feed against: a bare `APIView` with no
authentication, permissions, throttles or database, returning a constant JSON body about
the size of a feed page (20 posts), rendered by the same DRF `JSONRenderer`.
"""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


def _fake_post(i: int) -> dict:
    return {
        "id": 1_000_000 - i,
        "author": {
            "id": 4242 + i,
            "username": f"user{4242 + i:05d}",
            "display_name": f"Bench User {4242 + i}",
            "avatar": None,
        },
        "text": (
            "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
            f"incididunt ut labore #tag{i} #python"
        ),
        "hashtags": [f"tag{i}", "python"],
        "media": [],
        "created_at": "2026-11-28T12:34:56.123456Z",
        "updated_at": "2026-11-28T12:34:56.123456Z",
        "like_count": 12 + i,
        "comment_count": 3,
        "liked_by_me": False,
    }


FEED_PAGE = {
    "next": "http://127.0.0.1:8000/api/v1/feed/?cursor=cD0yMDI2LTExLTI4KzEyJTNBMzQlM0E1Ni4xMjM0NTYlMkIwMCUzQTAw",
    "previous": None,
    "results": [_fake_post(i) for i in range(20)],
}


class BaselineView(APIView):
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()

    def get(self, request):
        return Response(FEED_PAGE)


urlpatterns = [
    path("bench/baseline/", BaselineView.as_view()),
    path("", include("social_media.urls")),
]
