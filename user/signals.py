"""What the user app tells other apps about its accounts, so that it imports none of them."""

from django.dispatch import Signal

# Sent by `user_delete` inside its transaction, once the account's row is locked and before
# the cascade is collected, with `user=`. A receiver locks the rows of its own app that the
# cascade will delete (so nothing new can reference them meanwhile) and schedules the
# deletion of their files after the commit.
account_deleting = Signal()

# Sent by `block_create` inside its transaction, under the pair's lock, with `blocker=` and
# `blocked=`. A receiver removes its app's links between the two accounts (likes, reposts),
# so that nothing connects them across the block.
accounts_blocked = Signal()
