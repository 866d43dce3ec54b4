import ICAL from "ical.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../server/domain/accounts.ts";
import type { PostInput } from "../server/domain/posts.ts";
import { editPost, publishPost, removePost } from "../server/services/publishing.ts";
import { startFileServer } from "./support/file-server.ts";
import { followedLibrary } from "./support/followed-library.ts";
import { type InProcessInstance, runCli } from "./support/instance.ts";
import { waitFor } from "./support/ports.ts";
import { signedIn } from "./support/sessions.ts";

const YEAR = new Date().getUTCFullYear() + 1;
const AS_JSON = { Accept: "application/activity+json" };

/** The first bytes of an MP4 file (an ISO base media `ftyp` box) and of a WebM (EBML) file. */
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from("ftypisom\0\0\x02\0isomiso2avc1mp41")]);
const WEBM = Buffer.concat([
  Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]),
  Buffer.from("webm"),
]);

/** The outside world's video files and pages, named without an extension and with a neutral
 * type: only the bytes say what they are. */
async function startVideoServer() {
  const thumbnail = await sharp({ create: { width: 64, height: 36, channels: 3, background: "#224" } })
    .jpeg()
    .toBuffer();
  return startFileServer({
    "/recording": { type: "application/octet-stream", body: MP4 },
    "/clip": { type: "application/octet-stream", body: WEBM },
    "/talk": { type: "text/html", body: "<title>Talk</title>" },
    "/thumb": { type: "image/jpeg", body: thumbnail },
  });
}

interface VideoJson {
  type: string;
  summary: string;
  duration?: string;
  startTime?: string;
  url: string;
  image?: { url: string };
  attachment?:
    | { type: string; mediaType: string; url: string }
    | { type: string; mediaType: string; url: string }[];
  contentKind: string;
}

