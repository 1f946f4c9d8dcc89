"""The post app's views, one module per resource: `posts` (posts, media, feed, likes,
hashtags), `comments` and `scheduled`. Import from the module that defines a view."""
