"""Multi-step writes of the post app, one keyword-only function per action.

Split by entity: `posts` (posts, hashtags, media attachment; `posts_create` is the one way
a post is made), `media`, `interactions` (likes, comments), `scheduling` (scheduled posts:
create, edit, cancel) and `publishing` (turning due scheduled posts into posts, exactly
once). Import from the module that defines a function.
"""
