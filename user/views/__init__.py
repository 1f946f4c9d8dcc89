"""The user app's endpoints: `auth` (accounts and tokens), `users` (profiles, search and the
actions between two accounts) and `relationships` (the caller's blocks, mutes and follow
requests). Import from the module that defines a view."""
