// Live preview in the post editor (progressive enhancement): after a pause in typing in the
// title, summary or content, posts the form's text fields (its CSRF token included, no files)
// to POST /admin/preview and shows the answer, the same Preview section the server renders for
// the Preview button, from the same Markdown renderer and sanitizer. No Markdown runs here.
// Without this script the Preview button works as it is.
(() => {
  const form = document.querySelector("form[data-preview]");
  const region = document.getElementById("post-preview");
  if (!form || !region) return;
  const DELAY_MS = 400;
  let timer = 0;
  /** The request in flight: a newer one aborts it, so an old answer never replaces a newer. */
  let inFlight = null;
  let lastBody = "";

  /** The form's text fields, as the Preview button would send them, without any upload. */
  function bodyOf() {
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") body.append(name, value);
    }
    body.set("preview", "1");
    return body.toString();
  }

  async function update() {
    const body = bodyOf();
    if (body === lastBody) return;
    lastBody = body;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    region.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.preview, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
        signal: controller.signal,
        // A signed-out session gets a redirect to the sign-in page: not a preview to show.
        redirect: "error",
      });
      // 200 is a preview, 400 says what the form lacks; anything else leaves the region as it is.
      if (response.status !== 200 && response.status !== 400) return;
      const html = await response.text();
      if (controller !== inFlight) return;
      const parsed = new DOMParser().parseFromString(html, "text/html");
      region.replaceChildren(...parsed.body.childNodes);
    } catch (error) {
      if (error?.name !== "AbortError") lastBody = ""; // a network failure: retry on the next change
    } finally {
      if (controller === inFlight) {
        inFlight = null;
        region.removeAttribute("aria-busy");
      }
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY_MS);
  }

  for (const name of ["title", "summary", "content"]) {
    form.elements.namedItem(name)?.addEventListener("input", schedule);
  }
  form.elements.namedItem("format")?.addEventListener("change", schedule);
})();
