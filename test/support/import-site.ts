import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A library website on loopback for the import tests and the bench: news pages with navigation,
 * footer and ads around the article, RSS and Atom feeds (full and excerpt-only entries), and
 * every kind of bad answer an import must refuse.
 */
export interface ImportSite {
  url(path: string): string;
  /** Requests per path, to check what was fetched (and how often). */
  hits: Map<string, number>;
  /** Adds or replaces a page (path → HTML) or a feed. */
  pages: Map<string, { type: string; body: string }>;
  close(): Promise<void>;
}

const PARAGRAPHS = [
  "Kauno apskrities viešoji biblioteka kviečia vaikus ir jų tėvus prisijungti prie vasaros skaitymo iššūkio. Per tris mėnesius dalyviai perskaito bent dešimt knygų ir pasidalija įspūdžiais bibliotekos skaitytojų klube.",
  "Iššūkis vyksta jau penktus metus. Pernai jame dalyvavo daugiau nei 1 200 skaitytojų iš 38 Kauno regiono bibliotekų, o kartu jie perskaitė beveik 15 000 knygų.",
  "Šiemet programoje – susitikimai su rašytojais, kūrybinės dirbtuvės ir skaitymo maratonas Vienybės aikštėje. Bibliotekininkai parengė rekomenduojamų knygų sąrašus keturioms amžiaus grupėms.",
  "Registruotis galima bet kuriame bibliotekos padalinyje arba internetu. Daugiau informacijos teikia Vaikų literatūros skyrius.",
];

/** The main fixture: a library news article in its site's chrome (nav, ads, cookie banner, footer). */
export function newsPage(options: { title?: string; path?: string; paragraphs?: string[] } = {}): string {
  const title = options.title ?? "Prasideda vasaros skaitymo iššūkis";
  const body = (options.paragraphs ?? PARAGRAPHS).map((p) => `<p>${p}</p>`).join("\n");
  return `<!DOCTYPE html>
<html lang="lt-LT">
<head>
  <meta charset="utf-8">
  <title>${title} | Kauno apskrities viešoji biblioteka</title>
  <meta name="description" content="Vasaros skaitymo iššūkis kviečia vaikus perskaityti dešimt knygų per vasarą.">
  <meta property="og:title" content="${title}">
  <meta property="og:image" content="/uploads/2026/06/issukis.jpg">
  <meta property="og:image:alt" content="Vaikai skaito knygas bibliotekos kieme">
  <meta property="article:published_time" content="2026-06-01T09:30:00+03:00">
  <meta name="author" content="Rasa Petrauskienė">
  <link rel="canonical" href="${options.path ?? "/naujienos/vasaros-skaitymo-issukis"}">
  <script>window.dataLayer = []; document.write("tracking");</script>
  <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2026-06-01T09:30:00+03:00","author":{"@type":"Person","name":"Rasa Petrauskienė"}}</script>
</head>
<body>
  <div class="cookie-banner">Ši svetainė naudoja slapukus. <button>Sutinku</button></div>
  <header><a href="/">Kauno apskrities viešoji biblioteka</a>
    <nav><ul><li><a href="/apie">Apie mus</a></li><li><a href="/paslaugos">Paslaugos</a></li>
    <li><a href="/renginiai">Renginiai</a></li><li><a href="/naujienos">Naujienos</a></li><li><a href="/kontaktai">Kontaktai</a></li></ul></nav>
  </header>
  <aside class="ad"><a href="https://ads.example/click"><img src="https://ads.example/banner.gif" alt="Reklama"></a> Reklama: knygų lentynos su nuolaida!</aside>
  <main>
    <article>
      <h1>${title}</h1>
      <p class="meta">Paskelbta <time datetime="2026-06-01">2026-06-01</time></p>
      ${body}
      <figure><img src="/uploads/2026/06/issukis.jpg" alt="Vaikai skaito knygas"><figcaption>Skaitymo iššūkio dalyviai</figcaption></figure>
      <p>Plačiau: <a href="/renginiai/skaitymo-maratonas" onclick="steal()">skaitymo maratonas</a>.</p>
    </article>
  </main>
  <aside class="sidebar"><h3>Populiariausios</h3><ul><li><a href="/n/1">Bibliotekos darbo laikas per šventes</a></li><li><a href="/n/2">Nauji e. išteklių rinkiniai</a></li></ul></aside>
  <footer><p>© 2026 Kauno apskrities viešoji biblioteka, Radvilėnų pl. 19, Kaunas</p><p><a href="/privatumas">Privatumo politika</a></p></footer>
</body>
</html>`;
}

/** A page that is all chrome and no article (a section index). */
const NO_ARTICLE = `<!DOCTYPE html><html lang="lt"><head><title>Naujienos</title></head><body>
<nav><a href="/">Pradžia</a> <a href="/naujienos">Naujienos</a></nav>
<ul><li><a href="/n/1">Darbo laikas</a></li><li><a href="/n/2">E. ištekliai</a></li></ul>
<footer>© 2026</footer></body></html>`;

