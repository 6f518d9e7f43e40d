// Suggested compétences beside the candidate's link form
// (templates/search/includes/link_suggestions_panel.html): a click picks the compétence in
// the form's list and moves the focus to it, so the candidate checks it before explaining
// and saving. Nothing is sent. When another piece, narrative or page range is chosen, the
// suggestions for it are fetched (search:link_suggestions) and replace the old ones; the
// status says so. Without JavaScript the buttons stay hidden, the list reads as advice
// and it follows the choice the page was opened (or sent back) with.

const panel = document.querySelector("[data-link-suggestions]");
const select = document.getElementById("id_competence");
const source = document.getElementById("id_source");
const pages = ["id_page_from", "id_page_to"].map((id) => document.getElementById(id));

function say(message) {
  const status = panel.querySelector("[data-suggestion-status]");
  if (status) status.textContent = message;
}

// A button shows only when its compétence is in the form's list.
function offer() {
  const values = new Set(select ? [...select.options].map((option) => option.value) : []);
  for (const button of panel.querySelectorAll("[data-suggest-competence]")) {
    button.hidden = !values.has(button.dataset.suggestCompetence);
  }
}

let pending = null;

async function refresh() {
  if (pending) pending.abort();
  pending = new AbortController();
  const params = new URLSearchParams({ source: source.value });
  for (const field of pages) {
    if (field && field.value) params.set(field.name, field.value);
  }
  let html;
  try {
    const response = await fetch(`${panel.dataset.url}?${params}`, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: pending.signal,
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    html = await response.text();
  } catch (error) {
    if (error.name === "AbortError") return; // a newer choice is on its way
    say("Les suggestions n'ont pas pu être mises à jour : celles affichées valent pour le choix précédent.");
    return;
  }
  // Parsed apart from the page (scripts in it would stay inert), then moved in.
  const parsed = new DOMParser().parseFromString(html, "text/html");
  panel.querySelector("[data-suggestions-body]").replaceChildren(...parsed.body.childNodes);
  offer();
  const heading = panel.querySelector("[data-suggestions-body] h3");
  say(heading ? `${heading.textContent.trim()} : mises à jour.` : "Aucune compétence suggérée pour ce choix.");
}

if (panel && select) {
  offer();
  panel.addEventListener("click", (event) => {
    const button = event.target.closest("[data-suggest-competence]");
    if (!button) return;
    select.value = button.dataset.suggestCompetence;
    select.focus();
    say("Compétence choisie dans le formulaire : vérifiez-la, puis expliquez en quoi le document la prouve.");
  });
  for (const field of [source, ...pages]) {
    if (field) field.addEventListener("change", refresh);
  }
}
