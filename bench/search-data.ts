import { readFileSync } from "node:fs";
import type postgres from "postgres";

/**
 * Word lists for generated items: English from the seed texts (/work/shared/seeds), Lithuanian
 * and Latvian written here in several inflected forms, so that stemming and diacritics matter.
 */
const LITHUANIAN = `biblioteka bibliotekos bibliotekoje bibliotekose bibliotekų bibliotekininkas bibliotekininkai
  skaitymas skaitymo skaitytojai skaitytojų knyga knygos knygų knygomis vaikai vaikams vaikų jaunimas jaunimo
  renginys renginiai renginių seminaras seminarai mokymai mokymų paroda parodos skaitmeninis skaitmeninio
  raštingumas raštingumo paslaugos paslaugų bendruomenė bendruomenės kultūra kultūros istorija istorijos
  kraštotyra kraštotyros archyvas archyvo fondas fondai rinkinys rinkiniai leidinys leidiniai projektas projekto
  partneriai savivaldybė rajono apskrities viešoji nacionalinė metodinė pagalba konsultacijos senjorai senjorams
  ekspozicija susitikimas autorius poezija vakaras dirbtuvės edukacija edukacijos užsiėmimai kompiuteris
  internetas duomenys tyrimas tyrimo ataskaita gairės mokslas mokykla mokytojai tėvai šeima vasara žiema
  konkursas apdovanojimas savanoriai tarptautinis programa strategija plėtra kokybė inovacijos`;
const LATVIAN = `bibliotēka bibliotēkas bibliotēkā bibliotēkās bibliotekārs bibliotekāri lasīšana lasīšanas lasītāji
  lasītāju grāmata grāmatas grāmatu bērni bērniem bērnu jaunieši jauniešu pasākums pasākumi pasākumu seminārs
  semināri apmācības izstāde izstādes digitālā digitālās pratība pratības pakalpojumi pakalpojumu kopiena
  kopienas kultūra kultūras vēsture vēstures novadpētniecība arhīvs krājums krājumi izdevums projekts projekta
  partneri pašvaldība novada valsts nacionālā metodiskā palīdzība konsultācijas seniori senioriem tikšanās
  autors dzeja vakars darbnīcas izglītība nodarbības dators internets dati pētījums pētījuma pārskats vadlīnijas
  zinātne skola skolotāji vecāki ģimene vasara ziema konkurss balva brīvprātīgie starptautisks programma
  stratēģija attīstība kvalitāte inovācijas`;

function englishWords(): string[] {
  const dir = "/work/shared/seeds";
  const files = ["000_fe40ff655a1fb7f1.txt", "001_35db0316715c1e40.txt", "002_7ba8a5fcc1da933b.txt"];
  const words = new Set<string>();
  for (const file of files) {
    try {
      for (const w of readFileSync(`${dir}/${file}`, "utf8")
        .toLowerCase()
        .split(/[^a-z]+/)) {
        if (w.length >= 4) words.add(w);
      }
    } catch {
      // A missing seed only shortens the list.
    }
  }
  return words.size > 50
    ? [...words]
    : "library libraries reading readers training digital literacy".split(" ");
}

/** Words per language: the real words above first (the head), then made-up ones (the long tail). */
export const VOCABULARY = 40_000;
const SYLLABLES: Record<"lt" | "lv" | "en", { consonants: string[]; vowels: string[]; ending: string }> = {
  lt: { consonants: [..."bdgklmnprstvzšž"], vowels: [..."aeiouyė"], ending: "as" },
  lv: { consonants: [..."bcdgkļlmnprstvzš"], vowels: [..."aeiouā"], ending: "s" },
  en: { consonants: [..."bcdfghklmnprstvw"], vowels: [..."aeiou"], ending: "er" },
};

/** The n-th made-up word of a language: three syllables and an ending, distinct for each n. */
function madeUpWord(language: "lt" | "lv" | "en", n: number): string {
  const { consonants, vowels, ending } = SYLLABLES[language];
  const syllables = consonants.flatMap((c) => vowels.map((v) => c + v));
  let word = "";
  for (let i = 0, rest = n; i < 3; i++, rest = Math.floor(rest / syllables.length))
    word += syllables[rest % syllables.length];
  return word + ending;
}

