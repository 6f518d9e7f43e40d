// Added to every page (and frame) the browser tests open, before the page's own scripts:
// each Content-Security-Policy violation is handed to the test (tests/e2e/csp.py), which
// fails on any. The event also fires for what the policy refused silently (an inline
// style attribute, a handler), which a console listener would not always see.
document.addEventListener("securitypolicyviolation", (event) => {
  window.__vaeReportCspViolation({
    page: location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    disposition: event.disposition,
  });
});
