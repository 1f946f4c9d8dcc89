"""`@username` mentions in a post's or comment's text: the one parser (like `hashtags`)."""

import re

from post.hashtags import URL

# Only this many names of a text are mentions (and notified); later ones stay plain text, so
# a text cannot page hundreds of people at once.
MENTIONS_PER_TEXT_MAX = 10

# A mention starts a word: `bob@example.com` (a word character before `@`) is an e-mail
# address, `@@bob` and `/@bob` are not mentions either. The name is what a username may be
# (letters, digits, underscores, 3 to 30 of them) and runs to its end: `@bob_smith` is never
# `@bob` plus text. A dot or hyphen after the name ends it (`@bob.` at a sentence's end), but
# `@bob.example.com`-like hosts are not usernames either way.
_MENTION = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_]{3,30})(?![\w@]|\.\w)")


def parse_mentions(text: str) -> list[str]:
    """Lower-cased usernames in order of first appearance, without duplicates or `@`: the
    first `MENTIONS_PER_TEXT_MAX` of them. Whether accounts have those names is the caller's
    lookup (unknown names are plain text). Names inside URLs are not mentions."""
    names = dict.fromkeys(match.lower() for match in _MENTION.findall(URL.sub(" ", text)))
    return list(names)[:MENTIONS_PER_TEXT_MAX]
