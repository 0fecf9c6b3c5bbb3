// The list of requests: newest first, or grouped by call (the calls model of `servetel calls`),
// through the filters.
import { h, clock } from "./tools.js";

export function counts(record) {
  const findings = (record.verdict && record.verdict.findings) || [];
  const errors = findings.filter((f) => f.severity === "error").length;
  return { errors, warnings: findings.length - errors };
}

export function status(record) {
  return record.response ? record.response.status : null;
}

function matches(record, f) {
  if (f.trigger && (record.trigger || "unknown") !== f.trigger) return false;
  const { errors, warnings } = counts(record);
  if (f.verdict === "valid" && errors > 0) return false;
  if (f.verdict === "invalid" && errors === 0) return false;
  if (f.verdict === "warnings" && warnings === 0) return false;
  const s = status(record);
  if (f.status === "2xx" && !(s >= 200 && s < 300)) return false;
  if (f.status === "other" && s >= 200 && s < 300) return false;
  if (f.text) {
    record._text ??= JSON.stringify(record).toLowerCase();
    if (!record._text.includes(f.text.toLowerCase())) return false;
  }
  return true;
}

// The records the filters let through, newest first.
export function visible(state) {
  return [...state.records.values()].filter((r) => matches(r, state.filters)).sort((a, b) => b.seq - a.seq);
}

// The rows in the order they are shown (the keyboard walks them).
export function shownOrder(state) {
  const shown = visible(state);
  if (!state.grouped) return shown.map((r) => r.seq);
  return groups(state, shown).flatMap((g) => g.records.map((r) => r.seq));
}

function groups(state, shown) {
  const bySeq = new Map(shown.map((r) => [r.seq, r]));
  const placed = new Set();
  const out = [];
  for (const call of state.calls) {
    const records = call.events.map((e) => bySeq.get(e.seq)).filter(Boolean);
    records.forEach((r) => placed.add(r.seq));
    if (records.length) out.push({ call, records, last: Math.max(...records.map((r) => r.seq)) });
  }
  const rest = shown.filter((r) => !placed.has(r.seq));
  out.sort((a, b) => b.last - a.last);
  if (rest.length) out.unshift({ call: null, records: rest.sort((a, b) => a.seq - b.seq) });
  return out;
}

function verdictCell(record) {
  const { errors, warnings } = counts(record);
  if (errors) return h("span", { class: "verdict err" }, `✗ ${errors} error${errors > 1 ? "s" : ""}`);
  if (warnings) return h("span", { class: "verdict warn" }, `! ${warnings} warning${warnings > 1 ? "s" : ""}`);
  return h("span", { class: "verdict ok" }, "✓ valid");
}

function row(record, state, on) {
  const s = status(record);
  const cls = ["row", record.seq === state.selected && "selected", record.seq === state.open && "open"].filter(Boolean).join(" ");
  return h("div", { class: cls, dataset: { seq: record.seq }, onclick: () => on.open(record.seq) },
    h("input", {
      type: "checkbox", class: "pick", title: "tick two to diff", checked: state.picked.has(record.seq),
      onclick: (e) => { e.stopPropagation(); on.pick(record.seq, e.target.checked); },
    }),
    h("span", { class: "time" }, clock(record.received_at)),
    h("span", { class: "method" }, record.method),
    h("span", { class: "trigger", title: record.path }, record.trigger || "unknown"),
    verdictCell(record),
    h("span", { class: `status ${s >= 200 && s < 300 ? "ok" : "err"}` }, s ?? ""),
    h("span", { class: "seq" }, `#${record.seq}`),
  );
}

export function render(container, state, on) {
  const shown = visible(state);
  container.replaceChildren();
  if (!shown.length) {
    const why = state.records.size ? "Nothing matches the filters." : "No requests yet. Fire some at the listener.";
    container.append(h("p", { class: "empty" }, why));
    return;
  }
  if (!state.grouped) {
    container.append(...shown.map((r) => row(r, state, on)));
    return;
  }
  for (const g of groups(state, shown)) {
    const head = g.call
      ? h("div", { class: "call-head" },
          h("div", {}, g.call.summary || `call ${g.call.call_id || g.call.uuid || "(no id)"}`),
          g.call.diagnostics.map((d) => h("div", { class: "diag" }, `${d.code}: ${d.message}`)))
      : h("div", { class: "call-head" }, "not grouped yet");
    container.append(h("div", { class: "call" }, head, g.records.map((r) => row(r, state, on))));
  }
}
