// Runs first in <body>, so GOV.UK Frontend styles for JavaScript apply before the page paints.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
