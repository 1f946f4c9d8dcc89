#!/usr/bin/env bash
# A tour of the API with curl: two accounts, a profile, an image, a post with hashtags,
# a follow, the feed, a like, a comment, notifications, a reply with a mention, a repost,
# a bookmark, trending tags, scheduled posts published by the Celery worker, a private
# account with a follow request, a report, a block, and a logout.
# Every response's status code is checked, so this file is also a test
# (tests/test_walkthrough.py runs it against a live server in CI), and the README shows it
# verbatim. Needs only bash, curl and python3 (for reading JSON).
#
#   make run                                         # in one terminal
#   bash docs/walkthrough.sh                         # in another
#   BASE_URL=http://127.0.0.1:9000 bash docs/walkthrough.sh
#
# Registration is throttled (THROTTLE_REGISTER, 5 an hour per address) and each run
# registers two accounts: a third run within the hour gets a 429 until `make run` restarts.
set -euo pipefail

BASE_URL="${BASE_URL:-http://127.0.0.1:8000}"
API="$BASE_URL/api/v1"
RUN="$(date +%s)"  # a suffix that keeps emails and usernames unique across runs
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
BODY="$TMP/body.json"
JSON="Content-Type: application/json"

# call METHOD PATH EXPECTED_STATUS [curl args...]
# Sends the request, prints it and the start of the response, and stops the script when the
# status code is not the expected one. The response body stays in $BODY for `field`.
call() {
  local method=$1 path=$2 expected=$3 status
  shift 3
  status=$(curl -sS -o "$BODY" -w '%{http_code}' -X "$method" "$@" "$API$path") || {
    echo "!! curl could not reach $API$path" >&2
    exit 1
  }
  printf '%-6s %-40s -> %s  %.160s\n' "$method" "$path" "$status" "$(tr -d '\n' <"$BODY")"
  if [ "$status" != "$expected" ]; then
    echo "!! expected $expected, got $status: $(cat "$BODY")" >&2
    exit 1
  fi
}

# field KEY...: one value from the last response, e.g. `field results 0 id`.
field() {
  python3 -c '
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[int(key)] if isinstance(value, list) else value[key]
print(json.dumps(value) if isinstance(value, (dict, list, bool)) or value is None else value)
' "$BODY" "$@"
}

# expect ACTUAL EXPECTED WHAT: stop unless two values are equal.
expect() {
  if [ "$1" != "$2" ]; then
    echo "!! $3: expected '$2', got '$1'" >&2
    exit 1
  fi
}

# ids: the ids of the `results` of the last (paginated) response, one per line.
ids() {
  python3 -c 'import json, sys; [print(r["id"]) for r in json.load(open(sys.argv[1]))["results"]]' \
    "$BODY"
}

# iso_in SECONDS: an ISO 8601 UTC timestamp that many seconds from now.
iso_in() {
  python3 -c 'import datetime, sys; print((datetime.datetime.now(datetime.timezone.utc)
    + datetime.timedelta(seconds=int(sys.argv[1]))).isoformat())' "$1"
}

step() { printf '\n== %s\n' "$*"; }

step "The API is up"
call GET /health/ 200

step "Register two accounts (no token needed)"
ALICE_EMAIL="alice.$RUN@example.com"
BOB_EMAIL="bob.$RUN@example.com"
PASSWORD="correct-horse-battery-staple"
call POST /auth/register/ 201 -H "$JSON" \
  -d '{"email": "'"$ALICE_EMAIL"'", "password": "'"$PASSWORD"'", "username": "alice_'"$RUN"'"}'
ALICE_ID=$(field id)
expect "$(field email)" "$ALICE_EMAIL" "registered email"
call POST /auth/register/ 201 -H "$JSON" \
  -d '{"email": "'"$BOB_EMAIL"'", "password": "'"$PASSWORD"'"}'
BOB_ID=$(field id)
expect "$(field email)" "$BOB_EMAIL" "registered email"

step "Log in: one token per device, sent as 'Authorization: Token <key>'"
call POST /auth/login/ 200 -H "$JSON" \
  -d '{"email": "'"$ALICE_EMAIL"'", "password": "'"$PASSWORD"'"}'
ALICE="Authorization: Token $(field token)"
call POST /auth/login/ 200 -H "$JSON" \
  -d '{"email": "'"$BOB_EMAIL"'", "password": "'"$PASSWORD"'"}'
BOB="Authorization: Token $(field token)"
call POST /auth/login/ 400 -H "$JSON" \
  -d '{"email": "'"$BOB_EMAIL"'", "password": "not-the-password"}'

step "Who am I; edit my profile"
call GET /users/me/ 200 -H "$ALICE"
expect "$(field email)" "$ALICE_EMAIL" "own profile email"
call GET /users/me/ 401  # no token
call PATCH /users/me/ 200 -H "$ALICE" -H "$JSON" \
  -d '{"display_name": "Alice", "bio": "Trying out the API", "location": "Lisbon"}'