describe("webcasts", () => {
  let a: InProcessInstance;
  let b: InProcessInstance;
  let library: Account;
  let videos: Awaited<ReturnType<typeof startVideoServer>>;

  const recorded = (overrides: Partial<NonNullable<PostInput["webcast"]>> = {}): PostInput => ({
    type: "webcast",
    title: "Webinar: libraries and artificial intelligence",
    summary: "How public libraries can explain AI tools to their readers.",
    content: "<p>Recording of the webinar for library specialists.</p>",
    language: "en",
    tags: ["webinar"],
    webcast: {
      live: false,
      videoUrl: videos.url("/recording"),
      duration: "1:30:00",
      thumbnailUrl: videos.url("/thumb"),
      ...overrides,
    },
  });

  beforeAll(async () => {
    videos = await startVideoServer();
    ({ a, b, library } = await followedLibrary({ username: "lnb", name: "National Library of Lithuania" }));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await new Promise<void>((resolve) => videos?.server.close(() => resolve()));
  });

  it("federates a recording as a Video with the file attached (it plays inline in Mastodon), and B stores it", async () => {
    const item = await publishPost(a, library, recorded());
    expect(item.iri).toMatch(/\/users\/lnb\/videos\//);
    expect(item.details).toMatchObject({ kind: "webcast", videoType: "video/mp4", durationSeconds: 5400 });
    const json = (await (await fetch(item.iri, { headers: AS_JSON })).json()) as VideoJson;
    expect(json.type).toBe("Video");
    expect(json.contentKind).toBe("webcast");
    expect(json.summary).toBe(
      "Webcast recording · 1 h 30 min. How public libraries can explain AI tools to their readers.",
    );
    expect(json.duration).toBe("PT5400S");
    expect(json.url).toBe(item.iri);
    expect(json.image?.url).toBe(videos.url("/thumb"));
    expect([json.attachment].flat()).toEqual([
      { type: "Document", mediaType: "video/mp4", url: videos.url("/recording"), name: item.title },
    ]);

    const received = await waitFor(
      () => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) }),
      { what: "the webcast on B" },
    );
    expect(received.type).toBe("Video");
    expect(received.details).toEqual({
      kind: "webcast",
      live: false,
      videoUrl: videos.url("/recording"),
      videoType: "video/mp4",
      durationSeconds: 5400,
      thumbnailUrl: videos.url("/thumb"),
    });
    // The recording is the video, not a picture among the attachments.
    expect(received.attachments).toEqual([]);
    await removePost(a, item);
    await waitFor(
      async () => !(await b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, item.iri) })),
      { what: "the delete on B" },
    );
  }, 60_000);

  it("plays a file in the page, and gives link cards og:video and a twitter:player page that may be framed", async () => {
    const item = await publishPost(a, library, recorded({ videoUrl: videos.url("/clip"), duration: "45" }));
    expect(item.details).toMatchObject({ videoType: "video/webm", durationSeconds: 2700 });
    const response = await fetch(item.iri, { headers: { Accept: "text/html" } });
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const html = await response.text();
    expect(html).toContain(`<source src="${videos.url("/clip")}" type="video/webm"/>`);
    expect(html).toContain('<meta property="og:type" content="video.other"/>');
    expect(html).toContain(`<meta property="og:video" content="${videos.url("/clip")}"/>`);
    expect(html).toContain('<meta property="og:video:type" content="video/webm"/>');
    expect(html).toContain('<meta name="twitter:card" content="player"/>');
    expect(html).toContain(`<meta name="twitter:player" content="${item.iri}/embed"/>`);
    expect(html).toContain(`<meta property="og:image" content="${videos.url("/thumb")}"/>`);

    const player = await fetch(`${item.iri}/embed`);
    expect(player.status).toBe(200);
    expect(player.headers.get("x-frame-options")).toBeNull();
    expect(player.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(await player.text()).toContain(`<source src="${videos.url("/clip")}" type="video/webm"/>`);
  });

  it("embeds only allow-listed video hosts; any other page is a plain link", async () => {
    const youtube = await publishPost(
      a,
      library,
      recorded({ videoUrl: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", thumbnailUrl: undefined }),
    );
    expect(youtube.details).toMatchObject({ embedUrl: "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" });
    const page = await fetch(youtube.iri, { headers: { Accept: "text/html" } });
    expect(page.headers.get("content-security-policy")).toContain(
      "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://peertube.example",
    );
    const html = await page.text();
    expect(html).toContain('<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"');
    expect(html).toContain(
      '<meta name="twitter:player" content="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"/>',
    );
    const peertube = await publishPost(
      a,
      library,
      recorded({
        videoUrl: "https://peertube.example/w/9c9de5e8-0a1b-4c2d-8e3f-1234567890ab",
        thumbnailUrl: undefined,
      }),
    );
    expect(peertube.details).toMatchObject({
      embedUrl: "https://peertube.example/videos/embed/9c9de5e8-0a1b-4c2d-8e3f-1234567890ab",
    });

    const other = await publishPost(
      a,
      library,
      recorded({ videoUrl: videos.url("/talk"), thumbnailUrl: undefined }),
    );
    expect(other.details).not.toHaveProperty("embedUrl");
    expect(other.details).not.toHaveProperty("videoType");
    const otherHtml = await (await fetch(other.iri, { headers: { Accept: "text/html" } })).text();
    expect(otherHtml).not.toContain("<iframe");
    expect(otherHtml).not.toContain("og:video");
    expect(otherHtml).toContain(`<a href="${videos.url("/talk")}" rel="noopener">Open the video</a>`);
    const otherJson = (await (await fetch(other.iri, { headers: AS_JSON })).json()) as VideoJson;
    expect(otherJson.attachment).toBeUndefined();
  });

  it("announces a live webcast with its date in the summary and the calendar, then gets its recording by Update", async () => {
    const live = await publishPost(a, library, {
      ...recorded(),
      title: "Live: the year in Baltic libraries",
      webcast: {
        live: true,
        start: `${YEAR}-12-10T10:00`,
        timeZone: "Europe/Vilnius",
        streamUrl: "https://stream.example/live",
        duration: "60",
      },
    });
    const json = (await (await fetch(live.iri, { headers: AS_JSON })).json()) as VideoJson;
    expect(json.summary).toBe(
      `Live webcast · 10 December ${YEAR}, 10:00 GMT+2 (Europe/Vilnius) · 1 h. How public libraries can explain AI tools to their readers.`,
    );
    expect(json.startTime).toBe(`${YEAR}-12-10T08:00:00Z`);
    expect(json.attachment).toBeUndefined();
    const feed = await (await fetch(new URL("/users/lnb/calendar.ics", a.url))).text();
    const events = new ICAL.Component(ICAL.parse(feed))
      .getAllSubcomponents("vevent")
      .map((v) => new ICAL.Event(v));
    const parsed = events.find((e) => e.uid === live.iri);
    expect(parsed?.startDate.toJSDate().toISOString()).toBe(`${YEAR}-12-10T08:00:00.000Z`);
    expect(parsed?.endDate.toJSDate().toISOString()).toBe(`${YEAR}-12-10T09:00:00.000Z`);
    expect(parsed?.location).toBe("Online");

    await waitFor(() => b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, live.iri) }), {
      what: "the live webcast on B",
    });
    await editPost(a, live, {
      ...recorded(),
      title: live.title,
      webcast: {
        live: true,
        start: `${YEAR}-12-10T10:00`,
        timeZone: "Europe/Vilnius",
        duration: "60",
        videoUrl: videos.url("/recording"),
      },
    });
    const updated = await waitFor(
      async () => {
        const row = await b.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, live.iri) });
        return row?.details?.kind === "webcast" && row.details.videoUrl ? row : null;
      },
      { what: "the recording on B" },
    );
    expect(updated.details).toMatchObject({ live: true, videoType: "video/mp4", durationSeconds: 3600 });
    expect(updated.startsAt?.toISOString()).toBe(`${YEAR}-12-10T08:00:00.000Z`);
  }, 60_000);

  it("refuses bad webcasts with an error naming the field, and stores nothing", async () => {
    const before = (await a.db.query.items.findMany()).length;
    const cases: [Partial<NonNullable<PostInput["webcast"]>>, RegExp][] = [
      [{ videoUrl: undefined }, /^video: a recorded webcast needs its video/],
      [{ duration: "an hour" }, /^duration: "an hour" is not a duration/],
      [{ duration: "1:75:00" }, /^duration: /],
      [{ videoUrl: videos.url("/missing") }, /^video: could not be fetched: .* answered 404/],
      [{ videoUrl: "javascript:alert(1)" }, /^video: "javascript:alert\(1\)" is not an http\(s\) URL/],
      [{ thumbnailUrl: videos.url("/talk") }, /^thumbnail: /],
      [{ live: true, start: undefined, timeZone: "Europe/Riga" }, /^start: a live webcast needs its start/],
      [{ live: true, start: `${YEAR}-01-01T10:00`, timeZone: "Mars/Olympus" }, /^time-zone: /],
    ];
    for (const [override, message] of cases) {
      await expect(publishPost(a, library, recorded(override)), String(message)).rejects.toThrow(message);
    }
    expect((await a.db.query.items.findMany()).length).toBe(before);
  });

  it("is published in the admin form and from the CLI", async () => {
    await signedIn(a.db, a.url, "admin");
    const editor = await signedIn(a.db, a.url, "editor");
    const form = await editor.page("/admin/accounts/lnb/webcasts/new");
    expect(form.html).toContain('name="webcastVideo"');
    const fields = {
      type: "webcast",
      title: "Kaip skaitmeninti fondus",
      summary: "Vebinaras bibliotekininkams.",
      content: "Įrašas.",
      format: "markdown",
      language: "lt",
      webcastVideo: videos.url("/recording"),
      webcastDuration: "50:00",
    };
    const bad = await editor.postForm("/admin/accounts/lnb/posts", { ...fields, webcastDuration: "soon" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("duration: &quot;soon&quot; is not a duration");
    const created = await editor.postForm("/admin/accounts/lnb/posts", fields);
    expect(created.status).toBe(303);
    const page = await editor.page(created.headers.get("location") ?? "");
    expect(page.html).toContain("Vaizdo įrašas · 50 min. Vebinaras bibliotekininkams.");

    const env = {
      DATABASE_URL: a.database.url,
      DATA_DIR: a.config.dataDir,
      LOG_LEVEL: "warning",
      ALLOW_PRIVATE_ADDRESS: "true",
    };
    const cli = await runCli(
      [
        "posts",
        "create",
        "--type",
        "webcast",
        "--account",
        "lnb",
        "--title",
        "Tiešraide: bibliotēku nedēļa",
        "--summary",
        "Sarunas ar bibliotekāriem.",
        "--content",
        "<p>Tiešraide.</p>",
        "--language",
        "lv",
        "--live",
        "--start",
        `${YEAR}-04-20T12:00`,
        "--time-zone",
        "Europe/Riga",
        "--duration",
        "1:00:00",
      ],
      env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    const item = await a.db.query.items.findFirst({ where: (t, { eq }) => eq(t.iri, cli.stdout.trim()) });
    expect(item?.summary).toMatch(
      /^Tiešraide · .+ 12:00 GMT\+3 \(Europe\/Riga\) · 1 st\. Sarunas ar bibliotekāriem\.$/,
    );
    expect(item?.startsAt?.toISOString()).toBe(`${YEAR}-04-20T09:00:00.000Z`);
  }, 60_000);
});
