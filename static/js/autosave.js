/*
 * Autosave of a récit (livret 2 narrative): a progressive enhancement of the editor's
 * ordinary form (templates/livret/dossier/narrative.html). Without this script the form
 * still saves with its « Enregistrer » button; with it:
 *
 * - the text is sent 3 s after the last keystroke, when the editor loses focus and when
 *   the page is hidden, as JSON {text, base_version, resolution} to data-autosave-url;
 * - the server refuses a save based on a stale version (409 with both texts): the
 *   conflict panel offers to keep mine, keep the other or merge by hand, and nothing is
 *   sent meanwhile, so another tab's text is never overwritten silently;
 * - network failures are retried with backoff, and at once when the browser is back
 *   online; until the server confirms a text, it is kept in localStorage and offered back
 *   on the next visit;
 * - a status line (aria-live="polite") says what happens, and leaving the page while
 *   something is unsaved asks for confirmation.
 */

const SAVE_DELAY_MS = 3000;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60000;
// Browsers refuse keepalive requests whose body exceeds 64 KiB.
const KEEPALIVE_MAX_BYTES = 60000;
const MERGE_SEPARATOR =
  "\n\n——— Version enregistrée depuis un autre onglet ou appareil ———\n\n";

const MESSAGES = {
  saving: "Enregistrement…",
  offline: "Hors ligne — vos modifications seront envoyées",
  serverError:
    "Enregistrement impossible pour l'instant — nouvel essai automatique dans quelques secondes",
  session:
    "Votre session a expiré : reconnectez-vous dans un autre onglet, votre texte sera alors " +
    "envoyé. Il est gardé dans ce navigateur en attendant.",
  refused: "Votre récit n'a pas pu être enregistré.",
  conflict: "Ce récit a été modifié ailleurs : choisissez la version à garder.",
  same: "Les deux versions sont identiques : rien à choisir.",
  theirs: "La version enregistrée a été reprise dans l'éditeur.",
  merging:
    "Les deux versions sont dans l'éditeur : gardez ce que vous voulez de chacune, " +
    "l'enregistrement reprendra automatiquement.",
  found:
    "Un texte non enregistré a été retrouvé dans ce navigateur : voyez au-dessus de " +
    "l'éditeur.",
  restored: "Le texte retrouvé a été repris dans l'éditeur.",
  unchanged: "Aucune modification à enregistrer",
  unsigned:
    "Votre déclaration sur l'honneur devra être signée de nouveau : elle ne couvre plus " +
    "votre dossier depuis cette modification.",
};

const numberFormat = new Intl.NumberFormat("fr-FR");

function plural(count, word) {
  return `${numberFormat.format(count)} ${word}${count > 1 ? "s" : ""}`;
}

// As the server writes it (french.format): « le 1er décembre 2026 à 9 h 05 », no-break
// spaces inside the time.
function momentLabel(timestamp) {
  const date = new Date(timestamp);
  const month = date.toLocaleDateString("fr-FR", { month: "long", year: "numeric" });
  const day = date.getDate() === 1 ? "1er" : String(date.getDate());
  const minutes = String(date.getMinutes()).padStart(2, "0");
  return `le ${day} ${month} à ${date.getHours()}\u00a0h\u00a0${minutes}`;
}

