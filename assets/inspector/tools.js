// Small helpers: building elements, JSON drawn with its paths, key-order-insensitive diff,
// curl and NDJSON.

// h("div", {class: "x", onclick: f}, "text", child…)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// A JSON pointer segment (RFC 6901), as the findings' paths are written.
export function pointer(parent, key) {
  return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

// Pretty JSON as lines, each knowing the path of the value it starts: findings point at them.
export function jsonLines(value) {
  const out = [];
  const walk = (v, path, prefix, indent, comma) => {
    const pad = "  ".repeat(indent);
    if (v !== null && typeof v === "object") {
      const entries = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
      if (entries.length === 0) { out.push({ path, text: `${pad}${prefix}${open}${close}${comma}` }); return; }
      out.push({ path, text: `${pad}${prefix}${open}` });
      entries.forEach(([k, x], i) => {
        const key = Array.isArray(v) ? "" : `${JSON.stringify(k)}: `;
        walk(x, pointer(path, k), key, indent + 1, i < entries.length - 1 ? "," : "");
      });
      out.push({ path, text: `${pad}${close}${comma}` });
    } else {
      out.push({ path, text: `${pad}${prefix}${JSON.stringify(v)}${comma}` });
    }
  };
  walk(value, "", "", 0, "");
  return out;
}

export function jsonView(value, cls = "json") {
  return h("div", { class: cls },
    jsonLines(value).map((l) => h("div", { class: "jl", dataset: { path: l.path } }, l.text)));
}

// Every leaf as path → JSON text: two payloads compare the same whatever their key order.
export function flatten(value, path = "", out = new Map()) {
  if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, pointer(path, k), out);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

// [{path, a, b}] where the two differ (undefined: absent on that side), sorted by path.
export function diff(a, b) {
  const fa = flatten(a), fb = flatten(b);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths.filter((p) => fa.get(p) !== fb.get(p)).map((p) => ({ path: p, a: fa.get(p), b: fb.get(p) }));
}

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// The request as a curl command line, sent to `base` (the app) or to where it was received.
export function curl(record, base) {
  const host = (record.headers || []).find(([n]) => n.toLowerCase() === "host");
  const skip = new Set(["host", "content-length", "connection", "accept-encoding"]);
  const where = base ? base.replace(/\/$/, "") : `http://${host ? host[1] : "127.0.0.1"}`;
  const url = where + (base ? "" : record.path || "/") + (record.query ? `?${record.query}` : "");
  const parts = ["curl", "-X", record.method, quote(url)];
  for (const [n, v] of record.headers || []) {
    if (!skip.has(n.toLowerCase())) parts.push("-H", quote(`${n}: ${v}`));
  }
  if (record.body) parts.push("--data-binary", quote(record.body));
  return parts.join(" ");
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const ndjson = (records) => records.map((r) => JSON.stringify(r) + "\n").join("");

// "05:51:35" in the machine's zone, from `received_at`.
export function clock(receivedAt) {
  if (!receivedAt) return "";
  const d = new Date(receivedAt);
  return isNaN(d) ? receivedAt : d.toLocaleTimeString([], { hour12: false });
}
