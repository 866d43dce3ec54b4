/**
 * A tiny browser stand-in for HTTP-level page tests: keeps cookies, never follows redirects (so
 * tests see the 303s), and fills in the CSRF field the way a rendered form would.
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  /** The `_csrf` value of the last page fetched with page(), as a browser's form would carry it. */
  lastCsrf: string | undefined;

  constructor(
    readonly base: URL,
    readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.defaultHeaders)) {
      if (!headers.has(name)) headers.set(name, value);
    }
    if (this.cookies.size > 0) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.#store(line);
    return response;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** GETs an HTML page and returns its status and text. */
  async page(path: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string }> {
    const response = await this.get(path, { Accept: "text/html", ...headers });
    const html = await response.text();
    this.lastCsrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.lastCsrf;
    return { status: response.status, html };
  }

  /**
   * POSTs a urlencoded form. Unless `csrf` is given (or `false` to leave it out), the token is
   * the one the last rendered form carried.
   */
  postForm(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | false; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const body = new URLSearchParams(fields);
    const token = options.csrf === undefined ? this.lastCsrf : options.csrf;
    if (token !== false && token !== undefined) body.set("_csrf", token);
    return this.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
      body,
    });
  }

  /**
   * POSTs a multipart form (what a form with file inputs sends): strings as fields, Files as
   * uploads with their name and type. The CSRF token as in postForm().
   */
  postMultipart(
    path: string,
    fields: Record<string, string | File>,
    options: { csrf?: string | false } = {},
  ): Promise<Response> {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    const token = options.csrf === undefined ? this.lastCsrf : options.csrf;
    if (token !== false && token !== undefined) body.set("_csrf", token);
    return this.request(path, { method: "POST", body });
  }

  #store(line: string): void {
    const [pair = "", ...attributes] = line.split(";");
    const separator = pair.indexOf("=");
    if (separator < 0) return;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = "", val = ""] = attribute.trim().split("=");
      if (key.toLowerCase() === "max-age") return Number(val) <= 0;
      if (key.toLowerCase() === "expires") return Date.parse(attribute.trim().slice(8)) < Date.now();
      return false;
    });
    if (expired || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The value of a form's hidden `_csrf` field in a rendered page. */
export function csrfField(html: string): string {
  const match = /<input type="hidden" name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("the page has no _csrf field");
  return match[1];
}

/** The text of the page's first element matching a simple tag (and optional attribute). */
export function firstText(html: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(html);
  return match?.[1]?.replace(/<[^>]+>/g, "").trim();
}

/** The `content` of a `<meta property|name="…">` tag. */
export function metaContent(html: string, key: string): string | undefined {
  const tag = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html);
  return tag?.[1];
}
