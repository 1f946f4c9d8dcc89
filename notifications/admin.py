from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "recipient", "actor", "post", "comment", "read", "created_at")
    list_filter = ("type", "read")
    # Foreign keys as ids: a select of every user or post would load whole tables.
    raw_id_fields = ("recipient", "actor", "post", "comment")
    list_select_related = ("recipient", "actor")
