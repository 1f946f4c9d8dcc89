from django.contrib import admin

from post.models import Comment, Hashtag, Like, Media, Post, ScheduledPost
from post.services.posts import media_files, post_delete
from social_media.files import delete_files_on_commit


class MediaInline(admin.TabularInline):
    model = Media
    fk_name = "post"
    fields = ("file", "thumbnail", "width", "height", "description", "position")
    readonly_fields = ("file", "thumbnail", "width", "height")
    extra = 0
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "short_text", "created_at")
    list_select_related = ("author",)
    search_fields = ("text", "author__username")
    # Foreign keys as ids: a drop-down of every user would load the whole table.
    raw_id_fields = ("author",)
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [MediaInline]

    @admin.display(description="text")
    def short_text(self, post):
        return post.text[:80]

    # Deleting goes through the service so media files go with the rows.
    def delete_model(self, request, obj):
        post_delete(post=obj)

    def delete_queryset(self, request, queryset):
        for post in queryset:
            post_delete(post=post)


@admin.register(Hashtag)
class HashtagAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    show_full_result_count = False


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "post", "width", "height", "created_at")
    list_select_related = ("owner",)
    raw_id_fields = ("owner", "post", "scheduled_post")
    readonly_fields = ("file", "thumbnail", "width", "height", "created_at")
    show_full_result_count = False

    def delete_model(self, request, obj):
        self.delete_queryset(request, Media.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        files = media_files(queryset)
        queryset.delete()
        delete_files_on_commit(files)


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "post", "created_at")
    # In this order: `created_at` comes first among the model's fields (from `Mark`).
    fields = ("user", "post", "created_at")
    list_select_related = ("user",)
    raw_id_fields = ("user", "post")
    show_full_result_count = False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "post", "text", "created_at")
    list_select_related = ("author",)
    search_fields = ("text",)
    raw_id_fields = ("author", "post")
    show_full_result_count = False


@admin.register(ScheduledPost)
class ScheduledPostAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "status", "publish_at", "post")
    list_select_related = ("author",)
    list_filter = ("status",)
    raw_id_fields = ("author", "post")
    readonly_fields = ("status", "post", "task_id", "error", "created_at", "updated_at")
    show_full_result_count = False
