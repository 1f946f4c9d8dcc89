"""The post app's serializers, one module per resource: `posts` (posts, media, comments,
hashtags) and `scheduled`. Import from the module that defines a serializer."""
