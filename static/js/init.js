import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();

// Forms send to the page's own address. Once the skip link has moved the focus, take "#main-content" off that
// address again, or the page a form returns would jump to it and the error summary would not get the focus.
const skipLink = document.querySelector(".govuk-skip-link");
if (skipLink) {
  skipLink.addEventListener("click", () => {
    window.setTimeout(() => {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }, 0);
  });
}
