// One request in detail: its call, findings linked to their place in the payload, the
// actions (replay, edit-and-replay, copy as curl), then headers, body, response, forward result
// and the replays made from here.
import { h, jsonView, clock, curl, diff } from "./tools.js";
import { counts, status } from "./list.js";

// Marks the payload line of `path` (or of its nearest parent shown) and scrolls to it.
export function highlight(root, path) {
  root.querySelectorAll(".jl.hl").forEach((el) => el.classList.remove("hl"));
  let p = path;
  while (p !== "") {
    const line = [...root.querySelectorAll(".json.payload .jl")].find((el) => el.dataset.path === p);
    if (line) { line.classList.add("hl"); line.scrollIntoView({ block: "center" }); return; }
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

export function findingsList(findings, root) {
  if (!findings.length) return h("p", { class: "ok" }, "✓ no findings");
  return h("div", { class: "findings" }, findings.map((f) =>
    h("div", { class: `finding ${f.severity === "error" ? "err" : "warn"}` },
      h("span", { class: "code" }, `${f.severity === "error" ? "✗" : "!"} ${f.code}`),
      f.path ? h("a", { dataset: { path: f.path }, onclick: () => highlight(root(), f.path) }, f.path) : null,
      " ", f.message)));
}

export function attempt(a) {
  const ans = a.answer || {};
  const ok = ans.status >= 200 && ans.status < 300;
  const edited = a.verdict ? ` · edited (${a.verdict.findings.length} findings)` : "";
  return h("div", { class: `attempt ${ok ? "ok" : "err"}` },
    h("div", {}, `${clock(a.at)} ${a.method} ${ans.url} → `,
      h("b", { class: ok ? "ok" : "err" }, ans.status ?? "no answer"),
      ` in ${ans.elapsed_ms} ms${edited}`),
    ans.error ? h("div", { class: "err" }, ans.error) : null,
    ans.excerpt ? h("div", { class: "timeline" }, ans.excerpt) : null);
}

function callSection(call, seq) {
  if (!call) return null;
  return h("div", { class: "call-of" },
    h("h3", {}, `The call · ${call.events.length} event${call.events.length > 1 ? "s" : ""}`),
    h("table", {}, call.events.map((e) => h("tr", { class: e.seq === seq ? "selected" : "" },
      h("td", {}, e.seq ? `#${e.seq}` : e.source),
      h("td", {}, e.trigger || "unknown"),
      h("td", {}, e.gap_ms === null ? "" : `+${e.gap_ms} ms`),
      h("td", { class: e.valid ? "ok" : "err" }, e.valid ? "✓" : `✗ ${e.errors}`),
      h("td", {}, e.repeats ? `repeats ${e.repeats}` : "")))),
    call.diagnostics.map((d) => h("div", { class: "err" }, `${d.code}: ${d.message}`)));
}

function table(pairs) {
  return h("table", {}, pairs.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v))));
}

// `ctx`: {record, view, call, target (default replay URL), on: {replay(to), edit(), attempts}}
export function render(container, ctx) {
  const { record, view, call } = ctx;
  const root = () => container;
  const { errors, warnings } = counts(record);
  const to = h("input", {
    id: "replay-to", type: "url", value: ctx.target || "",
    placeholder: "http://127.0.0.1:3000/hook (your app)", "aria-label": "replay to",
  });
  const replayButton = h("button", { id: "replay", type: "button", class: "primary", onclick: () => ctx.on.replay(to.value) }, "Replay");
  const label = () => { replayButton.textContent = to.value ? `Replay to ${to.value}` : "Replay (give a URL)"; };
  to.addEventListener("input", label);
  label();
  const curlText = h("pre", { class: "curl", hidden: true });
  const copy = h("button", {
    type: "button", id: "copy-curl",
    onclick: () => {
      curlText.textContent = curl(record, to.value);
      curlText.hidden = false;
      navigator.clipboard?.writeText(curlText.textContent).then(() => { copy.textContent = "Copied"; }, () => {});
    },
  }, "Copy as curl");
  const s = status(record);
  const forward = record.response && record.response.forward;
  container.replaceChildren(
    h("h2", {}, `#${record.seq} ${record.method} ${record.path}${record.query ? "?" + record.query : ""} · ${record.trigger || "unknown trigger"}`),
    h("div", { class: "timeline" }, `${clock(record.received_at)} from ${record.remote_addr || "?"} · answered `,
      h("b", { class: s >= 200 && s < 300 ? "ok" : "err" }, s ?? "—")),
    view.summary ? h("p", { class: "summary" }, view.summary) : null,
    view.timeline ? h("p", { class: "timeline" }, view.timeline) : null,
    h("div", { class: "actions" }, to, replayButton,
      h("button", { id: "edit", type: "button", onclick: () => ctx.on.edit() }, "Edit and replay"), copy),
    curlText,
    h("div", { id: "editor-slot" }),
    h("div", { id: "attempts" }, view.attempts.length ? h("h3", {}, "Replays") : null, view.attempts.map(attempt)),
    h("h3", {}, `Findings · ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`),
    findingsList((record.verdict && record.verdict.findings) || [], root),
    callSection(call, record.seq),
    h("h3", {}, "Decoded payload"),
    record.payload ? jsonView(record.payload, "json payload") : h("p", { class: "err" }, "no payload: the body could not be decoded"),
    h("h3", {}, "Headers"),
    table(record.headers || []),
    h("h3", {}, "Raw body"),
    h("pre", { class: "raw" }, record.body ?? (record.body_base64 ? `(base64) ${record.body_base64}` : "(empty)")),
    h("h3", {}, "Response"),
    table([["status", s ?? "—"], ["delay", `${record.response ? record.response.delay_ms : 0} ms`]]),
    forward ? h("h3", {}, "Forward result") : null,
    forward ? table([["url", forward.url], ["status", forward.status ?? "no answer"], ["elapsed", `${forward.elapsed_ms} ms`],
      ["error", forward.error ?? ""], ["answer", forward.excerpt]]) : null,
  );
}

// Two requests' payloads side by side where they differ (key order does not count).
export function renderDiff(container, a, b) {
  const rows = diff(a.payload || {}, b.payload || {});
  container.replaceChildren(
    h("h2", {}, `Diff: #${a.seq} ${a.trigger || ""} ↔ #${b.seq} ${b.trigger || ""}`),
    rows.length === 0
      ? h("p", { class: "ok" }, "The payloads are the same (key order aside).")
      : h("table", { class: "diff" },
          h("tr", {}, h("td", {}, "path"), h("td", {}, `#${a.seq}`), h("td", {}, `#${b.seq}`)),
          rows.map((r) => h("tr", {}, h("td", {}, r.path), h("td", { class: "a" }, r.a ?? "(absent)"), h("td", { class: "b" }, r.b ?? "(absent)")))));
}
