// Livret 2 overview: a link to a compétence (« C1.1 : il manque… », or the return after
// saving a link) lands on a row that may sit in a folded bloc (<details>). Browsers that
// do not unfold a <details> for the fragment they scroll to would show the bloc's title
// only: unfold the target's blocs, then bring the row into view and give it the focus so
// that reading resumes there. Without JavaScript the blocs with something left to do are
// open anyway, and a folded bloc opens with a click or the keyboard.

function reveal() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  let folded = false;
  for (let node = target.parentElement; node; node = node.parentElement) {
    if (node instanceof HTMLDetailsElement && !node.open) {
      node.open = true;
      folded = true;
    }
  }
  if (folded) {
    target.scrollIntoView();
    if (target.hasAttribute("tabindex")) target.focus({ preventScroll: true });
  }
}

reveal();
window.addEventListener("hashchange", reveal);
