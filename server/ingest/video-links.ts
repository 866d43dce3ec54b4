/**
 * Which video pages a webcast page may embed in an iframe, and with which player URL. Only
 * these hosts: YouTube (its no-cookie player), Vimeo, and the PeerTube servers an operator lists
 * in VIDEO_EMBED_HOSTS. A link to any other host is shown as a plain link (issue 8).
 */

const YOUTUBE_HOSTS = new Set(["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"]);
const VIMEO_HOSTS = new Set(["vimeo.com", "www.vimeo.com", "player.vimeo.com"]);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const PEERTUBE_ID = /^[A-Za-z0-9-]{8,64}$/;

/** The player hosts the Content-Security-Policy lets pages frame. */
export function embedHosts(peertubeHosts: string[]): string[] {
  return [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    ...peertubeHosts.map((h) => `https://${h}`),
  ];
}

/** The player URL for a video page on an allowed host, or null (then it is a plain link). */
export function embedUrlFor(pageUrl: string, peertubeHosts: string[]): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "https:") return null;
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split("/").filter(Boolean);
  if (YOUTUBE_HOSTS.has(host)) {
    const id =
      host === "youtu.be"
        ? segments[0]
        : segments[0] === "watch"
          ? url.searchParams.get("v")
          : segments[0] === "live" || segments[0] === "embed" || segments[0] === "shorts"
            ? segments[1]
            : undefined;
    return id && YOUTUBE_ID.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : null;
  }
  if (VIMEO_HOSTS.has(host)) {
    const id = segments.find((s) => /^\d{1,12}$/.test(s));
    return id ? `https://player.vimeo.com/video/${id}` : null;
  }
  if (peertubeHosts.includes(host)) {
    // PeerTube watch pages: /w/<short id> or /videos/watch/<uuid>; the player is /videos/embed/<id>.
    const id = segments[0] === "w" ? segments[1] : segments[1] === "watch" ? segments[2] : undefined;
    return id && PEERTUBE_ID.test(id) ? `https://${host}/videos/embed/${id}` : null;
  }
  return null;
}
