/*
 * Autosave of a form's texts: a progressive enhancement of an ordinary form, used by the
 * récits of livret 2 (templates/livret/dossier/narrative.html) and the jury's interview
 * notes (templates/jury/candidate_file.html, one form per bloc). Without this script the
 * form still saves with its button; with it:
 *
 * - the texts (the form's [data-autosave-field="key"] fields) are sent 3 s after the last
 *   keystroke, when a field loses focus and when the page is hidden, as JSON
 *   {key: text…, base_version[, resolution]} to data-autosave-url;
 * - the server refuses a save based on a stale version (409 with both versions): the
 *   conflict panel (templates/includes/autosave_conflict.html, named by
 *   data-autosave-panel) offers to keep mine, keep the other or merge by hand, and nothing
 *   is sent meanwhile, so another tab's or person's text is never overwritten silently;
 * - network failures are retried with backoff, and at once when the browser is back
 *   online; until the server confirms a text, it is kept in localStorage
 *   (data-storage-key) and offered back on the next visit (data-autosave-offer);
 * - a status line (aria-live="polite") says what happens, and leaving the page while
 *   something is unsaved asks for confirmation.
 *
 * The form says the rest in data attributes: data-version-field and data-resolution-field
 * (the names of its hidden fields), data-wording-* (what is edited, in French), and
 * optionally data-min-chars / data-max-chars for a counter ([data-char-count]). Every
 * form of the page that has data-autosave-url is enhanced, each on its own.
 */

const SAVE_DELAY_MS = 3000;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60000;
// Browsers refuse keepalive requests whose body exceeds 64 KiB.
const KEEPALIVE_MAX_BYTES = 60000;

