from django.db.models import Q
from rest_framework import serializers

from post.models import Media
from post.services.posts import MAX_MEDIA_PER_POST


class PostContentSerializer(serializers.Serializer):
    """What a post and a scheduled post both consist of, validated by the same rules."""

    text = serializers.CharField(min_length=1, max_length=2000, trim_whitespace=True)
    media_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=MAX_MEDIA_PER_POST,
        required=False,
        default=list,
        help_text=f"Up to {MAX_MEDIA_PER_POST} ids of your own unattached uploads "
        "(`POST /api/v1/media/`), in display order.",
    )

    def validate_media_ids(self, media_ids):
        if len(set(media_ids)) != len(media_ids):
            raise serializers.ValidationError("The same media is listed twice.")
        available = Media.objects.filter(
            id__in=media_ids, owner=self.context["request"].user
        ).filter(self.attachable_media_condition())
        missing = set(media_ids) - set(available.values_list("id", flat=True))
        if missing:
            raise serializers.ValidationError(
                f"Not unattached uploads of yours: {', '.join(map(str, sorted(missing)))}."
            )
        return media_ids

    def attachable_media_condition(self):
        """Uploads this object may take: unattached ones. Subclasses widen it on edits."""
        return Q(post__isnull=True, scheduled_post__isnull=True)
