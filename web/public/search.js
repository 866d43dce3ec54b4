// Search as you type on /search (progressive enhancement): after a pause in typing, fetches the
// same search page with `X-Partial: results`, which answers with only the facets and results
// rendered by the page's own component, swaps them in, updates the address and says the new
// count in the live region. Without this script the form's submit button works as it is.
(() => {
  const form = document.querySelector("form.search");
  const input = form?.querySelector('input[name="q"]');
  const announce = document.getElementById("search-announce");
  if (!form || !input || !announce) return;
  const DELAY_MS = 250;
  const MIN_LENGTH = 2;
  let timer = 0;
  /** The request in flight: a newer one aborts it, so an old answer never replaces a newer. */
  let inFlight = null;

  /** The form as the submit button would send it, without empty fields. */
  function queryOf() {
    const params = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...params]) if (!value) params.delete(name);
    return params.toString();
  }

  let lastQuery = queryOf();

  async function update() {
    const query = queryOf();
    if (query === lastQuery) return;
    lastQuery = query;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`/search${query ? `?${query}` : ""}`, {
        headers: { "X-Partial": "results" },
        signal: controller.signal,
      });
      if (!response.ok) return; // a bad value: the submit button shows the error page
      const html = await response.text();
      const region = document.getElementById("search-region");
      if (!region || controller !== inFlight) return;
      const next = new DOMParser().parseFromString(html, "text/html").getElementById("search-region");
      if (!next) return;
      region.replaceWith(next);
      history.replaceState(null, "", next.dataset.url || "/search");
      if (next.dataset.title) document.title = next.dataset.title;
      announce.textContent = document.getElementById("search-count")?.textContent ?? "";
    } catch (error) {
      if (error?.name !== "AbortError") lastQuery = ""; // a network failure: retry on the next key
    } finally {
      if (controller === inFlight) {
        inFlight = null;
        form.removeAttribute("aria-busy");
      }
    }
  }

  function schedule() {
    clearTimeout(timer);
    const length = input.value.trim().length;
    // One letter finds too much to be useful; an emptied box shows everything again.
    if (length > 0 && length < MIN_LENGTH) return;
    timer = setTimeout(update, DELAY_MS);
  }

  input.addEventListener("input", schedule);
  form.querySelector('select[name="sort"]')?.addEventListener("change", schedule);
})();