const MESSAGES = {
  saving: "Enregistrement…",
  offline: "Hors ligne — vos modifications seront envoyées",
  serverError:
    "Enregistrement impossible pour l'instant — nouvel essai automatique dans quelques secondes",
  session:
    "Votre session a expiré : reconnectez-vous dans un autre onglet, votre texte sera alors " +
    "envoyé. Il est gardé dans ce navigateur en attendant.",
  refused: "Votre texte n'a pas pu être enregistré.",
  conflict: "Ce texte a été modifié ailleurs : choisissez la version à garder.",
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
  read(key, fields) {
    try {
      const entry = JSON.parse(window.localStorage.getItem(key) || "null");
      return entry && fields.every((name) => typeof entry[name] === "string") ? entry : null;
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

// The form's texts as {key: text}, and their comparison.
function same(a, b) {
  return a !== null && b !== null && Object.keys(a).every((key) => a[key] === b[key]);
}

class AutosaveForm {
  constructor(form) {
    this.form = form;
    const data = form.dataset;
    this.fields = Array.from(form.querySelectorAll("[data-autosave-field]"));
    this.keys = this.fields.map((field) => field.dataset.autosaveField);
    this.baseField = form.elements.namedItem(data.versionField || "base_version");
    this.resolutionField = data.resolutionField
      ? form.elements.namedItem(data.resolutionField)
      : null;
    this.formToken = form.elements.namedItem("csrfmiddlewaretoken").value;
    this.url = data.autosaveUrl;
    this.key = data.storageKey;
    this.minChars = Number(data.minChars || 0);
    this.maxChars = Number(data.maxChars || 0);
    this.status = form.querySelector("[data-save-status]");
    this.counter = form.querySelector("[data-char-count]");
    this.unsignedNotice = document.querySelector("[data-unsigned-notice]");
    this.signedNotice = document.querySelector("[data-signed-notice]");
    this.panel = document.getElementById(data.autosavePanel);
    this.offer = data.autosaveOffer ? document.getElementById(data.autosaveOffer) : null;
    this.words = {
      ...MESSAGES,
      ...(data.wordingConflict ? { conflict: data.wordingConflict } : {}),
      ...(data.wordingRefused ? { refused: data.wordingRefused } : {}),
    };
    this.what = data.wordingWhat || "ce texte";
    this.mergeSeparator = `\n\n——— ${data.wordingMerge || "Autre version enregistrée"} ———\n\n`;

    // ``saved`` is what the server holds at version ``base``.
    this.base = Number(this.baseField.value);
    this.resolution = this.resolutionField ? this.resolutionField.value : "";
    this.saved = this.values();
    this.conflict = null;
    this.inflight = false;
    this.again = false;
    this.rejected = null;
    this.stopped = false;
    this.leaving = false;
    this.submitPending = null;
    this.offerPending = false;
    this.unsignedShown = false;
    this.timer = null;
    this.retryTimer = null;
    this.retryDelay = 0;
  }

  values() {
    return Object.fromEntries(this.fields.map((field) => [field.dataset.autosaveField, field.value]));
  }

  setValues(values) {
    for (const field of this.fields) field.value = values[field.dataset.autosaveField] ?? "";
  }

  label(key) {
    const field = this.fields[this.keys.indexOf(key)];
    const label = field.labels && field.labels[0];
    return label ? label.textContent.trim() : key;
  }

  // One text for a person to read: the fields one after the other, named when several.
  readable(values) {
    if (this.keys.length === 1) return values[this.keys[0]];
    return this.keys
      .filter((key) => values[key])
      .map((key) => `${this.label(key)}\n${values[key]}`)
      .join("\n\n");
  }

  inPanel(selector, key) {
    return this.panel.querySelector(`[${selector}="${CSS.escape(key)}"]`);
  }

  start() {
    this.panel.querySelector("[data-conflict-merge]").hidden = false;
    this.panel.querySelector("[data-conflict-merge-js]").hidden = false;
    this.panel.querySelector("[data-conflict-merge-hint]").hidden = true;
    if (!this.panel.hidden) this.adoptServerConflict();
    this.offerLocalCopy();
    this.updateCounter();

    for (const field of this.fields) {
      field.addEventListener("input", () => this.onInput());
      field.addEventListener("blur", () => this.flush());
    }
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
    return !same(this.values(), this.saved);
  }

  setStatus(text, kind = "") {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  setBase(version, resolution = "") {
    this.base = version;
    this.baseField.value = String(version);
    this.resolution = resolution;
    if (this.resolutionField) this.resolutionField.value = resolution;
  }

  updateCounter() {
    if (!this.counter || !this.maxChars) return;
    const text = this.fields[0].value;
    // Counted as the server counts: characters (not UTF-16 units), blank ends left out.
    const total = Array.from(text).length;
    const length = Array.from(text.trim()).length;
    const format = (count) => numberFormat.format(count);
    let line = plural(length, "caractère");
    let kind = "";
    if (total > this.maxChars) {
      line +=
        ` — au-delà de la limite de ${format(this.maxChars)} caractères : ` +
        "raccourcissez votre texte.";
      kind = "error";
    } else if (length < this.minChars) {
      line +=
        ` — encore ${format(this.minChars - length)} pour atteindre le minimum ` +
        `de ${format(this.minChars)}.`;
    } else {
      line += " — longueur suffisante.";
    }
    this.counter.textContent = line;
    this.counter.dataset.kind = kind;
  }

  keepLocal() {
    // While a found copy is offered, it stays where it is until the user decides.
    if (this.offerPending) return;
    if (this.dirty()) {
      local.write(this.key, { ...this.values(), base: this.base, at: Date.now() });
    } else {
      local.remove(this.key);
    }
  }

  forgetLocal(values) {
    const entry = local.read(this.key, this.keys);
    if (entry && same(values, entry)) local.remove(this.key);
  }

  onInput() {
    this.updateCounter();
    this.keepLocal();
    if (this.conflict) {
      this.showMine(this.values());
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  onSubmit(event) {
    // Let an autosave on its way finish first, so that the form states the right version.
    if (this.inflight) {
      event.preventDefault();
      // The button pressed is resubmitted: on a page of several forms it names the part.
      this.submitPending = { submitter: event.submitter || null };
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
    const values = this.values();
    if (same(values, this.saved) || same(values, this.rejected)) return;
    if (!navigator.onLine) {
      this.retryLater(MESSAGES.offline);
      return;
    }
    this.send(values, keepalive);
  }

  async send(values, keepalive) {
    this.inflight = true;
    this.rejected = null;
    clearTimeout(this.retryTimer);
    this.setStatus(MESSAGES.saving);
    const payload = { ...values, base_version: this.base };
    if (this.resolutionField) payload.resolution = this.resolution;
    const body = JSON.stringify(payload);
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
    this.handle(values, response, data);
    if (this.submitPending) {
      const { submitter } = this.submitPending;
      this.submitPending = null;
      if (!this.conflict) {
        this.leaving = true;
        this.form.requestSubmit(submitter);
        return;
      }
    }
    if (this.again) {
      this.again = false;
      this.flush();
    }
  }

  handle(values, response, data) {
    if (response === null) {
      this.retryLater(MESSAGES.offline);
    } else if (response.status === 200 && data) {
      this.onSaved(values, data);
    } else if (response.status === 409 && data) {
      this.onConflict(values, data);
    } else if (response.status === 400 && data) {
      // Too long, for instance: not retried until the text changes.
      this.rejected = values;
      this.setStatus(data.message || this.words.refused, "error");
    } else if (response.status === 403 && data) {
      // The text cannot be changed any more (submitted or closed meanwhile).
      this.stopped = true;
      for (const field of this.fields) field.readOnly = true;
      this.setStatus(data.message || this.words.refused, "error");
    } else if (response.type === "opaqueredirect" || response.status === 403) {
      // Logged out, or a CSRF token from before a new login: retry once the user
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

  onSaved(values, data) {
    this.retryDelay = 0;
    this.saved = values;
    this.setBase(data.version);
    this.forgetLocal(values);
    this.setStatus(data.saved_label || MESSAGES.unchanged, "saved");
    if (data.unsigned) this.showUnsigned();
    if (this.dirty()) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    }
  }

  showUnsigned() {
    if (this.unsignedShown || !this.unsignedNotice) return;
    this.unsignedShown = true;
    this.unsignedNotice.textContent = MESSAGES.unsigned;
    this.unsignedNotice.classList.add("notice");
    if (this.signedNotice) this.signedNotice.hidden = true;
  }

  // -- conflicts ---------------------------------------------------------------------------

  onConflict(values, data) {
    // The server answered with the refused texts: they are on the page, in the panel.
    this.forgetLocal(values);
    this.showConflict(this.values(), data.theirs);
  }

  showMine(values) {
    // Both boxes, since the differing passage moves as the user types.
    for (const key of this.keys) {
      const diff = difference(values[key], this.conflict.theirs[key] ?? "");
      showMarked(this.inPanel("data-conflict-mine", key), diff.start, diff.mine, diff.end);
      showMarked(this.inPanel("data-conflict-theirs", key), diff.start, diff.theirs, diff.end);
      this.inPanel("data-conflict-mine-field", key).value = values[key];
    }
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
    this.setStatus(this.words.conflict, "error");
    this.panel.focus();
  }

  theirsValues() {
    const { theirs } = this.conflict;
    return Object.fromEntries(this.keys.map((key) => [key, theirs[key] ?? ""]));
  }

  adoptServerConflict() {
    // The page itself answers a stale ordinary post: its panel holds the other version.
    const theirs = {
      version: Number(this.panel.dataset.theirsVersion),
      saved_label: this.panel.querySelector("[data-conflict-theirs-when]").textContent,
    };
    for (const key of this.keys) theirs[key] = this.inPanel("data-conflict-theirs", key).textContent;
    this.conflict = { theirs };
    this.saved = this.theirsValues();
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
    const { version } = this.conflict.theirs;
    this.saved = this.theirsValues();
    this.setBase(version, "mine");
    this.closeConflict();
    if (!this.dirty()) {
      this.setStatus(MESSAGES.same, "saved");
      return;
    }
    this.fields[0].focus();
    this.flush();
  }

  keepTheirs() {
    const theirs = this.theirsValues();
    const { version } = this.conflict.theirs;
    this.setValues(theirs);
    this.saved = theirs;
    this.setBase(version);
    local.remove(this.key);
    this.closeConflict();
    this.updateCounter();
    this.setStatus(MESSAGES.theirs, "saved");
    this.fields[0].focus();
  }

  merge() {
    const theirs = this.theirsValues();
    const { version } = this.conflict.theirs;
    const mine = this.values();
    let first = null;
    for (const field of this.fields) {
      const key = field.dataset.autosaveField;
      // Only where they differ; an empty side adds nothing to read.
      if (mine[key] === theirs[key] || !theirs[key]) continue;
      field.value = mine[key] ? mine[key] + this.mergeSeparator + theirs[key] : theirs[key];
      if (first === null) first = { field, at: mine[key].length };
    }
    this.saved = theirs;
    this.setBase(version, "merge");
    this.closeConflict();
    this.keepLocal();
    this.updateCounter();
    this.setStatus(MESSAGES.merging);
    const target = first || { field: this.fields[0], at: 0 };
    target.field.focus();
    target.field.setSelectionRange(target.at, target.at);
  }

  // -- a copy left in this browser ---------------------------------------------------------

  offerLocalCopy() {
    const entry = local.read(this.key, this.keys);
    if (!entry) return;
    if (same(this.values(), entry) || same(this.saved, entry)) {
      // The server has this text: nothing to offer.
      local.remove(this.key);
      return;
    }
    if (this.conflict || !this.offer) return;
    const serverAt = Date.parse(this.form.dataset.savedAt || "") || 0;
    const when = momentLabel(entry.at);
    this.offer.querySelector("[data-restore-when]").textContent =
      entry.at > serverAt
        ? `Ce navigateur a gardé une version plus récente de ${this.what}, écrite ${when}, ` +
          "qui n'a pas été enregistrée."
        : `Ce navigateur a gardé une version de ${this.what} écrite ${when}, qui n'a pas été ` +
          "enregistrée ; la version enregistrée est plus récente.";
    this.offer.querySelector("[data-restore-text]").textContent = this.readable(entry);
    this.offer.hidden = false;
    this.offerPending = true;
    this.setStatus(MESSAGES.found, "warning");
    this.offer.querySelector("[data-restore-accept]").addEventListener("click", () => {
      this.closeOffer();
      this.setValues(entry);
      // Based on the version it was written from: if the server moved on since, the
      // save is refused and both versions are shown, as with another tab.
      this.setBase(Number(entry.base) || 0);
      this.keepLocal();
      this.updateCounter();
      this.setStatus(MESSAGES.restored);
      this.fields[0].focus();
      this.flush();
    });
    this.offer.querySelector("[data-restore-dismiss]").addEventListener("click", () => {
      this.closeOffer();
      local.remove(this.key);
      this.keepLocal();
      this.fields[0].focus();
    });
  }

  closeOffer() {
    this.offer.hidden = true;
    this.offerPending = false;
  }
}

document
  .querySelectorAll("form[data-autosave-url]")
  .forEach((form) => new AutosaveForm(form).start());
