// The inspector's API, with the page's token, and the live stream of requests.

const token = new URLSearchParams(location.search).get("token") || "";
const headers = token ? { "X-Servetel-Token": token } : {};

async function reply(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

export async function get(path) {
  return reply(await fetch(path, { headers }));
}

export async function post(path, body) {
  const init = {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  return reply(await fetch(path, init));
}

// `on.open()` after every (re)connection (the list is fetched again: events may have been
// missed), `on.record(r)`, `on.replay(attempt)`, `on.state("live" | "reconnecting")`.
export function connect(on) {
  const url = "/api/events" + (token ? `?token=${encodeURIComponent(token)}` : "");
  const source = new EventSource(url);
  source.onopen = () => { on.state("live"); on.open(); };
  source.onerror = () => on.state("reconnecting");
  source.addEventListener("record", (e) => on.record(JSON.parse(e.data)));
  source.addEventListener("replay", (e) => on.replay(JSON.parse(e.data)));
  return source;
}
