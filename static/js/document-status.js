// Live status of a generated PDF (livret 2 export, evaluation grid): « En préparation… »,
// then the download link.
//
// While a document is pending, ask its status endpoint every 2 seconds and update the label
// in place (a polite live region, so a screen reader announces « Prêt (PDF, 120 Ko) »), then
// show the link. Without JavaScript the « Actualiser » link does the same by reloading.

const INTERVAL_MS = 2000;
// After this many failed requests in a row, give up quietly: « Actualiser » stays there.
const MAX_ERRORS = 5;
const FINAL = new Set(["ready", "failed"]);

function update(root, state) {
  root.dataset.status = state.status;
  const label = root.querySelector("[data-document-label]");
  if (label && label.textContent !== state.label) label.textContent = state.label;
  const link = root.querySelector("[data-document-link]");
  const anchor = root.querySelector("[data-document-download]");
  if (link && anchor && state.ready) {
    anchor.href = state.url;
    link.hidden = false;
  }
}

function start(root) {
  const url = root.dataset.documentStatusUrl;
  let errors = 0;

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      update(root, await response.json());
      errors = 0;
    } catch {
      errors += 1;
      if (errors >= MAX_ERRORS) return;
    }
    if (!FINAL.has(root.dataset.status)) {
      window.setTimeout(poll, INTERVAL_MS);
    } else {
      const refresh = root.querySelector("[data-document-refresh]");
      if (refresh) refresh.hidden = true;
    }
  }

  if (!FINAL.has(root.dataset.status)) window.setTimeout(poll, INTERVAL_MS);
}

for (const root of document.querySelectorAll("[data-document-status-url]")) {
  start(root);
}
