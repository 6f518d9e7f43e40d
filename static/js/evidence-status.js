// Live status of the text extraction of evidence files (livret 2, « Pièces justificatives »).
//
// While a piece's text is pending or being read, the status endpoint is asked again
// (poll-status.js) and each badge updated in place: each badge is a polite live region, so a
// screen reader announces « Texte de « Bulletins 2024 » : Prête (12 pages) » when it changes.
// Polling stops once every status is final (ready or failed). Without JavaScript the page's
// « Actualiser » link does the same by reloading.

import { FINAL, pollStatus } from "./poll-status.js";

function badges(root) {
  return Array.from(root.querySelectorAll("[data-evidence-id]"));
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

for (const root of document.querySelectorAll("[data-evidence-status-url]")) {
  pollStatus({
    url: root.dataset.evidenceStatusUrl,
    pending: () => badges(root).some((badge) => !FINAL.has(badge.dataset.status)),
    update: (data) => update(root, data),
    // Everything is final: the reload link has nothing more to show.
    done: () => {
      const refresh = root.querySelector("[data-evidence-refresh]");
      if (refresh) refresh.hidden = true;
    },
  });
}
