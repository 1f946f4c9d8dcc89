import re

HASHTAG_MAX_LENGTH = 50
# Instagram's limit. Every tag is a row to link, and a post made of hundreds of tags is spam
# that would otherwise reach that many tag lists; the rest of the text is kept as written.
HASHTAGS_PER_POST_MAX = 30

# URLs are removed first so that `https://example.com/page#section` yields no tag.
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A tag starts a word (`a#b` and `&#39;` are not tags), is made of Unicode word characters,
# and is not longer than the limit: a longer run is not truncated into a different tag.
_HASHTAG = re.compile(rf"(?<![\w#&])#(\w{{1,{HASHTAG_MAX_LENGTH}}})(?!\w)")


def parse_hashtags(text: str) -> list[str]:
    """Lower-cased tag names in order of first appearance, without duplicates or `#`: the
    first `HASHTAGS_PER_POST_MAX` of them; later ones stay plain text.

    Purely numeric tokens (`issue #42`) are not tags.
    """
    names = dict.fromkeys(
        match.lower() for match in _HASHTAG.findall(URL.sub(" ", text)) if not match.isdigit()
    )
    return list(names)[:HASHTAGS_PER_POST_MAX]


def normalize_hashtag(value: str) -> str:
    """A tag name as clients may send it (`#Django`, `django`) → the stored form."""
    return value.strip().lstrip("#").lower()