function vocabulary(language: "lt" | "lv" | "en", head: string[]): string[] {
  const words = [...new Set(head)];
  const seen = new Set(words);
  for (let n = 0; words.length < VOCABULARY; n++) {
    const word = madeUpWord(language, n);
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/**
 * Zipf-like (exponent 1): the word at place k is drawn with probability ~ 1/k (bench_words picks
 * the place as floor(VOCABULARY ^ random())). With 71 words an item and 40,000 words a language,
 * the first few are in most items of their language, place ~300 in ~10,000, place ~3,000 in
 * ~1,000 and the last ones in a few dozen: common, mid and rare words as real text has them.
 */
export const WORDS = {
  lt: vocabulary("lt", LITHUANIAN.split(/\s+/).filter(Boolean)),
  lv: vocabulary("lv", LATVIAN.split(/\s+/).filter(Boolean)),
  en: vocabulary("en", englishWords()),
};

/** Countries of the generated libraries, weighted: Lithuania and Latvia first, then partners. */
const COUNTRIES = ["LT", "LT", "LT", "LT", "LV", "LV", "LV", "EE", "FI", "PL", "DE", "SE", "GB", "NO"];
const TAGS = [
  "skaitymas",
  "lasisana",
  "reading",
  "digital",
  "vaikai",
  "berni",
  "seniors",
  "history",
  "events",
  "training",
  "research",
  "heritage",
  "makerspace",
  "literacy",
  "community",
  "youth",
  "archives",
  "music",
];

/** Helpers in the bench database only: random words with a Zipf-like skew (common, mid, rare; see WORDS). */
export async function installGenerators(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`
    CREATE FUNCTION bench_words(words text[], n int) RETURNS text LANGUAGE sql VOLATILE AS $$
      SELECT string_agg(words[floor(power(array_length(words, 1), random()))::int], ' ')
      FROM generate_series(1, n)
    $$;
    CREATE FUNCTION bench_pick(options text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
      SELECT options[1 + floor(random() * array_length(options, 1))::int]
    $$;`);
}

/** 200 remote libraries: countries as above, one in twenty refusing search (indexable false). */
export async function insertLibraries(sql: postgres.Sql): Promise<void> {
  await sql`
    INSERT INTO remote_actors (id, iri, type, handle, name, inbox_url, country, indexable)
    SELECT gen_random_uuid(), 'https://lib' || g || '.example/users/library', 'Organization',
      'library@lib' || g || '.example', 'Library ' || g, 'https://lib' || g || '.example/inbox',
      (${COUNTRIES}::text[])[1 + g % ${COUNTRIES.length}], g % 20 <> 0
    FROM generate_series(1, 200) AS g`;
}

/** Items first..last: language follows the library's country; types, tags, practices as a hub sees them. */
export async function insertItems(sql: postgres.Sql, first: number, last: number): Promise<void> {
  await sql`
    WITH libraries AS (SELECT array_agg(id ORDER BY iri) AS ids, array_agg(country ORDER BY iri) AS countries FROM remote_actors),
    drafted AS (
      SELECT g, 1 + floor(random() * 200)::int AS library, random() AS r, random() AS t FROM generate_series(${first}::int, ${last}::int) AS g)
    INSERT INTO items (id, iri, type, title, summary, content, language, tags, details, remote_actor_id, published)
    SELECT gen_random_uuid(), 'https://bench.example/items/' || d.g,
      CASE WHEN d.t < 0.7 THEN 'Article' WHEN d.t < 0.8 THEN 'Note' WHEN d.t < 0.9 THEN 'Event' WHEN d.t < 0.95 THEN 'Video' ELSE 'Document' END,
      initcap(bench_words(w.words, 6)), bench_words(w.words, 15) || '.', '<p>' || bench_words(w.words, 50) || '.</p>',
      w.lang,
      to_jsonb(ARRAY[bench_pick(${TAGS}::text[]), bench_pick(${TAGS}::text[])]),
      CASE WHEN d.t >= 0.65 AND d.t < 0.7 THEN jsonb_build_object('kind', 'practice', 'scope', 'regional',
        'audiences', jsonb_build_array(bench_pick(ARRAY['children', 'seniors', 'librarians', 'teachers'])),
        'skillLevel', bench_pick(ARRAY['basic', 'intermediate', 'advanced', 'specialised']), 'countries', '[]'::jsonb, 'partners', '[]'::jsonb) END,
      l.ids[d.library],
      now() - make_interval(secs => power(random(), 1.5) * 6 * 365 * 86400)
    FROM drafted d CROSS JOIN libraries l
    CROSS JOIN LATERAL (
      SELECT CASE
        WHEN l.countries[d.library] = 'LT' AND d.r < 0.85 THEN 'lt'
        WHEN l.countries[d.library] = 'LV' AND d.r < 0.85 THEN 'lv'
        ELSE 'en' END AS lang) AS chosen
    CROSS JOIN LATERAL (
      SELECT chosen.lang, CASE chosen.lang WHEN 'lt' THEN ${WORDS.lt}::text[] WHEN 'lv' THEN ${WORDS.lv}::text[]
        ELSE ${WORDS.en}::text[] END AS words) AS w`;
}