function cookie(name) {
  const prefix = `${name}=`;
  const found = document.cookie.split("; ").find((part) => part.startsWith(prefix));
  return found ? decodeURIComponent(found.slice(prefix.length)) : "";
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

// Where two versions part ways, in whole words: the same rule as
// livret.narratives.difference, which marks them when the server renders a conflict.
function difference(mine, theirs) {
  const a = Array.from(mine);
  const b = Array.from(theirs);
  const limit = Math.min(a.length, b.length);
  let start = 0;
  while (start < limit && a[start] === b[start]) start += 1;
  let end = 0;
  while (end < limit - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  const isWord = (chars, index) =>
    index >= 0 && index < chars.length && WORD_CHAR.test(chars[index]);
  while (start > 0 && isWord(a, start - 1) && (isWord(a, start) || isWord(b, start))) start -= 1;
  while (
    end > 0 &&
    isWord(a, a.length - end) &&
    (isWord(a, a.length - end - 1) || isWord(b, b.length - end - 1))
  ) {
    end -= 1;
  }
  const middle = (chars) => chars.slice(start, chars.length - end).join("");
  return {
    start: a.slice(0, start).join(""),
    mine: middle(a),
    theirs: middle(b),
    end: a.slice(a.length - end).join(""),
  };
}

function scrollToMark(box) {
  const mark = box.querySelector("mark");
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - 32);
}

function showMarked(box, start, middle, end) {
  const mark = document.createElement("mark");
  mark.textContent = middle;
  box.replaceChildren(start, mark, end);
  scrollToMark(box);
}

// localStorage may be disabled or full: the local copy is a safety net, never required.
const local = {
  read(key) {
    try {
      const entry = JSON.parse(window.localStorage.getItem(key) || "null");
      return entry && typeof entry.text === "string" ? entry : null;
    } catch {
      return null;
    }
  },
  write(key, entry) {
    try {
      window.localStorage.setItem(key, JSON.stringify(entry));
    } catch {
      /* the server copy is then the only one */
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      /* nothing to clean */
    }
  },
};

class NarrativeEditor {
  constructor(form) {
    this.form = form;
    this.textarea = form.querySelector("[data-narrative-text]");
    this.baseField = form.elements.namedItem("base_version");
    this.resolutionField = form.elements.namedItem("resolution");
    this.formToken = form.elements.namedItem("csrfmiddlewaretoken").value;
    this.url = form.dataset.autosaveUrl;
    this.key = form.dataset.storageKey;
    this.minChars = Number(form.dataset.minChars);
    this.maxChars = Number(form.dataset.maxChars);
    this.status = form.querySelector("[data-save-status]");
    this.counter = form.querySelector("[data-char-count]");
    this.unsignedNotice = document.querySelector("[data-unsigned-notice]");
    this.signedNotice = document.querySelector("[data-signed-notice]");
    this.panel = document.querySelector("[data-conflict-panel]");
    this.offer = document.querySelector("[data-restore-offer]");

    // ``saved`` is the text the server holds at version ``base``.
    this.base = Number(this.baseField.value);
    this.resolution = this.resolutionField.value;
    this.saved = this.textarea.value;
    this.conflict = null;
    this.inflight = false;
    this.again = false;
    this.rejected = null;
    this.stopped = false;
    this.leaving = false;
    this.submitPending = false;
    this.offerPending = false;
    this.unsignedShown = false;
    this.timer = null;
    this.retryTimer = null;
    this.retryDelay = 0;
  }

  start() {
    this.panel.querySelector("[data-conflict-merge]").hidden = false;
    this.panel.querySelector("[data-conflict-merge-js]").hidden = false;
    this.panel.querySelector("[data-conflict-merge-hint]").hidden = true;
    if (!this.panel.hidden) this.adoptServerConflict();
    this.offerLocalCopy();
    this.updateCounter();

    this.textarea.addEventListener("input", () => this.onInput());
    this.textarea.addEventListener("blur", () => this.flush());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flush({ keepalive: true });
    });
    window.addEventListener("online", () => {
      this.retryDelay = 0;
      this.flush();
    });
    window.addEventListener("offline", () => {
      if (this.dirty()) this.setStatus(MESSAGES.offline, "warning");
    });
    window.addEventListener("beforeunload", (event) => {
      if (this.leaving || !(this.dirty() || this.inflight)) return;
      event.preventDefault();
      event.returnValue = "";
    });
    this.form.addEventListener("submit", (event) => this.onSubmit(event));

    this.panel.querySelector("[data-conflict-keep-mine]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.keepMine();
    });
    this.panel.querySelector("[data-conflict-keep-theirs]").addEventListener("click", (event) => {
      event.preventDefault();
      this.keepTheirs();
    });
    this.panel.querySelector("[data-conflict-merge]").addEventListener("click", () => this.merge());
  }

  dirty() {
    return this.textarea.value !== this.saved;
  }

  setStatus(text, kind = "") {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  setBase(version, resolution = "") {
    this.base = version;
    this.baseField.value = String(version);
    this.resolution = resolution;
    this.resolutionField.value = resolution;
  }

  updateCounter() {
    // Counted as the server counts: characters (not UTF-16 units), blank ends left out.
    const total = Array.from(this.textarea.value).length;
    const length = Array.from(this.textarea.value.trim()).length;
    const format = (count) => numberFormat.format(count);
    let text = plural(length, "caractère");
    let kind = "";
    if (total > this.maxChars) {
      text +=
        ` — au-delà de la limite de ${format(this.maxChars)} caractères : ` +
        "raccourcissez votre récit.";
      kind = "error";
    } else if (length < this.minChars) {
      text +=
        ` — encore ${format(this.minChars - length)} pour atteindre le minimum ` +
        `de ${format(this.minChars)}.`;
    } else {
      text += " — longueur suffisante.";
    }
    this.counter.textContent = text;
    this.counter.dataset.kind = kind;
  }

  keepLocal() {
    // While a found copy is offered, it stays where it is until the candidate decides.
    if (this.offerPending) return;
    if (this.dirty()) {
      local.write(this.key, { text: this.textarea.value, base: this.base, at: Date.now() });
    } else {
      local.remove(this.key);
    }
  }

  forgetLocal(text) {
    const entry = local.read(this.key);
    if (entry && entry.text === text) local.remove(this.key);
  }

  onInput() {
    this.updateCounter();
    this.keepLocal();
    if (this.conflict) {
      this.showMine(this.textarea.value);
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  onSubmit(event) {
    // Let an autosave on its way finish first, so that the form states the right version.
    if (this.inflight) {
      event.preventDefault();
      this.submitPending = true;
      return;
    }
    this.leaving = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
  }

  flush({ keepalive = false } = {}) {
    clearTimeout(this.timer);
    if (this.stopped || this.conflict || this.leaving) return;
    if (this.inflight) {
      this.again = true;
      return;
    }
    const text = this.textarea.value;
    if (text === this.saved || text === this.rejected) return;
    if (!navigator.onLine) {
      this.retryLater(MESSAGES.offline);
      return;
    }
    this.send(text, keepalive);
  }

  async send(text, keepalive) {
    this.inflight = true;
    this.rejected = null;
    clearTimeout(this.retryTimer);
    this.setStatus(MESSAGES.saving);
    const body = JSON.stringify({
      text,
      base_version: this.base,
      resolution: this.resolution,
    });
    let response = null;
    let data = null;
    try {
      response = await fetch(this.url, {
        method: "POST",
        credentials: "same-origin",
        // A redirect means the session expired (login page): never follow it.
        redirect: "manual",
        keepalive: keepalive && new Blob([body]).size <= KEEPALIVE_MAX_BYTES,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          // The cookie holds the current token even after a login in another tab.
          "X-CSRFToken": cookie("csrftoken") || this.formToken,
        },
        body,
      });
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        data = await response.json();
      }
    } catch {
      response = null;
    }
    this.inflight = false;
    this.handle(text, response, data);
    if (this.submitPending) {
      this.submitPending = false;
      if (!this.conflict) {
        this.leaving = true;
        this.form.submit();
        return;
      }
    }
    if (this.again) {
      this.again = false;
      this.flush();
    }
  }

  handle(text, response, data) {
    if (response === null) {
      this.retryLater(MESSAGES.offline);
    } else if (response.status === 200 && data) {
      this.onSaved(text, data);
    } else if (response.status === 409 && data) {
      this.onConflict(text, data);
    } else if (response.status === 400 && data) {
      // Too long, for instance: not retried until the text changes.
      this.rejected = text;
      this.setStatus(data.message || MESSAGES.refused, "error");
    } else if (response.status === 403 && data) {
      // The dossier cannot be changed any more (submitted meanwhile).
      this.stopped = true;
      this.textarea.readOnly = true;
      this.setStatus(data.message || MESSAGES.refused, "error");
    } else if (response.type === "opaqueredirect" || response.status === 403) {
      // Logged out, or a CSRF token from before a new login: retry once the candidate
      // logged in again.
      this.retryLater(MESSAGES.session);
    } else {
      this.retryLater(MESSAGES.serverError);
    }
  }

  retryLater(message) {
    this.setStatus(message, "warning");
    clearTimeout(this.retryTimer);
    this.retryDelay = Math.min(
      this.retryDelay ? this.retryDelay * 2 : RETRY_FIRST_MS,
      RETRY_MAX_MS,
    );
    this.retryTimer = setTimeout(() => this.flush(), this.retryDelay);
  }

  onSaved(text, data) {
    this.retryDelay = 0;
    this.saved = text;
    this.setBase(data.version);
    this.forgetLocal(text);
    this.setStatus(data.saved_label || MESSAGES.unchanged, "saved");
    if (data.unsigned) this.showUnsigned();
    if (this.dirty()) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    }
  }

  showUnsigned() {
    if (this.unsignedShown) return;
    this.unsignedShown = true;
    this.unsignedNotice.textContent = MESSAGES.unsigned;
    this.unsignedNotice.classList.add("notice");
    if (this.signedNotice) this.signedNotice.hidden = true;
  }

  // -- conflicts ---------------------------------------------------------------------------

  onConflict(text, data) {
    // The server kept the refused text in the history: no need to keep it here too.
    this.forgetLocal(text);
    this.showConflict(this.textarea.value, data.theirs);
  }

  showMine(text) {
    // Both boxes, since the differing passage moves as the candidate types.
    const diff = difference(text, this.conflict.theirs.text);
    showMarked(this.panel.querySelector("[data-conflict-mine]"), diff.start, diff.mine, diff.end);
    showMarked(
      this.panel.querySelector("[data-conflict-theirs]"),
      diff.start,
      diff.theirs,
      diff.end,
    );
    this.panel.querySelector("[data-conflict-mine-field]").value = text;
  }

  showConflict(mine, theirs) {
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    this.conflict = { theirs };
    this.panel.querySelector("[data-conflict-version-field]").value = String(theirs.version);
    this.panel.querySelector("[data-conflict-theirs-when]").textContent = theirs.saved_label || "";
    this.panel.dataset.theirsVersion = String(theirs.version);
    this.panel.hidden = false;
    this.showMine(mine);
    this.setStatus(MESSAGES.conflict, "error");
    this.panel.focus();
  }

  adoptServerConflict() {
    // The page itself answers a stale « Enregistrer »: its panel holds the other version.
    const theirs = {
      text: this.panel.querySelector("[data-conflict-theirs]").textContent,
      version: Number(this.panel.dataset.theirsVersion),
      saved_label: this.panel.querySelector("[data-conflict-theirs-when]").textContent,
    };
    this.conflict = { theirs };
    this.saved = theirs.text;
    this.setBase(theirs.version, "merge");
    this.panel
      .querySelectorAll("[data-conflict-mine], [data-conflict-theirs]")
      .forEach(scrollToMark);
  }

  closeConflict() {
    this.conflict = null;
    this.panel.hidden = true;
  }

  keepMine() {
    const { theirs } = this.conflict;
    this.saved = theirs.text;
    this.setBase(theirs.version, "mine");
    this.closeConflict();
    if (!this.dirty()) {
      this.setStatus(MESSAGES.same, "saved");
      return;
    }
    this.textarea.focus();
    this.flush();
  }

  keepTheirs() {
    const { theirs } = this.conflict;
    this.textarea.value = theirs.text;
    this.saved = theirs.text;
    this.setBase(theirs.version);
    local.remove(this.key);
    this.closeConflict();
    this.updateCounter();
    this.setStatus(MESSAGES.theirs, "saved");
    this.textarea.focus();
  }

  merge() {
    const { theirs } = this.conflict;
    const mine = this.textarea.value;
    this.textarea.value = mine + MERGE_SEPARATOR + theirs.text;
    this.saved = theirs.text;
    this.setBase(theirs.version, "merge");
    this.closeConflict();
    this.keepLocal();
    this.updateCounter();
    this.setStatus(MESSAGES.merging);
    this.textarea.focus();
    this.textarea.setSelectionRange(mine.length, mine.length);
  }

  // -- a copy left in this browser ---------------------------------------------------------

  offerLocalCopy() {
    const entry = local.read(this.key);
    if (!entry) return;
    if (entry.text === this.textarea.value || entry.text === this.saved) {
      // The server has this text: nothing to offer.
      local.remove(this.key);
      return;
    }
    if (this.conflict) return;
    const serverAt = Date.parse(this.form.dataset.savedAt || "") || 0;
    const when = momentLabel(entry.at);
    this.offer.querySelector("[data-restore-when]").textContent =
      entry.at > serverAt
        ? `Ce navigateur a gardé une version plus récente de ce récit, écrite ${when}, ` +
          "qui n'a pas été enregistrée."
        : `Ce navigateur a gardé une version de ce récit écrite ${when}, qui n'a pas été ` +
          "enregistrée ; la version enregistrée est plus récente.";
    this.offer.querySelector("[data-restore-text]").textContent = entry.text;
    this.offer.hidden = false;
    this.offerPending = true;
    this.setStatus(MESSAGES.found, "warning");
    this.offer.querySelector("[data-restore-accept]").addEventListener("click", () => {
      this.closeOffer();
      this.textarea.value = entry.text;
      // Based on the version it was written from: if the server moved on since, the
      // save is refused and both texts are shown, as with another tab.
      this.setBase(Number(entry.base) || 0);
      this.keepLocal();
      this.updateCounter();
      this.setStatus(MESSAGES.restored);
      this.textarea.focus();
      this.flush();
    });
    this.offer.querySelector("[data-restore-dismiss]").addEventListener("click", () => {
      this.closeOffer();
      local.remove(this.key);
      this.keepLocal();
      this.textarea.focus();
    });
  }

  closeOffer() {
    this.offer.hidden = true;
    this.offerPending = false;
  }
}

const form = document.querySelector("form[data-narrative-editor]");
if (form) new NarrativeEditor(form).start();
