"""`POST /reports/`: a user reports an account, a post or a comment to the moderators, who
work through the reports in the Django admin (`moderation.admin`)."""

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from moderation import openapi
from moderation.serializers import ReportCreateSerializer, ReportSerializer
from moderation.services import report_create
from social_media.throttling import ScopedThrottleMixin
from social_media.views import created_or_existing


@openapi.reports
class ReportViewSet(ScopedThrottleMixin, viewsets.GenericViewSet):
    serializer_class = ReportCreateSerializer
    permission_classes = [IsAuthenticated]
    throttle_scope = "reports"
    pagination_class = None

    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        report, created = report_create(reporter=request.user, **body.validated_data)
        return created_or_existing(ReportSerializer(report).data, created)
