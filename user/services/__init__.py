"""Multi-step writes of the user app, one keyword-only function per action.

Split by entity: `accounts` (registration, tokens, profile, avatar, deletion) and
`relationships` (follows, follow requests, blocks, mutes). Import from the module that
defines a function.
"""
