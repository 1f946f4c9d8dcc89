from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsOwnerOrReadOnly(BasePermission):
    """Anyone may read; only the object's owner changes or deletes it.

    `owner_field` names the attribute of the object that holds its owner's id; each app
    subclasses with its own field and message, so this module needs to know no app's model.
    """

    owner_field = "owner_id"
    message = "Only the owner can change or delete this."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_authenticated and getattr(obj, self.owner_field) == request.user.pk
