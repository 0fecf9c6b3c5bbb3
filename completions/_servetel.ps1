
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'servetel' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'servetel'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'servetel' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('triggers', 'triggers', [CompletionResultType]::ParameterValue, 'List the webhook triggers')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Show a trigger''s variables, or export its JSON Schema')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Print one realistic synthesized payload for a trigger')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check saved payloads and capture records against the trigger rules')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive callbacks locally: print them in telephony terms, check them, save them')
            [CompletionResult]::new('fire', 'fire', [CompletionResultType]::ParameterValue, 'Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-send captured callbacks to a URL, byte-exact or edited')
            [CompletionResult]::new('calls', 'calls', [CompletionResultType]::ParameterValue, 'Show captured callbacks as calls, with what their delivery went through')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Prove a receiver: send every shape of callback the platform can and judge the answers')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Serve a local web page of saved captures: calls, findings, replay and edit-and-replay')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a webhook config (servetel.toml) that mirrors a portal entry')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'servetel;triggers' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list the six triggers only Smartflo and Acefone portals offer, with each trigger''s platform')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--json-schema', '--json-schema', [CompletionResultType]::ParameterName, 'Print a JSON Schema (draft 2020-12) of the default-template payload instead')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;sample' {
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the synthesis: the same seed gives the same payload [default: random]')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'How the call ends (hangup family; live triggers pick the call''s later fate)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How the payload travels: JSON body, form body or GET query string')
            [CompletionResult]::new('--form-style', '--form-style', [CompletionResultType]::ParameterName, 'How form and query text writes nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which keys: the real default template (with its quirks) or the docs'' variables only')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Raw escape hatch: override one field after synthesis, nothing derived from it follows (use the call''s flags below for that): KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for a raw JSON value')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'The customer''s number, 6–15 digits with an optional + (caller_id_number or call_to_number by direction, "customer_no_with_prefix ")')
            [CompletionResult]::new('--did', '--did', [CompletionResultType]::ParameterName, 'The tenant''s number (DID) the call came in on or went out from')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'An agent the call rang, with their phone; repeat for agents tried first (they missed): the last one took an answered call [default: drawn]')
            [CompletionResult]::new('--talk', '--talk', [CompletionResultType]::ParameterName, 'Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp follow; an answered call')
            [CompletionResult]::new('--ring', '--ring', [CompletionResultType]::ParameterName, 'How long the last agent dialed rang (agent_ring_time, the stamps after it)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the seed''s date; fire without --seed: the first event happens now]')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on an inbound-only trigger) with the dialer''s stamps, agent arrays and billsec ""')
            [CompletionResult]::new('--digit', '--digit', [CompletionResultType]::ParameterName, 'The DTMF key pressed in the IVR (0–9, *, #)')
            [CompletionResult]::new('--hangup-cause', '--hangup-cause', [CompletionResultType]::ParameterName, 'The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code; hangup_cause_code, _description, hangup_cause and reason_key follow')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--broadcast', '--broadcast', [CompletionResultType]::ParameterName, 'A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the lead, call_to_number is ""; implies --direction dialer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;validate' {
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Check every payload against this trigger instead of the recorded or detected one')
            [CompletionResult]::new('--webhook', '--webhook', [CompletionResultType]::ParameterName, 'Check every payload as this webhook of the config sends it (its trigger, its template)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text for people (problems only; -v for all), json for one result per line')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'Stop after this many invalid payloads')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat every warning as an error')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Exit 0 when no payload is found (by default that is exit 2: a wrong path is no green build)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;listen' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one; the `listening on` line tells which)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind; anything but loopback must be asked for')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Append every capture record to this NDJSON file (flushed before the response)')
            [CompletionResult]::new('--save-dir', '--save-dir', [CompletionResultType]::ParameterName, 'Write every capture record to its own file in this directory')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Check every request against this trigger')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'Check requests to PATH against trigger ID (repeatable)')
            [CompletionResult]::new('--webhook', '--webhook', [CompletionResultType]::ParameterName, 'Route and check requests as this config webhook does (its URL path, its template)')
            [CompletionResult]::new('--forward', '--forward', [CompletionResultType]::ParameterName, 'Pass every request on, byte-exact, to your app at this URL (its path and query get the received ones appended) and answer with the app''s answer (502 when it cannot be reached)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Status to answer with')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Wait this long before answering (250ms, 2s); 10 s or more is past Servetel''s timeout')
            [CompletionResult]::new('--respond-body', '--respond-body', [CompletionResultType]::ParameterName, 'Body to answer with: TEXT, or @FILE')
            [CompletionResult]::new('--require-header', '--require-header', [CompletionResultType]::ParameterName, 'Answer 401 (and record the request as rejected) unless it carries this header')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body accepted; larger ones are answered 413 without being buffered')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'pretty: the call in telephony terms (-q: its first two lines); json: one capture record per line; line: one line per request')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit after N requests (0 if all were valid and none rejected, 1 if not)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit after this long (exit 4 if --count requests had not arrived)')
            [CompletionResult]::new('--inspect', '--inspect', [CompletionResultType]::ParameterName, 'Also serve a web page of everything received at ADDR [default: 127.0.0.1:4040]; open the printed `inspecting on` URL (it carries the page''s token)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--headers', '--headers', [CompletionResultType]::ParameterName, 'Print the request headers too')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Mask phone numbers, names and recording tokens in what is printed (not in what is saved)')
            [CompletionResult]::new('--redact-saved', '--redact-saved', [CompletionResultType]::ParameterName, 'Mask them in the saved records too: the payload, the body or query re-encoded from it, credentials in headers (an undecodable body is left out); such records no longer replay byte-exact')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;fire' {
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Send a whole call: its callbacks in order, sharing uuid and call_id (see --list-scenarios)')
            [CompletionResult]::new('--webhook', '--webhook', [CompletionResultType]::ParameterName, 'Send as this config webhook does: its trigger, method, content type, URL, headers, template')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'POST sends a body; GET sends the payload in the query string')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How the payload travels: json (POST body), form (POST body, nested values as --form-style says) or query (GET query string) [default: json; query with --method GET]')
            [CompletionResult]::new('--form-style', '--form-style', [CompletionResultType]::ParameterName, 'How form and GET requests write nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Raw escape hatch: override one field after synthesis, nothing derived from it follows (use the call''s flags below for that; a contradiction is shown before sending): KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for raw JSON')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Same seed, same calls (ids and dates as `sample --seed` shows) [default: random, calls happen now]')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'How the call ends (hangup family; live triggers pick the call''s later fate)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which keys: the real default template (with its quirks) or the docs'' variables only')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many calls to fire, each a distinct call (its own uuid and call_id)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many calls to fire, each a distinct call (its own uuid and call_id)')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Scenario pace: real is the call''s own timing, 10 ten times faster, max no waiting [default: the call''s gaps, each shortened to at most 1 s; the stamps keep the call''s time]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to send: an http:// or https:// URL')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most this many events per second, all connections together (50, 50/s, 600/m)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Requests in flight at once (each on its own kept-alive connection)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once (each on its own kept-alive connection)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a request after this long (Servetel gives a receiver 10 s)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'pretty: a line per event, a summary on stderr; json: one object per event on stdout')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates of this PEM file')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'The customer''s number, 6–15 digits with an optional + (caller_id_number or call_to_number by direction, "customer_no_with_prefix ")')
            [CompletionResult]::new('--did', '--did', [CompletionResultType]::ParameterName, 'The tenant''s number (DID) the call came in on or went out from')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'An agent the call rang, with their phone; repeat for agents tried first (they missed): the last one took an answered call [default: drawn]')
            [CompletionResult]::new('--talk', '--talk', [CompletionResultType]::ParameterName, 'Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp follow; an answered call')
            [CompletionResult]::new('--ring', '--ring', [CompletionResultType]::ParameterName, 'How long the last agent dialed rang (agent_ring_time, the stamps after it)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the seed''s date; fire without --seed: the first event happens now]')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on an inbound-only trigger) with the dialer''s stamps, agent arrays and billsec ""')
            [CompletionResult]::new('--digit', '--digit', [CompletionResultType]::ParameterName, 'The DTMF key pressed in the IVR (0–9, *, #)')
            [CompletionResult]::new('--hangup-cause', '--hangup-cause', [CompletionResultType]::ParameterName, 'The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code; hangup_cause_code, _description, hangup_cause and reason_key follow')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--list-scenarios', '--list-scenarios', [CompletionResultType]::ParameterName, 'List the scenarios and exit')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before firing more than 100 events at a host other than this machine')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before firing more than 100 events at a host other than this machine')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact requests (method, URL, headers, body) and send nothing')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the target''s TLS certificate')
            [CompletionResult]::new('--broadcast', '--broadcast', [CompletionResultType]::ParameterName, 'A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the lead, call_to_number is ""; implies --direction dialer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;replay' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only the matching ones: trigger=ID, call_id=X, seq=N..M (repeatable: every key given must match, by any of its values)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Edit the payload before sending (re-encoded the way it arrived, then validated): KEY=VALUE, dotted paths, KEY= for "", KEY:=JSON')
            [CompletionResult]::new('--rebase-time', '--rebase-time', [CompletionResultType]::ParameterName, 'Move every stamp so the first call starts at this moment (now, or RFC 3339), intervals kept')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to send: an http:// or https:// URL')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most this many events per second, all connections together (50, 50/s, 600/m)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Requests in flight at once (each on its own kept-alive connection)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once (each on its own kept-alive connection)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a request after this long (Servetel gives a receiver 10 s)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'pretty: a line per event, a summary on stderr; json: one object per event on stdout')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates of this PEM file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--new-ids', '--new-ids', [CompletionResultType]::ParameterName, 'Give every call a fresh uuid and call_id (its callbacks keep sharing them)')
            [CompletionResult]::new('--keep-path', '--keep-path', [CompletionResultType]::ParameterName, 'Send to the recorded path (under the target''s path) instead of the target''s path')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Exit 0 when no record is found (by default that is exit 2: a wrong path sends nothing)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact requests (method, URL, headers, body) and send nothing')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the target''s TLS certificate')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;calls' {
            [CompletionResult]::new('--call', '--call', [CompletionResultType]::ParameterName, 'Only the call with this call_id or uuid')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only the calls with an event at or after TIME: 30m (ago), 2026-04-09 12:54:22 (IST) or RFC 3339; a call that began before TIME is shown whole')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text for people, json for one object per call')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--problems', '--problems', [CompletionResultType]::ParameterName, 'Only the calls with a diagnostic (duplicate, order, incomplete, late, split, invalid)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;test' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The receiver to prove: an http:// or https:// URL')
            [CompletionResult]::new('--webhook', '--webhook', [CompletionResultType]::ParameterName, 'Test as these config webhooks send (method, content type, template, headers, URL); repeatable; `all` for every webhook of servetel.toml')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Only these triggers (id, portal label or alias), repeatable [default: all 11]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How the payloads travel [default: all three; a webhook''s own with --webhook]')
            [CompletionResult]::new('--form-style', '--form-style', [CompletionResultType]::ParameterName, 'How the form and GET cases write nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only the cases whose id matches this glob (`hangup/*`, `*/form/*`), repeatable')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Same seed, same payloads [default: random, printed]')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'A request passes with a 2xx within this long (Servetel gives a receiver 10 s)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run this shell command after each case; it must exit 0 (SERVETEL_CASE, SERVETEL_TRIGGER, SERVETEL_CALL_ID, SERVETEL_UUID and SERVETEL_PAYLOAD, an NDJSON file of the payloads sent, are in its environment)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write a JUnit XML report to FILE')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The burst case''s requests in flight at once')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'The burst case''s requests in flight at once')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Send this header too (''NAME: VALUE''), repeatable; secrets are masked in what is printed')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates of this PEM file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the cases (with --format json: as JSON) and send nothing')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the target''s TLS certificate')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;inspect' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to serve the page on (0 picks a free one; the `inspecting on` line tells which)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind; anything but loopback must be asked for (and is warned about)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where the page''s replays go unless it names a URL: your app')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;init' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The webhook''s name, as on the portal')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Trigger id, portal label or alias (see `servetel triggers`)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'How the portal sends it')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'Body type of a POST webhook')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The URL the portal calls')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A static header the portal sends (''NAME: VALUE''), repeatable')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The body template: `default`, the template text ({"id": "$uuid"} or id=$uuid&…), or @FILE')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write; an existing file gets the webhook appended')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write; an existing file gets the webhook appended')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is done')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'servetel;help' {
            [CompletionResult]::new('triggers', 'triggers', [CompletionResultType]::ParameterValue, 'List the webhook triggers')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Show a trigger''s variables, or export its JSON Schema')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Print one realistic synthesized payload for a trigger')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check saved payloads and capture records against the trigger rules')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive callbacks locally: print them in telephony terms, check them, save them')
            [CompletionResult]::new('fire', 'fire', [CompletionResultType]::ParameterValue, 'Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-send captured callbacks to a URL, byte-exact or edited')
            [CompletionResult]::new('calls', 'calls', [CompletionResultType]::ParameterValue, 'Show captured callbacks as calls, with what their delivery went through')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Prove a receiver: send every shape of callback the platform can and judge the answers')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Serve a local web page of saved captures: calls, findings, replay and edit-and-replay')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a webhook config (servetel.toml) that mirrors a portal entry')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'servetel;help;triggers' {
            break
        }
        'servetel;help;schema' {
            break
        }
        'servetel;help;sample' {
            break
        }
        'servetel;help;validate' {
            break
        }
        'servetel;help;listen' {
            break
        }
        'servetel;help;fire' {
            break
        }
        'servetel;help;replay' {
            break
        }
        'servetel;help;calls' {
            break
        }
        'servetel;help;test' {
            break
        }
        'servetel;help;inspect' {
            break
        }
        'servetel;help;init' {
            break
        }
        'servetel;help;completions' {
            break
        }
        'servetel;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