expect "$(field display_name)" "Alice" "display name after PATCH"

step "Upload an image (a tiny PNG made here) as media and as my avatar, then post it"
python3 -c '
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\x00" + b"\xff\x88\x00" * 16 for _ in range(16))  # 16x16 orange
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
' >"$TMP/orange.png"
call POST /media/ 201 -H "$ALICE" -F "file=@$TMP/orange.png" -F "description=An orange square"
MEDIA_ID=$(field id)
expect "$(field width)x$(field height)" "16x16" "image size"
call PUT /users/me/avatar/ 200 -H "$ALICE" -F "avatar=@$TMP/orange.png"  # the own profile
expect "$(field email)" "$ALICE_EMAIL" "own profile after the avatar upload"
call POST /posts/ 201 -H "$ALICE" -H "$JSON" \
  -d '{"text": "Hello from the walkthrough! #Django #walkthrough", "media_ids": ['"$MEDIA_ID"']}'
POST_ID=$(field id)
expect "$(field hashtags | tr -d '[]" ' | tr ',' '\n' | sort | paste -sd ' ')" "django walkthrough" \
  "hashtags parsed from the text"
expect "$(field media 0 id)" "$MEDIA_ID" "attached image"
call POST /posts/ 401 -H "$JSON" -d '{"text": "no token, no post"}'

step "Find posts by hashtag (with or without '#', any case)"
call GET "/posts/?hashtag=WalkThrough" 200
expect "$(ids | head -n 1)" "$POST_ID" "newest post tagged #walkthrough"

step "Bob follows Alice (following twice is fine) and reads his feed"
call POST "/users/$ALICE_ID/follow/" 201 -H "$BOB"
call POST "/users/$ALICE_ID/follow/" 200 -H "$BOB"
expect "$(field followers_count)" "1" "Alice's followers"
call GET /feed/ 200 -H "$BOB"
expect "$(ids | head -n 1)" "$POST_ID" "newest post in Bob's feed"

step "Bob likes Alice's post: her unread notification count goes up"
call GET /notifications/unread-count/ 200 -H "$ALICE"
expect "$(field count)" "1" "Alice's unread notifications (Bob's follow)"
call POST "/posts/$POST_ID/like/" 201 -H "$BOB"
call GET /notifications/unread-count/ 200 -H "$ALICE"
expect "$(field count)" "2" "Alice's unread notifications after Bob's like"
call GET /notifications/unread-count/ 401  # no token

step "Bob comments; anyone reads the comments"
call POST "/posts/$POST_ID/comments/" 201 -H "$BOB" -H "$JSON" -d '{"text": "Welcome, Alice!"}'
call GET "/posts/$POST_ID/comments/" 200
expect "$(field results 0 text)" "Welcome, Alice!" "first comment"
call GET "/posts/$POST_ID/" 200 -H "$ALICE"
expect "$(field like_count) likes, $(field comment_count) comments" "1 likes, 1 comments" "counts"

step "Alice reads her notifications, newest first, and marks them all read"
call GET /notifications/ 200 -H "$ALICE"
expect "$(field results 0 type) $(field results 1 type) $(field results 2 type)" \
  "comment like follow" "Alice's notifications"
expect "$(field results 1 actor id) $(field results 1 post id)" "$BOB_ID $POST_ID" "who liked what"
call GET "/notifications/?types=like&unread=true" 200 -H "$ALICE"
expect "$(ids | wc -l | tr -d ' ')" "1" "Alice's unread likes"
call POST /notifications/read/ 204 -H "$ALICE"
call GET /notifications/unread-count/ 200 -H "$ALICE"
expect "$(field count)" "0" "Alice's unread notifications after marking them read"

step "Bob replies in his thread naming Alice, reposts her post and bookmarks it"
call GET "/posts/$POST_ID/comments/" 200
COMMENT_ID=$(field results 0 id)
call POST "/posts/$POST_ID/comments/" 201 -H "$BOB" -H "$JSON" \
  -d '{"text": "PS: see you soon, @alice_'"$RUN"'!", "in_reply_to": '"$COMMENT_ID"'}'
expect "$(field in_reply_to) $(field mentions 0 id)" "$COMMENT_ID $ALICE_ID" "reply and mention"
call GET "/comments/$COMMENT_ID/replies/" 200
expect "$(ids | wc -l | tr -d ' ')" "1" "replies to Bob's comment"
call POST "/posts/$POST_ID/repost/" 201 -H "$BOB"
expect "$(field text)|$(field repost_of id)" "|$POST_ID" "Bob's repost"
call POST "/posts/$POST_ID/repost/" 200 -H "$BOB"
call POST "/posts/$POST_ID/bookmark/" 201 -H "$BOB"
call GET /users/me/bookmarks/ 200 -H "$BOB"
expect "$(ids | head -n 1)" "$POST_ID" "Bob's newest bookmark"

