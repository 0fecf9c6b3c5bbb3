// Edit-and-replay: the decoded payload in an editor, checked by the same rules as you type
// (POST /api/validate), sent re-encoded the way the request arrived (POST /api/replay).
import { h } from "./tools.js";
import { post } from "./api.js";
import { findingsList } from "./detail.js";

// `send(payload)` sends it; returns the editor's element.
export function open(record, send) {
  const text = h("textarea", { id: "editor-text", spellcheck: "false", "aria-label": "payload" });
  text.value = JSON.stringify(record.payload || {}, null, 2);
  const verdict = h("div", { id: "editor-verdict" });
  const sendButton = h("button", { id: "send-edited", type: "button", class: "primary" }, "Replay edited");
  let timer = null;
  let checked = 0;
  const check = async () => {
    let payload;
    try {
      payload = JSON.parse(text.value);
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) throw new Error("expected a JSON object");
    } catch (e) {
      verdict.replaceChildren(h("p", { class: "err" }, `✗ not JSON: ${e.message}`));
      sendButton.disabled = true;
      return null;
    }
    sendButton.disabled = false;
    const mine = ++checked;
    try {
      const v = await post("/api/validate", { payload, trigger: record.trigger });
      if (mine === checked) {
        verdict.replaceChildren(h("p", { class: v.valid ? "ok" : "err" }, v.valid ? "✓ valid" : "✗ invalid"),
          findingsList(v.findings, () => document.getElementById("detail")));
        verdict.dataset.checked = String(mine);
      }
    } catch (e) {
      verdict.replaceChildren(h("p", { class: "err" }, e.message));
    }
    return payload;
  };
  text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 150); });
  sendButton.addEventListener("click", async () => {
    const payload = await check();
    if (payload) send(payload);
  });
  check();
  return h("div", { id: "editor" }, h("h3", {}, "Edit the decoded payload"), text, verdict,
    h("div", { class: "actions" }, sendButton,
      h("span", { class: "timeline" }, `sent as this request arrived: ${record.method}, ${contentType(record)}`)));
}

function contentType(record) {
  const ct = (record.headers || []).find(([n]) => n.toLowerCase() === "content-type");
  if (record.method === "GET") return "the query string";
  return ct ? ct[1] : "its body";
}
