"""What the user app tells other apps about its accounts, so that it imports none of them."""

from django.dispatch import Signal

# Sent by `user_delete` inside its transaction, before the account's row is locked and the
# cascade is collected, with `user=`. A receiver locks the rows of its own app that the
# cascade will delete (so nothing new can reference them meanwhile), schedules the deletion
# of their files after the commit, and may return a callable that `user_delete` runs once
# the rows are gone, in the same transaction (to set again the totals they were part of).
account_deleting = Signal()

# Sent by `user_activity_set` inside its transaction once the account is suspended or
# reinstated, with `user=`: what the account did leaves the totals, or comes back to them.
account_activity_changed = Signal()

# Sent by `block_create` inside its transaction, under the pair's lock, with `blocker=` and
# `blocked=`. A receiver removes its app's links between the two accounts (likes, reposts),
# so that nothing connects them across the block.
accounts_blocked = Signal()
