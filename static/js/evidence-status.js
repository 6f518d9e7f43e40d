// Live status of the text extraction of evidence files (livret 2, « Pièces justificatives »).
//
// While a piece's text is pending or being read, ask the status endpoint every 2 seconds and
// update each badge in place: each badge is a polite live region, so a screen reader announces
// « Texte de « Bulletins 2024 » : Prête (12 pages) » when it changes. Polling stops once every
// status is final (ready or failed). Without JavaScript the page's « Actualiser » link does the
// same by reloading.

const INTERVAL_MS = 2000;
// After this many failed requests in a row (network down, session expired), give up quietly:
// the « Actualiser » link stays there.
const MAX_ERRORS = 5;
const FINAL = new Set(["ready", "failed"]);

function badges(root) {
  return Array.from(root.querySelectorAll("[data-evidence-id]"));
}

function pending(root) {
  return badges(root).some((badge) => !FINAL.has(badge.dataset.status));
}

function update(root, data) {
  for (const badge of badges(root)) {
    const state = data.evidence[badge.dataset.evidenceId];
    if (!state || state.status === badge.dataset.status) continue;
    badge.classList.remove(`evidence-status--${badge.dataset.status}`);
    badge.classList.add(`evidence-status--${state.status}`);
    badge.dataset.status = state.status;
    const label = badge.querySelector("[data-evidence-label]");
    if (label) label.textContent = state.label;
  }
}

function start(root) {
  const url = root.dataset.evidenceStatusUrl;
  const refresh = root.querySelector("[data-evidence-refresh]");
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
    if (pending(root)) {
      window.setTimeout(poll, INTERVAL_MS);
    } else if (refresh) {
      // Everything is final: the reload link has nothing more to show.
      refresh.hidden = true;
    }
  }

  if (pending(root)) window.setTimeout(poll, INTERVAL_MS);
}

for (const root of document.querySelectorAll("[data-evidence-status-url]")) {
  start(root);
}
