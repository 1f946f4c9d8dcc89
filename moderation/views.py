"""`POST /reports/`: a user reports an account, a post or a comment to the moderators, who
work through the reports in the Django admin (`moderation.admin`)."""

from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from moderation import openapi
from moderation.serializers import ReportCreateSerializer, ReportSerializer
from moderation.services import report_create
from social_media.throttling import ScopedRateThrottle


@openapi.reports
class ReportViewSet(viewsets.GenericViewSet):
    serializer_class = ReportCreateSerializer
    permission_classes = [IsAuthenticated]
    throttle_scope = "reports"
    pagination_class = None

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]

    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        report, created = report_create(reporter=request.user, **body.validated_data)
        return Response(
            ReportSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
