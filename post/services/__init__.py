"""Multi-step writes of the post app, one keyword-only function per action.

Split by entity: `posts` (posts, hashtags, media attachment), `media`, `interactions`
(likes, comments) and `scheduled` (scheduled posts and their publication). Import from the
module that defines a function.
"""
