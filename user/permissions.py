from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsSelfOrReadOnly(BasePermission):
    """Anyone may read a profile; only its owner may change it or act on its behalf."""

    message = "You can only change your own account."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_authenticated and obj.pk == request.user.pk
