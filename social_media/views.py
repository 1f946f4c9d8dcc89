import logging
from contextlib import contextmanager

from django.db import connection
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .celery import app as celery_app

logger = logging.getLogger(__name__)


@contextmanager
def vanished_is_not_found(model, detail: str | None = None):
    """A write to a row deleted meanwhile (the service raises `model.DoesNotExist` once the
    view has found it) answers `404`, as reading it a moment later would."""
    try:
        yield
    except model.DoesNotExist:
        raise NotFound(detail) from None


def created_or_existing(data, created: bool) -> Response:
    """The answer of an idempotent create, the same body either way: `201` when new, `200`
    when it already existed (documented by `social_media.openapi.created_or_existing`)."""
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def broker_is_up() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Opening a channel is what talks to Redis; connecting alone may be lazy.
            conn.default_channel.close()
        return True
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False


HealthSerializer = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=["ok", "error"]),
        "database": serializers.ChoiceField(choices=["ok", "error"]),
        "broker": serializers.ChoiceField(choices=["ok", "error"]),
    },
)


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        tags=["Health"],
        summary="Service health",
        description=(
            "Checks the database and the Celery broker for real (a query and a broker "
            "connection). `200` when both answer, `503` naming the failing part otherwise. "
            "No authentication, not throttled: meant for load balancers and orchestrators."
        ),
        responses={200: HealthSerializer, 503: HealthSerializer},
        examples=[
            OpenApiExample(
                "Healthy",
                value={"status": "ok", "database": "ok", "broker": "ok"},
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Database down",
                value={"status": "error", "database": "error", "broker": "ok"},
                response_only=True,
                status_codes=["503"],
            ),
        ],
    )
    def get(self, request):
        parts = {
            "database": "ok" if database_is_up() else "error",
            "broker": "ok" if broker_is_up() else "error",
        }
        healthy = all(value == "ok" for value in parts.values())
        return Response(
            {"status": "ok" if healthy else "error", **parts},
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )


def json_bad_request(request, exception=None):
    """Django's own 400s (too many form fields, a disallowed Host) as JSON, not HTML."""
    return JsonResponse({"detail": "Bad request."}, status=400)


def json_not_found(request, exception=None):
    """Outside DRF views too, a client gets JSON, never Django's HTML error page."""
    return JsonResponse({"detail": "Not found."}, status=404)


def json_server_error(request):
    # Deliberately says nothing about the failure: details go to the logs, not the client.
    return JsonResponse({"detail": "Internal server error."}, status=500)
