
use builtin;
use str;

set edit:completion:arg-completer[servetel] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'servetel'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'servetel'= {
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand triggers 'List the webhook triggers'
            cand schema 'Show a trigger''s variables, or export its JSON Schema'
            cand sample 'Print one realistic synthesized payload for a trigger'
            cand validate 'Check saved payloads and capture records against the trigger rules'
            cand listen 'Receive callbacks locally: print them in telephony terms, check them, save them'
            cand fire 'Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL'
            cand replay 'Re-send captured callbacks to a URL, byte-exact or edited'
            cand calls 'Show captured callbacks as calls, with what their delivery went through'
            cand test 'Prove a receiver: send every shape of callback the platform can and judge the answers'
            cand inspect 'Serve a local web page of saved captures: calls, findings, replay and edit-and-replay'
            cand init 'Write a webhook config (servetel.toml) that mirrors a portal entry'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'servetel;triggers'= {
            cand --format 'Output format'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --all 'Also list the six triggers only Smartflo and Acefone portals offer, with each trigger''s platform'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;schema'= {
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --json-schema 'Print a JSON Schema (draft 2020-12) of the default-template payload instead'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;sample'= {
            cand --seed 'Seed of the synthesis: the same seed gives the same payload [default: random]'
            cand --outcome 'How the call ends (hangup family; live triggers pick the call''s later fate)'
            cand --encoding 'How the payload travels: JSON body, form body or GET query string'
            cand --form-style 'How form and query text writes nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]'
            cand --profile 'Which keys: the real default template (with its quirks) or the docs'' variables only'
            cand --set 'Raw escape hatch: override one field after synthesis, nothing derived from it follows (use the call''s flags below for that): KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for a raw JSON value'
            cand --caller 'The customer''s number, 6–15 digits with an optional + (caller_id_number or call_to_number by direction, "customer_no_with_prefix ")'
            cand --did 'The tenant''s number (DID) the call came in on or went out from'
            cand --agent 'An agent the call rang, with their phone; repeat for agents tried first (they missed): the last one took an answered call [default: drawn]'
            cand --talk 'Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp follow; an answered call'
            cand --ring 'How long the last agent dialed rang (agent_ring_time, the stamps after it)'
            cand --at 'When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the seed''s date; fire without --seed: the first event happens now]'
            cand --direction 'Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on an inbound-only trigger) with the dialer''s stamps, agent arrays and billsec ""'
            cand --digit 'The DTMF key pressed in the IVR (0–9, *, #)'
            cand --hangup-cause 'The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code; hangup_cause_code, _description, hangup_cause and reason_key follow'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --broadcast 'A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the lead, call_to_number is ""; implies --direction dialer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;validate'= {
            cand --trigger 'Check every payload against this trigger instead of the recorded or detected one'
            cand --webhook 'Check every payload as this webhook of the config sends it (its trigger, its template)'
            cand --format 'Output format: text for people (problems only; -v for all), json for one result per line'
            cand --max-errors 'Stop after this many invalid payloads'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --strict 'Treat every warning as an error'
            cand --allow-empty 'Exit 0 when no payload is found (by default that is exit 2: a wrong path is no green build)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;listen'= {
            cand --port 'Port to listen on (0 picks a free one; the `listening on` line tells which)'
            cand --host 'Address to bind; anything but loopback must be asked for'
            cand --save 'Append every capture record to this NDJSON file (flushed before the response)'
            cand --save-dir 'Write every capture record to its own file in this directory'
            cand --trigger 'Check every request against this trigger'
            cand --route 'Check requests to PATH against trigger ID (repeatable)'
            cand --webhook 'Route and check requests as this config webhook does (its URL path, its template)'
            cand --forward 'Pass every request on, byte-exact, to your app at this URL (its path and query get the received ones appended) and answer with the app''s answer (502 when it cannot be reached)'
            cand --status 'Status to answer with'
            cand --delay 'Wait this long before answering (250ms, 2s); 10 s or more is past Servetel''s timeout'
            cand --respond-body 'Body to answer with: TEXT, or @FILE'
            cand --require-header 'Answer 401 (and record the request as rejected) unless it carries this header'
            cand --max-body 'Largest body accepted; larger ones are answered 413 without being buffered'
            cand --format 'pretty: the call in telephony terms (-q: its first two lines); json: one capture record per line; line: one line per request'
            cand --count 'Exit after N requests (0 if all were valid and none rejected, 1 if not)'
            cand --timeout 'Exit after this long (exit 4 if --count requests had not arrived)'
            cand --inspect 'Also serve a web page of everything received at ADDR [default: 127.0.0.1:4040]; open the printed `inspecting on` URL (it carries the page''s token)'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --headers 'Print the request headers too'
            cand --redact 'Mask phone numbers, names and recording tokens in what is printed (not in what is saved)'
            cand --redact-saved 'Mask them in the saved records too: the payload, the body or query re-encoded from it, credentials in headers (an undecodable body is left out); such records no longer replay byte-exact'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;fire'= {
            cand --scenario 'Send a whole call: its callbacks in order, sharing uuid and call_id (see --list-scenarios)'
            cand --webhook 'Send as this config webhook does: its trigger, method, content type, URL, headers, template'
            cand --method 'POST sends a body; GET sends the payload in the query string'
            cand --encoding 'How the payload travels: json (POST body), form (POST body, nested values as --form-style says) or query (GET query string) [default: json; query with --method GET]'
            cand --form-style 'How form and GET requests write nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]'
            cand --set 'Raw escape hatch: override one field after synthesis, nothing derived from it follows (use the call''s flags below for that; a contradiction is shown before sending): KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for raw JSON'
            cand --seed 'Same seed, same calls (ids and dates as `sample --seed` shows) [default: random, calls happen now]'
            cand --outcome 'How the call ends (hangup family; live triggers pick the call''s later fate)'
            cand --profile 'Which keys: the real default template (with its quirks) or the docs'' variables only'
            cand -n 'How many calls to fire, each a distinct call (its own uuid and call_id)'
            cand --count 'How many calls to fire, each a distinct call (its own uuid and call_id)'
            cand --speed 'Scenario pace: real is the call''s own timing, 10 ten times faster, max no waiting [default: the call''s gaps, each shortened to at most 1 s; the stamps keep the call''s time]'
            cand --to 'Where to send: an http:// or https:// URL'
            cand --rate 'At most this many events per second, all connections together (50, 50/s, 600/m)'
            cand -c 'Requests in flight at once (each on its own kept-alive connection)'
            cand --concurrency 'Requests in flight at once (each on its own kept-alive connection)'
            cand --timeout 'Give up on a request after this long (Servetel gives a receiver 10 s)'
            cand -H 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed'
            cand --header 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed'
            cand --format 'pretty: a line per event, a summary on stderr; json: one object per event on stdout'
            cand --cacert 'Also trust the CA certificates of this PEM file'
            cand --caller 'The customer''s number, 6–15 digits with an optional + (caller_id_number or call_to_number by direction, "customer_no_with_prefix ")'
            cand --did 'The tenant''s number (DID) the call came in on or went out from'
            cand --agent 'An agent the call rang, with their phone; repeat for agents tried first (they missed): the last one took an answered call [default: drawn]'
            cand --talk 'Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp follow; an answered call'
            cand --ring 'How long the last agent dialed rang (agent_ring_time, the stamps after it)'
            cand --at 'When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the seed''s date; fire without --seed: the first event happens now]'
            cand --direction 'Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on an inbound-only trigger) with the dialer''s stamps, agent arrays and billsec ""'
            cand --digit 'The DTMF key pressed in the IVR (0–9, *, #)'
            cand --hangup-cause 'The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code; hangup_cause_code, _description, hangup_cause and reason_key follow'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --list-scenarios 'List the scenarios and exit'
            cand -y 'Do not ask before firing more than 100 events at a host other than this machine'
            cand --yes 'Do not ask before firing more than 100 events at a host other than this machine'
            cand --dry-run 'Print the exact requests (method, URL, headers, body) and send nothing'
            cand --insecure 'Do not verify the target''s TLS certificate'
            cand --broadcast 'A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the lead, call_to_number is ""; implies --direction dialer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;replay'= {
            cand --filter 'Only the matching ones: trigger=ID, call_id=X, seq=N..M (repeatable: every key given must match, by any of its values)'
            cand --set 'Edit the payload before sending (re-encoded the way it arrived, then validated): KEY=VALUE, dotted paths, KEY= for "", KEY:=JSON'
            cand --rebase-time 'Move every stamp so the first call starts at this moment (now, or RFC 3339), intervals kept'
            cand --to 'Where to send: an http:// or https:// URL'
            cand --rate 'At most this many events per second, all connections together (50, 50/s, 600/m)'
            cand -c 'Requests in flight at once (each on its own kept-alive connection)'
            cand --concurrency 'Requests in flight at once (each on its own kept-alive connection)'
            cand --timeout 'Give up on a request after this long (Servetel gives a receiver 10 s)'
            cand -H 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed'
            cand --header 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed'
            cand --format 'pretty: a line per event, a summary on stderr; json: one object per event on stdout'
            cand --cacert 'Also trust the CA certificates of this PEM file'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --new-ids 'Give every call a fresh uuid and call_id (its callbacks keep sharing them)'
            cand --keep-path 'Send to the recorded path (under the target''s path) instead of the target''s path'
            cand --allow-empty 'Exit 0 when no record is found (by default that is exit 2: a wrong path sends nothing)'
            cand --dry-run 'Print the exact requests (method, URL, headers, body) and send nothing'
            cand --insecure 'Do not verify the target''s TLS certificate'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;calls'= {
            cand --call 'Only the call with this call_id or uuid'
            cand --since 'Only the calls with an event at or after TIME: 30m (ago), 2026-04-09 12:54:22 (IST) or RFC 3339; a call that began before TIME is shown whole'
            cand --format 'Output format: text for people, json for one object per call'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --problems 'Only the calls with a diagnostic (duplicate, order, incomplete, late, split, invalid)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;test'= {
            cand --to 'The receiver to prove: an http:// or https:// URL'
            cand --webhook 'Test as these config webhooks send (method, content type, template, headers, URL); repeatable; `all` for every webhook of servetel.toml'
            cand --trigger 'Only these triggers (id, portal label or alias), repeatable [default: all 11]'
            cand --encoding 'How the payloads travel [default: all three; a webhook''s own with --webhook]'
            cand --form-style 'How the form and GET cases write nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]'
            cand --only 'Only the cases whose id matches this glob (`hangup/*`, `*/form/*`), repeatable'
            cand --seed 'Same seed, same payloads [default: random, printed]'
            cand --budget 'A request passes with a 2xx within this long (Servetel gives a receiver 10 s)'
            cand --check 'Run this shell command after each case; it must exit 0 (SERVETEL_CASE, SERVETEL_TRIGGER, SERVETEL_CALL_ID, SERVETEL_UUID and SERVETEL_PAYLOAD, an NDJSON file of the payloads sent, are in its environment)'
            cand --junit 'Also write a JUnit XML report to FILE'
            cand --format 'Output format'
            cand -c 'The burst case''s requests in flight at once'
            cand --concurrency 'The burst case''s requests in flight at once'
            cand -H 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed'
            cand --header 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed'
            cand --cacert 'Also trust the CA certificates of this PEM file'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand --list 'List the cases (with --format json: as JSON) and send nothing'
            cand --insecure 'Do not verify the target''s TLS certificate'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;inspect'= {
            cand --port 'Port to serve the page on (0 picks a free one; the `inspecting on` line tells which)'
            cand --host 'Address to bind; anything but loopback must be asked for (and is warned about)'
            cand --to 'Where the page''s replays go unless it names a URL: your app'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;init'= {
            cand --name 'The webhook''s name, as on the portal'
            cand --trigger 'Trigger id, portal label or alias (see `servetel triggers`)'
            cand --method 'How the portal sends it'
            cand --content-type 'Body type of a POST webhook'
            cand --url 'The URL the portal calls'
            cand --header 'A static header the portal sends (''NAME: VALUE''), repeatable'
            cand --template 'The body template: `default`, the template text ({"id": "$uuid"} or id=$uuid&…), or @FILE'
            cand -o 'Where to write; an existing file gets the webhook appended'
            cand --output 'Where to write; an existing file gets the webhook appended'
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;completions'= {
            cand --color 'When to color the output'
            cand --config 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more about what is done'
            cand --verbose 'Print more about what is done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'servetel;help'= {
            cand triggers 'List the webhook triggers'
            cand schema 'Show a trigger''s variables, or export its JSON Schema'
            cand sample 'Print one realistic synthesized payload for a trigger'
            cand validate 'Check saved payloads and capture records against the trigger rules'
            cand listen 'Receive callbacks locally: print them in telephony terms, check them, save them'
            cand fire 'Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL'
            cand replay 'Re-send captured callbacks to a URL, byte-exact or edited'
            cand calls 'Show captured callbacks as calls, with what their delivery went through'
            cand test 'Prove a receiver: send every shape of callback the platform can and judge the answers'
            cand inspect 'Serve a local web page of saved captures: calls, findings, replay and edit-and-replay'
            cand init 'Write a webhook config (servetel.toml) that mirrors a portal entry'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'servetel;help;triggers'= {
        }
        &'servetel;help;schema'= {
        }
        &'servetel;help;sample'= {
        }
        &'servetel;help;validate'= {
        }
        &'servetel;help;listen'= {
        }
        &'servetel;help;fire'= {
        }
        &'servetel;help;replay'= {
        }
        &'servetel;help;calls'= {
        }
        &'servetel;help;test'= {
        }
        &'servetel;help;inspect'= {
        }
        &'servetel;help;init'= {
        }
        &'servetel;help;completions'= {
        }
        &'servetel;help;help'= {
        }
    ]
    $completions[$command]
}
