// A circulation's progress page, while the run is sending: asks the progress endpoint for fresh counts every
// few seconds and updates the bar and the counts. Without this script the page shows the counts it was
// loaded with and a "Refresh" link. When the run stops sending, the page reloads to show its failures.

const panel = document.querySelector("[data-circulation-progress]");

function show(progress) {
  const bar = panel.querySelector("[role=progressbar]");
  bar.setAttribute("aria-valuenow", String(progress.percent_done));
  bar.setAttribute("aria-valuetext", progress.summary);
  const sent = panel.querySelector("[data-bar=sent]");
  const failed = panel.querySelector("[data-bar=failed]");
  sent.setAttribute("width", `${progress.sent_width.toFixed(2)}%`);
  failed.setAttribute("x", `${progress.sent_width.toFixed(2)}%`);
  failed.setAttribute("width", `${progress.failed_width.toFixed(2)}%`);
  for (const name of ["summary", "sent", "failed", "pending", "total"]) {
    const field = panel.querySelector(`[data-progress=${name}]`);
    if (field) {
      field.textContent = String(progress[name]);
    }
  }
}

async function refresh(url, delay) {
  let progress;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) {
      return; // Signed out, or the run is gone: the "Refresh" link is still there.
    }
    progress = await response.json();
  } catch {
    return;
  }
  show(progress);
  if (progress.status !== "sending") {
    window.location.reload();
    return;
  }
  window.setTimeout(() => refresh(url, delay), delay);
}

if (panel && panel.dataset.status === "sending") {
  const note = panel.querySelector("[data-progress=refresh-note]");
  if (note) {
    note.textContent = "These counts update every few seconds while the contact list is being sent.";
  }
  const delay = 1000 * Number(panel.dataset.refreshSeconds || 3);
  window.setTimeout(() => refresh(panel.dataset.progressUrl, delay), delay);
}
