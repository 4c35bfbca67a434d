// The programme grid: one day at a time, rooms as columns, time down the side.
// No framework and no CDN: Telegram's script is not loaded; the client injects
// window.Telegram.WebApp itself, else the initData comes in the URL fragment (#tgWebAppData=...).
"use strict";

const KIND_COLOURS = {
  plenary: "#bbdefb", ceremony: "#f8bbd0", workshop: "#c8e6c9", panel: "#ffe0b2",
  meeting: "#d1c4e9", registration: "#e0e0e0", break: "#eeeeee", meal: "#eeeeee",
  social: "#fff9c4", other: "#cfd8dc",
};
const HOUR_PX = 64;
const TOP_PX = 10; // room for the first hour's label
// Times stay "10:00–11:30" inside right-to-left text.
const ltr = (text) => "\u2066" + text + "\u2069";
const $ = (id) => document.getElementById(id);

const fragment = new URLSearchParams(location.hash.slice(1));
const webApp = window.Telegram && window.Telegram.WebApp;
const initData = (webApp && webApp.initData) || fragment.get("tgWebAppData") || "";
const state = { programme: null, chosen: new Set(), day: null, skew: 0, open: null };
// Descriptions, fetched when a session's detail first opens (the programme comes without them).
const descriptions = new Map();

function applyTheme() {
  let theme = webApp && webApp.themeParams;
  if (!theme && fragment.get("tgWebAppThemeParams")) {
    try { theme = JSON.parse(fragment.get("tgWebAppThemeParams")); } catch (e) { theme = null; }
  }
  for (const [key, value] of Object.entries(theme || {})) {
    if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) {
      document.documentElement.style.setProperty("--tg-" + key.replace(/_/g, "-"), value);
    }
  }
}

