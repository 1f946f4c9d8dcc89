// The API's main calls through openapi-fetch, typed by the types openapi-typescript generates
// from the OpenAPI document (src/api.d.ts, not committed: `make clients` writes it).
// `tsc --noEmit` checks every path, parameter, body and answer below against the document;
// compiled (`tsc`), `node build/scenario.js` runs it against BASE_URL.
import createClient from "openapi-fetch";

import type { components, paths } from "./api.js";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

type Schemas = components["schemas"];

const baseUrl = process.env.BASE_URL ?? "http://127.0.0.1:8000";
const password = "analytical-engine-1843";

// A 1x1 PNG: the smallest image the upload endpoints decode.
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC",
  ),
  (c) => c.charCodeAt(0),
);

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// The schema types a binary field as a string; the file itself goes into the form.
function form(files: Record<string, Blob>, fields: Record<string, string> = {}) {
  return () => {
    const body = new FormData();
    for (const [name, blob] of Object.entries(files)) body.append(name, blob, `${name}.png`);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return body;
  };
}

/** A JSON error body (an object), not the text of a web server's own error page. */
function isJson<T>(error: T): error is Exclude<T, string | undefined> {
  return typeof error === "object" && error !== null;
}

async function main(): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl });
  const suffix = Date.now().toString(36);

  async function account(name: string): Promise<Schemas["Token"]> {
    const email = `${name}_${suffix}@example.org`;
    const registered = await anonymous.POST("/api/v1/auth/register/", {
      body: { email, password, username: `${name}_${suffix}` },
    });
    check(registered.response.status === 201, `register: ${registered.response.status}`);
    const login = await anonymous.POST("/api/v1/auth/login/", { body: { email, password } });
    check(login.data !== undefined, `login: ${login.response.status}`);
    return login.data;
  }

  const adaToken = await account("ada");
  const graceToken = await account("grace");
  const client = (token: Schemas["Token"]) =>
    createClient<paths>({ baseUrl, headers: { Authorization: `Token ${token.token}` } });
  const ada = client(adaToken);
  const grace = client(graceToken);
  const me = { params: { path: { id: "me" } } };

  // Profile: JSON edit, multipart avatar.
  const edited = await ada.PATCH("/api/v1/users/{id}/", {
    ...me,
    body: { display_name: "Ada Lovelace", bio: "Poetical science." },
  });
  check(edited.data?.display_name === "Ada Lovelace", "profile edit");
  const image = new Blob([PNG], { type: "image/png" });
  const avatar = await ada.PUT("/api/v1/users/{id}/avatar/", {
    ...me,
    body: { avatar: "" },
    bodySerializer: form({ avatar: image }),
  });
  check(avatar.data?.avatar?.includes("/media/avatars/") === true, "avatar upload");

  // Media and a post with it.
  const media = await ada.POST("/api/v1/media/", {
    body: { file: "", description: "A pixel" },
    bodySerializer: form({ file: image }, { description: "A pixel" }),
  });
  check(media.data !== undefined, `media: ${media.response.status}`);
  const post = await ada.POST("/api/v1/posts/", {
    body: { text: "Sketching #Engines", media_ids: [media.data.id] },
  });
  check(post.data !== undefined, `post: ${post.response.status}`);
  const postId = post.data.id;

  // Follow, feed, like, comment, hashtags.
  const followed = await grace.POST("/api/v1/users/{id}/follow/", {
    params: { path: { id: String(adaToken.user.id) } },
  });
  check(followed.data?.is_following === true, "follow");
  const feed = await grace.GET("/api/v1/feed/", { params: { query: { page_size: 10 } } });
  check(feed.data?.results[0]?.id === postId, "feed");
  const like = await grace.POST("/api/v1/posts/{id}/like/", { params: { path: { id: postId } } });
  check(like.data?.liked_by_me === true, "like");
  const comment = await grace.POST("/api/v1/posts/{post_id}/comments/", {
    params: { path: { post_id: postId } },
    body: { text: "Lovely engine" },
  });
  check(comment.data?.text === "Lovely engine", `comment: ${JSON.stringify(comment.error)}`);
  const tags = await ada.GET("/api/v1/hashtags/", { params: { query: { search: "engine" } } });
  check(tags.data?.results.some((tag) => tag.name === "engines") === true, "hashtags");

  // Scheduled posts: create, get, list, cancel.
  const publishAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  const created = await ada.POST("/api/v1/scheduled-posts/", {
    body: { text: "Tomorrow #later", publish_at: publishAt },
  });
  const scheduled = created.data;
  check(scheduled?.status === "scheduled", `schedule: ${created.response.status}`);
  const scheduledId = { params: { path: { id: scheduled.id } } };
  const fetched = await ada.GET("/api/v1/scheduled-posts/{id}/", scheduledId);
  check(fetched.data?.id === scheduled.id, "scheduled get");
  const listed = await ada.GET("/api/v1/scheduled-posts/", {
    params: { query: { status: "scheduled" } },
  });
  check(listed.data?.results.some((item) => item.id === scheduled.id) === true, "list");
  const cancelled = await ada.DELETE("/api/v1/scheduled-posts/{id}/", scheduledId);
  check(cancelled.response.status === 204, "cancel");

  // Errors: a 400 is the operation's validation shape, a 404 the {detail} one.
  // (A web server in front may also answer an overlong URL with its own HTML 414, which the
  // document lists as text: JSON errors are objects, that one a string.)
  const invalid = await ada.POST("/api/v1/posts/", { body: { text: "" } });
  check(invalid.response.status === 400 && isJson(invalid.error), "400");
  const invalidBody: Schemas["PostValidationError"] | Schemas["ErrorDetail"] = invalid.error;
  check("text" in invalidBody && Array.isArray(invalidBody.text), "400 names the field");
  const missing = await anonymous.GET("/api/v1/posts/{id}/", {
    params: { path: { id: 999_999 } },
  });
  check(missing.response.status === 404 && isJson(missing.error), "404");
  const notFound: Schemas["ErrorDetail"] = missing.error;
  check(typeof notFound.detail === "string", "404 says why");

  console.log("TypeScript client scenario passed");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
