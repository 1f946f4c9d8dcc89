from social_media.permissions import IsOwnerOrReadOnly


class IsSelfOrReadOnly(IsOwnerOrReadOnly):
    """Anyone may read a profile; only its owner may change it or act on its behalf."""

    owner_field = "pk"
    message = "You can only change your own account."