step "Trending hashtags of the last 24 hours"
call GET "/hashtags/trending/?page_size=100" 200
python3 -c 'import json, sys; names = [t["name"] for t in json.load(open(sys.argv[1]))["results"]]
sys.exit(0 if "walkthrough" in names else "!! #walkthrough is not trending")' "$BODY"

step "Schedule a post 3 seconds ahead, and another one for later"
call POST /scheduled-posts/ 201 -H "$ALICE" -H "$JSON" \
  -d '{"text": "Published by the worker #walkthrough", "publish_at": "'"$(iso_in 3)"'"}'
SOON_ID=$(field id)
expect "$(field status)" "scheduled" "status of a new scheduled post"
call POST /scheduled-posts/ 201 -H "$ALICE" -H "$JSON" \
  -d '{"text": "Maybe tomorrow", "publish_at": "'"$(iso_in 86400)"'"}'
LATER_ID=$(field id)
call GET /scheduled-posts/ 200 -H "$ALICE"
expect "$(ids | tr '\n' ' ')" "$SOON_ID $LATER_ID " "scheduled posts, soonest first"
call GET "/scheduled-posts/$SOON_ID/" 404 -H "$BOB"  # nobody else sees it

step "Reschedule the later one, then cancel it"
call PATCH "/scheduled-posts/$LATER_ID/" 200 -H "$ALICE" -H "$JSON" \
  -d '{"text": "Maybe the day after tomorrow", "publish_at": "'"$(iso_in 172800)"'"}'
expect "$(field text)" "Maybe the day after tomorrow" "rescheduled text"
call DELETE "/scheduled-posts/$LATER_ID/" 204 -H "$ALICE"
call GET "/scheduled-posts/$LATER_ID/" 200 -H "$ALICE"
expect "$(field status)" "cancelled" "status after DELETE"

step "Wait for the worker to publish the first one (at most 60 s)"
deadline=$((SECONDS + 60))
while :; do
  call GET "/scheduled-posts/$SOON_ID/" 200 -H "$ALICE"
  [ "$(field status)" = "published" ] && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "!! not published after 60 s: are the Celery worker and beat running?" >&2
    exit 1
  fi
  sleep 1
done
PUBLISHED_ID=$(field post)
call PATCH "/scheduled-posts/$SOON_ID/" 409 -H "$ALICE" -H "$JSON" -d '{"text": "too late"}'
call GET /feed/ 200 -H "$BOB"
expect "$(ids | head -n 1)" "$PUBLISHED_ID" "the published post, first in Bob's feed"

step "Bob makes his account private: Alice asks to follow him, and he approves"
call PATCH /users/me/ 200 -H "$BOB" -H "$JSON" -d '{"is_private": true}'
call POST "/users/$BOB_ID/follow/" 202 -H "$ALICE"
expect "$(field follow_requested) $(field is_following)" "true false" "Alice's pending request"
call GET /follow-requests/ 200 -H "$BOB"
expect "$(ids | tr '\n' ' ')" "$ALICE_ID " "Bob's follow requests"
call POST "/follow-requests/$ALICE_ID/approve/" 204 -H "$BOB"
call GET "/users/$BOB_ID/" 200 -H "$ALICE"
expect "$(field is_following) $(field follow_requested)" "true false" "Alice follows Bob now"

step "Bob reports Alice's post; reporting it again answers with the same open report"
call POST /reports/ 201 -H "$BOB" -H "$JSON" \
  -d '{"target_type": "post", "target_id": '"$POST_ID"', "reason": "spam", "note": "Just a test"}'
REPORT_ID=$(field id)
call POST /reports/ 200 -H "$BOB" -H "$JSON" \
  -d '{"target_type": "post", "target_id": '"$POST_ID"', "reason": "spam"}'
expect "$(field id)" "$REPORT_ID" "the same open report"

step "Alice blocks Bob: she no longer exists for him, and only she can lift it"
call POST "/users/$BOB_ID/block/" 201 -H "$ALICE"
expect "$(field is_blocking)" "true" "Alice blocks Bob"
call GET "/users/$ALICE_ID/" 404 -H "$BOB"
call GET "/posts/$POST_ID/" 404 -H "$BOB"
call DELETE "/users/$ALICE_ID/block/" 404 -H "$BOB"  # Bob cannot see Alice to unblock her
call GET /users/me/blocks/ 200 -H "$ALICE"
expect "$(ids | tr '\n' ' ')" "$BOB_ID " "Alice's blocks"
call DELETE "/users/$BOB_ID/block/" 204 -H "$ALICE"
call GET "/users/$ALICE_ID/" 200 -H "$BOB"
expect "$(field is_following)" "false" "the follows the block removed stay removed"

step "Log out: the token stops working at once"
call POST /auth/logout/ 204 -H "$ALICE"
call GET /users/me/ 401 -H "$ALICE"

printf '\nWalkthrough finished: every step answered as documented.\n'
