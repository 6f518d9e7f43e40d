// Polling of a status endpoint, shared by the live statuses (generated PDFs, the text
// extraction of evidence): every 2 seconds while `pending()` says so, `update(json)` with
// each answer; after 5 failed requests in a row (network down, session expired) it gives up
// quietly and the page's « Actualiser » link stays there; once nothing is pending, `done()`.

const INTERVAL_MS = 2000;
const MAX_ERRORS = 5;

export const FINAL = new Set(["ready", "failed"]);

export function pollStatus({ url, pending, update, done }) {
  let errors = 0;

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      update(await response.json());
      errors = 0;
    } catch {
      errors += 1;
      if (errors >= MAX_ERRORS) return;
    }
    if (pending()) {
      window.setTimeout(poll, INTERVAL_MS);
    } else if (done) {
      done();
    }
  }

  if (pending()) window.setTimeout(poll, INTERVAL_MS);
}
