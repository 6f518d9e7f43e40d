// Live status of a generated PDF (livret 2 export, evaluation grid): « En préparation… »,
// then the download link.
//
// While a document is pending, its status endpoint is asked again (poll-status.js) and the
// label updated in place (a polite live region, so a screen reader announces « Prêt (PDF,
// 120 Ko) »), then the link shown. Without JavaScript the « Actualiser » link does the same
// by reloading.

import { FINAL, pollStatus } from "./poll-status.js";

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

for (const root of document.querySelectorAll("[data-document-status-url]")) {
  pollStatus({
    url: root.dataset.documentStatusUrl,
    pending: () => !FINAL.has(root.dataset.status),
    update: (state) => update(root, state),
    done: () => {
      const refresh = root.querySelector("[data-document-refresh]");
      if (refresh) refresh.hidden = true;
    },
  });
}
