// The warning before a signed-in session ends (GOV.UK's timeout pattern). The page is told how many seconds its
// session has left; a few minutes before the end a modal dialog takes the focus, counts down and offers "Stay
// signed in" (which asks the server for a new idle timeout) or "Sign out". When time is up the page goes to the
// sign-in page, which says why the person was signed out. Another tab may have kept the session alive, so the
// server is asked how long is left before the dialog opens and before the page leaves.

const dialog = document.querySelector("[data-session-timeout]");

const MARGIN_MS = 1000;
const ANNOUNCE_EVERY_SECONDS = 60;
const LAST_ANNOUNCEMENT_SECONDS = 20;

let deadline = 0;
let canExtend = true;
let timer = 0;
let lastAnnounced = null;
let focusBefore = null;
let dismissed = false; // "Continue" when the session cannot be extended: no more warnings, only the end
let generation = 0; // a newer schedule makes an answer still on its way to an older one irrelevant

function secondsLeft() {
  return Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
}

function inWords(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) {
    parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  }
  if (rest || !minutes) {
    parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  }
  return parts.join(" ");
}

function roughly(seconds) {
  // What a screen reader hears: whole minutes, then the last seconds, rather than every tick.
  if (seconds > LAST_ANNOUNCEMENT_SECONDS) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function part(name) {
  return dialog.querySelector(`[data-session-timeout-${name}]`);
}

function leave() {
  // The sign-in page signs out a session that has ended and says why; one still alive is sent straight back.
  const next = window.location.pathname + window.location.search;
  window.location.assign(`${dialog.dataset.signInUrl}?next=${encodeURIComponent(next)}`);
}

async function askServer(url, options = {}) {
  // A session that has already ended is redirected to the sign-in page; "manual" keeps that from being followed.
  try {
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      cache: "no-store",
      redirect: "manual",
      ...options,
    });
    if (!response.ok) {
      return null;
    }
    return await response.json();
  } catch {
    return null;
  }
}

function showCountdown() {
  const seconds = secondsLeft();
  part("countdown").textContent = `For your security, we will sign you out in ${inWords(seconds)}.`;
  const heard = roughly(seconds);
  const due = seconds <= LAST_ANNOUNCEMENT_SECONDS || seconds % ANNOUNCE_EVERY_SECONDS === 0;
  if (heard !== lastAnnounced && due) {
    part("announcement").textContent = `We will sign you out in ${heard}.`;
    lastAnnounced = heard;
  }
}

function openDialog() {
  part("extend").hidden = !canExtend;
  part("extendable").hidden = !canExtend;
  part("continue").hidden = canExtend;
  part("final").hidden = canExtend;
  lastAnnounced = roughly(secondsLeft()); // the description is read as the dialog opens
  showCountdown();
  if (!dialog.open) {
    focusBefore = document.activeElement;
    dialog.showModal();
  }
  part(canExtend ? "extend" : "continue")
    .querySelector("button")
    .focus();
}

function closeDialog() {
  if (dialog.open) {
    dialog.close();
  }
  part("announcement").textContent = "";
  if (focusBefore && document.contains(focusBefore)) {
    focusBefore.focus();
  }
  focusBefore = null;
}

function schedule(status, { margin = 0 } = {}) {
  generation += 1;
  deadline = performance.now() + status.seconds_left * 1000 + margin;
  canExtend = status.can_extend;
  dismissed = false;
  window.clearTimeout(timer);
  timer = window.setTimeout(tick, 0);
}

async function askStatus() {
  const asked = generation;
  const status = await askServer(dialog.dataset.statusUrl);
  return { status, stale: asked !== generation };
}

async function tick() {
  const seconds = secondsLeft();
  const warning = Number(dialog.dataset.warningSeconds);
  if (seconds > warning) {
    // Timers in a background tab may run late, so wake at the warning and look at the clock again.
    timer = window.setTimeout(tick, Math.min((seconds - warning) * 1000, 60_000));
    return;
  }
  if (seconds === 0) {
    const { status, stale } = await askStatus();
    if (stale) {
      return;
    }
    if (status === null || status.seconds_left === 0) {
      leave();
      return;
    }
    if (status.seconds_left > warning) {
      closeDialog(); // kept alive in another tab
    }
    schedule(status, { margin: MARGIN_MS });
    return;
  }
  if (!dialog.open && !dismissed) {
    const { status, stale } = await askStatus();
    if (stale) {
      return;
    }
    if (status === null) {
      leave();
      return;
    }
    if (status.seconds_left > warning + 1) {
      schedule(status); // kept alive in another tab
      return;
    }
    deadline = performance.now() + status.seconds_left * 1000 + MARGIN_MS;
    canExtend = status.can_extend;
    openDialog();
  } else if (dialog.open) {
    showCountdown();
  }
  timer = window.setTimeout(tick, 1000);
}

async function staySignedIn() {
  const form = part("extend");
  const status = await askServer(form.action, { method: "POST", body: new FormData(form) });
  if (status === null) {
    leave();
    return;
  }
  closeDialog();
  schedule(status);
}

if (dialog && typeof dialog.showModal === "function") {
  part("extend").addEventListener("submit", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  part("continue").addEventListener("submit", (event) => {
    event.preventDefault();
    dismissed = true;
    closeDialog();
  });
  // Escape means "not now", as it does for any dialog: stay signed in where that is possible.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (canExtend) {
      staySignedIn();
    } else {
      dismissed = true;
      closeDialog();
    }
  });
  schedule({
    seconds_left: Number(dialog.dataset.secondsLeft),
    can_extend: dialog.dataset.canExtend === "true",
  });
}