async function api(path, options = {}) {
  const lang = new URLSearchParams(location.search).get("lang");
  const url = "api/" + path + (lang ? "?lang=" + encodeURIComponent(lang) : "");
  const headers = Object.assign({ "X-Telegram-Init-Data": initData }, options.headers || {});
  const response = await fetch(url, Object.assign({}, options, { headers }));
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    const error = new Error((body && body.message) || response.status + " " + response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showMessage(text, isError) {
  const box = $("message");
  box.textContent = text;
  box.hidden = !text;
  box.className = isError ? "error" : "";
}

function minutes(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

function span(session) {
  const start = minutes(session.start);
  let end = minutes(session.end);
  if (end <= start) end += 24 * 60; // past midnight
  return [start, end];
}

function matches(session) {
  const p = state.programme;
  const words = $("search").value.trim().toLocaleLowerCase();
  if ($("track").value && session.track !== $("track").value) return false;
  if ($("language").value && !session.languages.includes($("language").value)) return false;
  if ($("room").value && session.room !== $("room").value) return false;
  if (words) {
    const room = p.rooms.find((r) => r.id === session.room);
    const hay = [session.title, room ? room.name : "", ...session.speakers]
      .join(" ").toLocaleLowerCase();
    if (!words.split(/\s+/).every((w) => hay.includes(w))) return false;
  }
  return true;
}

function colourOf(session) {
  const track = state.programme.tracks.find((t) => t.id === session.track);
  return (track && track.colour) || KIND_COLOURS[session.kind] || KIND_COLOURS.other;
}

function inkOn(hex) {
  // Dark text on light colours, white on dark ones (tracks bring their own colours).
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#111111" : "#ffffff";
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The last tab: the sessions whose day is to be announced (no grid, only their list).
const UNDATED = "undated";

function timed(s) { return Boolean(s.day && s.start && s.end); }

function renderDays() {
  const nav = $("days");
  nav.replaceChildren();
  const tabs = state.programme.days.map((d) => [d.date, d.label]);
  if (state.programme.sessions.some((s) => !s.day)) tabs.push([UNDATED, state.programme.labels.undated]);
  for (const [date, label] of tabs) {
    const tab = el("button", "", label);
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.dataset.day = date;
    tab.setAttribute("aria-selected", String(date === state.day));
    tab.addEventListener("click", () => { state.day = date; renderDays(); renderGrid(); });
    nav.append(tab);
  }
}

// Overlapping sessions of one room (may_overlap) side by side, as a calendar does: each gets a
// lane, and a group of sessions overlapping one another splits the column among its lanes.
function lanes(sessions) {
  const placed = sessions.map((s) => ({ s, span: span(s), lane: 0, of: 1 }))
    .sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
  let group = [];
  let groupEnd = -Infinity;
  const close = () => {
    const count = Math.max(0, ...group.map((g) => g.lane + 1));
    for (const g of group) g.of = count;
  };
  for (const item of placed) {
    if (item.span[0] >= groupEnd) { close(); group = []; groupEnd = -Infinity; }
    const ends = [];
    for (const g of group) ends[g.lane] = Math.max(ends[g.lane] || -Infinity, g.span[1]);
    let lane = 0;
    while (ends[lane] !== undefined && ends[lane] > item.span[0]) lane += 1;
    item.lane = lane;
    group.push(item);
    groupEnd = Math.max(groupEnd, item.span[1]);
  }
  close();
  return placed;
}

// The sessions of the tab without a time (or without a day): a list under the grid.
function renderUnscheduled(sessions, heading) {
  const box = $("tba");
  box.replaceChildren();
  box.hidden = !sessions.length;
  box.dataset.count = String(sessions.length);
  if (!sessions.length) return;
  box.append(el("h2", "", heading));
  const p = state.programme;
  for (const s of sessions) {
    const item = el("button", "tba-item");
    item.type = "button";
    item.dataset.id = s.id;
    if (s.status === "cancelled") item.classList.add("cancelled");
    if (state.chosen.has(s.id)) item.classList.add("chosen");
    item.style.setProperty("--colour", colourOf(s));
    const room = p.rooms.find((r) => r.id === s.room);
    const meta = [s.start ? ltr(s.start) : "", room ? room.name : ""].filter(Boolean).join(" · ");
    item.append(el("span", "title", s.title), el("span", "meta", meta));
    item.addEventListener("click", () => openDetail(s));
    box.append(item);
  }
}

function fillSelect(select, all, options) {
  select.replaceChildren(new Option(all, ""));
  for (const [value, label] of options) select.append(new Option(label, value));
  select.hidden = options.length < 2;
}

function renderGrid() {
  const p = state.programme;
  const grid = $("grid");
  grid.replaceChildren();
  const undated = state.day === UNDATED;
  const onTab = p.sessions.filter((s) => (undated ? !s.day : s.day === state.day) && matches(s));
  const sessions = onTab.filter(timed);
  const unscheduled = onTab.filter((s) => !timed(s));
  grid.dataset.count = String(sessions.length);
  grid.dataset.day = state.day || "";
  grid.removeAttribute("aria-busy");
  grid.style.removeProperty("width");
  state.frame = null;
  renderUnscheduled(unscheduled, undated ? p.labels.undated : p.labels.untimed);
  if (!sessions.length) {
    showMessage(unscheduled.length ? "" : p.labels.nothing, false);
    return;
  }
  showMessage("", false);
  const roomIds = new Set(sessions.map((s) => s.room));
  const rooms = p.rooms.filter((r) => roomIds.has(r.id));
  const first = Math.floor(Math.min(...sessions.map((s) => span(s)[0])) / 60) * 60;
  const last = Math.ceil(Math.max(...sessions.map((s) => span(s)[1])) / 60) * 60;
  const px = (m) => TOP_PX + ((m - first) / 60) * HOUR_PX;

  const heads = el("div", "heads");
  heads.append(el("div", "corner"));
  for (const room of rooms) heads.append(el("div", "head", room.name));
  const body = el("div", "body");
  body.style.setProperty("height", px(last) + "px");
  const times = el("div", "times");
  for (let m = first; m <= last; m += 60) {
    const label = el("span", "time", String((m / 60) % 24).padStart(2, "0") + ":00");
    label.style.setProperty("top", px(m) + "px");
    times.append(label);
  }
  body.append(times);
  for (const room of rooms) {
    const column = el("div", "column");
    column.dataset.room = room.id;
    for (let m = first; m <= last; m += 60) {
      const line = el("div", "hourline");
      line.style.setProperty("top", px(m) + "px");
      column.append(line);
    }
    for (const { s, span: [start, end], lane, of } of lanes(sessions.filter((x) => x.room === room.id))) {
      const box = el("button", "session");
      box.type = "button";
      box.dataset.id = s.id;
      if (s.status === "cancelled") box.classList.add("cancelled");
      if (state.chosen.has(s.id)) box.classList.add("chosen");
      box.style.setProperty("top", px(start) + "px");
      box.style.setProperty("height", Math.max(px(end) - px(start) - 2, 18) + "px");
      if (of > 1) {
        // Its share of the column: 3 px margins at the column's sides, 2 px between lanes.
        box.style.setProperty("inset-inline-end", "auto");
        box.style.setProperty("inset-inline-start", `calc(3px + (100% - 6px) * ${lane} / ${of})`);
        box.style.setProperty("width", `calc((100% - 6px) / ${of} - 2px)`);
        box.dataset.lane = lane + "/" + of;
      }
      box.style.setProperty("--colour", colourOf(s));
      box.style.setProperty("--ink", inkOn(colourOf(s)));
      box.append(el("span", "title", s.title), el("span", "meta", ltr(s.start + "–" + s.end)));
      box.addEventListener("click", () => openDetail(s));
      column.append(box);
    }
    body.append(column);
  }
  const now = el("div", "now");
  now.id = "now-line";
  now.hidden = true;
  body.append(now);
  grid.append(heads, body);
  const width = 44 + rooms.length * 150;
  grid.style.setProperty("width", width + "px");
  heads.style.setProperty("width", width + "px");
  state.frame = { first, last, px };
  drawNow();
}

function drawNow() {
  // "Now" in the event's zone: the server's clock (a rehearsal may run at another time) plus
  // the day's UTC offset, whatever zone the phone is in.
  const line = $("now-line");
  const day = state.programme.days.find((d) => d.date === state.day);
  if (!line || !day || !state.frame) return;
  const local = new Date(Date.now() + state.skew + day.utc_offset_minutes * 60000);
  const today = local.toISOString().slice(0, 10);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  const inside = today === day.date && m >= state.frame.first && m <= state.frame.last;
  line.hidden = !inside;
  if (inside) line.style.setProperty("top", state.frame.px(m) + "px");
}

function openDetail(s) {
  const p = state.programme;
  state.open = s;
  const room = p.rooms.find((r) => r.id === s.room);
  const day = p.days.find((d) => d.date === s.day);
  $("detail-title").textContent = s.title;
  const time = s.start && s.end ? ltr(s.start + "–" + s.end) : s.start ? ltr(s.start) : "";
  const when = day ? [day.label, time || p.labels.untimed] : [p.labels.undated, time];
  $("detail-when").textContent = [...when, room ? room.name : ""]
    .filter(Boolean).join(" · ") + (s.status === "cancelled" ? " · " + p.labels.cancelled : "");
  $("detail-speakers").textContent = s.speakers.length ? p.labels.speakers + ": " + s.speakers.join(", ") : "";
  showDescription(s);
  updateStar();
  $("detail").hidden = false;
}

async function showDescription(s) {
  const text = $("detail-text");
  if (descriptions.has(s.id)) {
    showDetailBody(descriptions.get(s.id));
    return;
  }
  text.textContent = "";
  $("detail-links").replaceChildren();
  text.setAttribute("aria-busy", "true");
  let detail = { description: "", links: [] };
  try {
    const got = await api("session/" + encodeURIComponent(s.id));
    detail = { description: got.description || "", links: got.links || [] };
    descriptions.set(s.id, detail);
  } catch (e) {
    // not kept: asked again on the next opening
    detail = { description: state.programme.labels.failed, links: [] };
  }
  if (state.open !== s) return; // another session opened meanwhile
  showDetailBody(detail);
}

function showDetailBody(detail) {
  const text = $("detail-text");
  text.textContent = detail.description;
  text.removeAttribute("aria-busy");
  const links = $("detail-links");
  links.replaceChildren();
  for (const link of detail.links) {
    const a = el("a", "link");
    a.textContent = link.label;
    a.href = link.url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.addEventListener("click", (event) => {
      // Inside Telegram, links open in its browser; elsewhere as a new tab.
      const webApp = window.Telegram && window.Telegram.WebApp;
      if (webApp && webApp.openLink) {
        event.preventDefault();
        webApp.openLink(link.url);
      }
    });
    links.append(a);
  }
}

function updateStar() {
  const s = state.open;
  if (!s) return;
  const star = $("star");
  const chosen = state.chosen.has(s.id);
  star.textContent = chosen ? state.programme.labels.remove : state.programme.labels.add;
  star.dataset.chosen = String(chosen);
  star.disabled = !chosen && s.status === "cancelled";
}

async function toggleStar() {
  const s = state.open;
  if (!s) return;
  const star = $("star");
  star.disabled = true;
  try {
    const answer = await api("star", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: s.id, on: !state.chosen.has(s.id) }),
    });
    state.chosen = new Set(answer.chosen);
    if (webApp && webApp.HapticFeedback) webApp.HapticFeedback.notificationOccurred("success");
  } catch (e) {
    showMessage(state.programme.labels.failed, true);
  }
  star.disabled = false;
  updateStar();
  renderGrid();
}

async function start() {
  applyTheme();
  if (webApp) { try { webApp.ready(); webApp.expand(); } catch (e) { /* an older client */ } }
  try {
    const [programme, me] = await Promise.all([api("programme"), api("me")]);
    state.programme = programme;
    state.chosen = new Set(me.chosen);
    state.skew = Date.parse(me.now) - Date.now();
    state.now = me.now;
  } catch (e) {
    document.body.dataset.state = "error";
    document.body.dataset.status = String(e.status || "");
    $("grid").removeAttribute("aria-busy");
    showMessage(e.message, true);
    return;
  }
  const p = state.programme;
  document.documentElement.lang = p.event.language;
  document.documentElement.dir = p.event.dir;
  document.title = p.event.name;
  $("search").placeholder = p.labels.search;
  $("search").setAttribute("aria-label", p.labels.search);
  $("close").textContent = p.labels.close;
  fillSelect($("track"), p.labels.all_tracks, p.tracks.map((t) => [t.id, t.name]));
  fillSelect($("language"), p.labels.all_languages, p.languages.map((l) => [l.code, l.name]));
  fillSelect($("room"), p.labels.all_rooms, p.rooms.map((r) => [r.id, r.name]));
  const today = state.now.slice(0, 10);
  state.day = (p.days.find((d) => d.date === today) || p.days[0] || {}).date || null;
  for (const id of ["search", "track", "language", "room"]) {
    $(id).addEventListener("input", renderGrid);
  }
  $("close").addEventListener("click", () => { $("detail").hidden = true; state.open = null; });
  $("detail").addEventListener("click", (e) => { if (e.target === $("detail")) $("close").click(); });
  $("star").addEventListener("click", toggleStar);
  renderDays();
  renderGrid();
  const line = $("now-line");
  if (line && !line.hidden) $("grid-box").scrollTop = Math.max(0, line.offsetTop - 80);
  setInterval(drawNow, 30000);
  document.body.dataset.renderMs = String(Math.round(performance.now()));
  document.body.dataset.state = "ready";
}

start();