const LV_ARTICLE = [
  "Latvijas Nacionālā bibliotēka aicina bibliotekārus uz semināru par digitālo prasmju attīstību lasītājiem. Seminārā dalīsimies pieredzē, kā bibliotēkas palīdz senioriem apgūt e-pakalpojumus.",
  "Programmā ir praktiskas nodarbības, labās prakses piemēri no reģionu bibliotēkām un diskusija par sadarbību ar pašvaldībām. Dalībnieki saņems metodiskos materiālus un apliecību.",
  "Seminārs notiks Gaismas pilī, Mūkusalas ielā 3, Rīgā. Pieteikšanās līdz mēneša beigām bibliotēkas tīmekļvietnē.",
];

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An RSS 2.0 feed: `full` entries carry content:encoded, the others only a short description. */
export function rssFeed(base: string, entries: { slug: string; title: string; full: boolean }[]): string {
  const items = entries
    .map(
      (e, i) => `<item>
  <title>${escapeXml(e.title)}</title>
  <link>${base}/naujienos/${e.slug}</link>
  <guid isPermaLink="false">kaunas-news-${e.slug}</guid>
  <pubDate>${new Date(Date.UTC(2026, 5, 1 + i, 9)).toUTCString()}</pubDate>
  <dc:creator>Kauno apskrities viešoji biblioteka</dc:creator>
  <category>Skaitymo skatinimas</category>
  <description>${escapeXml("Trumpai: biblioteka kviečia į naują renginį.")}</description>
  ${e.full ? `<content:encoded><![CDATA[${PARAGRAPHS.map((p) => `<p>${p}</p>`).join("")}<p><img src="${base}/uploads/a.jpg" alt="Skaitytojai"><script>alert(1)</script></p>]]></content:encoded>` : ""}
</item>`,
    )
    .reverse() // newest first, as feeds list them
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Kauno apskrities viešoji biblioteka: naujienos</title>
  <link>${base}/naujienos</link>
  <description>Bibliotekos naujienos</description>
  <language>lt-LT</language>
  ${items}
</channel>
</rss>`;
}

function atomFeed(base: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="lv">
  <title>Latvijas Nacionālā bibliotēka</title>
  <id>${base}/lv/feed</id>
  <updated>2026-06-03T10:00:00Z</updated>
  <entry>
    <title>Seminārs par digitālajām prasmēm</title>
    <id>urn:uuid:8d7c0e6a-lnb-seminars</id>
    <link rel="alternate" href="${base}/lv/seminars"/>
    <published>2026-06-02T10:00:00Z</published>
    <author><name>LNB</name></author>
    <summary>Aicinām bibliotekārus uz semināru.</summary>
    <content type="html">${escapeXml(LV_ARTICLE.map((p) => `<p>${p}</p>`).join(""))}</content>
  </entry>
</feed>`;
}

/** Starts the site on 127.0.0.1 with the standard fixtures. */
export async function startImportSite(): Promise<ImportSite> {
  const hits = new Map<string, number>();
  const pages = new Map<string, { type: string; body: string }>();
  const html = (body: string) => ({ type: "text/html; charset=utf-8", body });
  let base = "";
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const redirect = /^\/hop\/(\d+)$/.exec(path);
    if (redirect) {
      const left = Number(redirect[1]);
      res.writeHead(302, { Location: left > 0 ? `/hop/${left - 1}` : "/naujienos/vasaros-skaitymo-issukis" });
      res.end();
      return;
    }
    if (path === "/huge") {
      // A page beyond the 3 MiB cap, sent without Content-Length so the cap must count bytes.
      res.writeHead(200, { "Content-Type": "text/html" });
      const chunk = `<p>${"Skaitymas ".repeat(1000)}</p>`;
      for (let i = 0; i < 400; i++) res.write(chunk);
      res.end();
      return;
    }
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { "Content-Type": "text/html" });
      res.end("<h1>Puslapis nerastas</h1>");
      return;
    }
    const etag = `"${page.body.length}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { ETag: etag });
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": page.type, ETag: etag });
    res.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pages.set("/naujienos/vasaros-skaitymo-issukis", html(newsPage()));
  pages.set(
    "/naujienos/bibliotekos-naktis",
    html(
      newsPage({
        title: "Bibliotekų naktis 2026",
        path: "/naujienos/bibliotekos-naktis",
        paragraphs: [...PARAGRAPHS].reverse(),
      }),
    ),
  );
  pages.set("/naujienos", html(NO_ARTICLE));
  pages.set(
    "/lv/seminars",
    html(`<html lang="lv"><body><article>${LV_ARTICLE.join(" ")}</article></body></html>`),
  );
  pages.set("/ataskaita.pdf", { type: "application/pdf", body: "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n" });
  pages.set("/feed.rss", {
    type: "application/rss+xml; charset=utf-8",
    body: rssFeed(base, [
      { slug: "vasaros-skaitymo-issukis", title: "Prasideda vasaros skaitymo iššūkis", full: true },
      { slug: "bibliotekos-naktis", title: "Bibliotekų naktis 2026", full: false },
    ]),
  });
  pages.set("/lv/feed.atom", { type: "application/atom+xml", body: atomFeed(base) });
  pages.set("/broken.xml", {
    type: "application/rss+xml",
    body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Naujienos</title><item><title>Be pabaigos`,
  });
  return {
    url: (path) => `${base}${path}`,
    hits,
    pages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
