// The inspector page: the state, the live stream, the list and the detail wired together,
// and the keyboard (↑/↓ choose, Enter opens, r replays).
import { get, post, connect } from "./api.js";
import * as list from "./list.js";
import * as detail from "./detail.js";
import * as editor from "./editor.js";
import { download, ndjson } from "./tools.js";

const $ = (id) => document.getElementById(id);

const state = {
  records: new Map(), // seq → capture record
  calls: [], // GET /api/calls
  grouped: false,
  filters: { trigger: "", verdict: "", status: "", text: "" },
  selected: null, // the keyboard's row
  open: null, // the row shown in detail
  picked: new Set(), // ticked for a diff
  info: { default_to: null, live: true },
  attempts: new Map(), // seq → replays made while the page is open
};

const on = {
  open: (seq) => openDetail(seq),
  pick: (seq, ticked) => {
    if (ticked) state.picked.add(seq); else state.picked.delete(seq);
    $("diff").disabled = state.picked.size !== 2;
  },
};

let drawQueued = false;
function draw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    list.render($("list"), state, on);
    $("count").textContent = `${state.records.size} request${state.records.size === 1 ? "" : "s"}`;
    const triggers = [...new Set([...state.records.values()].map((r) => r.trigger || "unknown"))].sort();
    const select = $("f-trigger");
    const have = [...select.options].map((o) => o.value);
    for (const t of triggers) if (!have.includes(t)) select.append(new Option(t, t));
  });
}

// The calls are grouped anew by the server on each ask (every record validated again), so they
// are asked for only when shown, and at most twice a second during a burst.
let callsTimer = null;
let callsAsked = null;
function fetchCalls() {
  // One ask at a time: a burst does not pile them up.
  callsAsked ??= get("/api/calls")
    .then((calls) => { state.calls = calls; draw(); }, () => { /* the next record asks again */ })
    .finally(() => { callsAsked = null; });
  return callsAsked;
}
function refreshCalls() {
  if (!state.grouped && state.open === null) return;
  if (callsTimer) return;
  callsTimer = setTimeout(() => { callsTimer = null; fetchCalls(); }, 500);
}

function add(record) {
  state.records.set(record.seq, record);
  refreshCalls();
  draw();
}

async function loadAll() {
  const records = await get("/api/records");
  for (const r of records) state.records.set(r.seq, r);
  refreshCalls();
  draw();
}

async function openDetail(seq) {
  const record = state.records.get(seq);
  if (!record) return;
  state.open = seq;
  state.selected = seq;
  draw();
  const [view] = await Promise.all([
    get(`/api/records/${seq}/view`).catch(() => ({ attempts: [] })),
    fetchCalls(),
  ]);
  if (state.open !== seq) return;
  const call = state.calls.find((c) => c.events.some((e) => e.seq === seq));
  detail.render($("detail"), {
    record, view, call, target: lastTarget ?? state.info.default_to ?? "",
    on: {
      replay: (to) => replay(seq, to),
      edit: () => {
        const slot = $("editor-slot");
        slot.replaceChildren(editor.open(record, (payload) => replay(seq, $("replay-to").value, payload)));
        $("editor-text").focus();
      },
    },
  });
}

let lastTarget = null;
async function replay(seq, to, payload) {
  const body = { seq };
  // The --forward app, left unnamed, gets the recorded path below its own (as forwarding does).
  if (to && to !== state.info.default_to) body.to = to;
  if (payload) body.payload = payload;
  lastTarget = to || null;
  const slot = $("attempts");
  try {
    await post("/api/replay", body); // the attempt comes back through the stream too
  } catch (e) {
    if (slot) slot.prepend(Object.assign(document.createElement("p"), { className: "err", textContent: `✗ ${e.message}` }));
  }
}

function showAttempt(a) {
  if (state.open !== a.seq) return;
  const slot = $("attempts");
  if (!slot) return;
  if (!slot.querySelector("h3")) slot.prepend(Object.assign(document.createElement("h3"), { textContent: "Replays" }));
  slot.append(detail.attempt(a));
}

function move(step) {
  const order = list.shownOrder(state);
  if (!order.length) return;
  const at = order.indexOf(state.selected);
  const next = at === -1 ? 0 : Math.min(order.length - 1, Math.max(0, at + step));
  state.selected = order[next];
  draw();
  requestAnimationFrame(() => $("list").querySelector(`.row[data-seq="${state.selected}"]`)?.scrollIntoView({ block: "nearest" }));
}

document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "ArrowDown" || e.key === "j") { move(1); e.preventDefault(); }
  else if (e.key === "ArrowUp" || e.key === "k") { move(-1); e.preventDefault(); }
  else if (e.key === "Enter" && state.selected !== null) { openDetail(state.selected); e.preventDefault(); }
  else if (e.key === "r" && state.open !== null) { replay(state.open, $("replay-to")?.value); e.preventDefault(); }
});

$("filters").addEventListener("submit", (e) => e.preventDefault());
for (const [id, key] of [["f-trigger", "trigger"], ["f-verdict", "verdict"], ["f-status", "status"], ["f-text", "text"]]) {
  $(id).addEventListener("input", (e) => { state.filters[key] = e.target.value; draw(); });
}
$("group").addEventListener("click", (e) => {
  state.grouped = !state.grouped;
  e.target.setAttribute("aria-pressed", String(state.grouped));
  if (state.grouped) fetchCalls();
  draw();
});
$("download").addEventListener("click", () => {
  const shown = list.visible(state).reverse().map(({ _text, ...r }) => r);
  download("servetel-inspect.ndjson", ndjson(shown), "application/x-ndjson");
});
$("diff").addEventListener("click", () => {
  const [a, b] = [...state.picked].sort((x, y) => x - y).map((s) => state.records.get(s));
  state.open = null;
  detail.renderDiff($("detail"), a, b);
  draw();
});

function setState(name) {
  const el = $("live");
  el.className = `state ${name}`;
  el.textContent = { live: "live", reconnecting: "reconnecting…", offline: "saved captures" }[name] || name;
  el.dataset.state = name;
}

get("/api/info").then((info) => {
  state.info = info;
  connect({
    open: () => loadAll().catch(() => {}),
    record: add,
    replay: showAttempt,
    state: (s) => setState(s === "live" && !info.live ? "offline" : s),
  });
}, () => setState("reconnecting"));
