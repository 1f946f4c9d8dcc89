from social_media.permissions import IsOwnerOrReadOnly


class IsAuthorOrReadOnly(IsOwnerOrReadOnly):
    """Anyone may read; only the author changes or deletes a post or comment."""

    owner_field = "author_id"
    message = "Only the author can change or delete this."
