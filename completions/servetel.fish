# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_servetel_global_optspecs
    string join \n color= q/quiet v/verbose config= h/help V/version
end

function __fish_servetel_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_servetel_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_servetel_using_subcommand
    set -l cmd (__fish_servetel_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c servetel -n "__fish_servetel_needs_command" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_needs_command" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_needs_command" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_needs_command" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_needs_command" -s V -l version -d 'Print version'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "triggers" -d 'List the webhook triggers'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "schema" -d 'Show a trigger\'s variables, or export its JSON Schema'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "sample" -d 'Print one realistic synthesized payload for a trigger'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "validate" -d 'Check saved payloads and capture records against the trigger rules'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "listen" -d 'Receive callbacks locally: print them in telephony terms, check them, save them'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "fire" -d 'Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "replay" -d 'Re-send captured callbacks to a URL, byte-exact or edited'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "calls" -d 'Show captured callbacks as calls, with what their delivery went through'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "test" -d 'Prove a receiver: send every shape of callback the platform can and judge the answers'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "inspect" -d 'Serve a local web page of saved captures: calls, findings, replay and edit-and-replay'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "init" -d 'Write a webhook config (servetel.toml) that mirrors a portal entry'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l all -d 'Also list the six triggers only Smartflo and Acefone portals offer, with each trigger\'s platform'
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand schema" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand schema" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand schema" -l json-schema -d 'Print a JSON Schema (draft 2020-12) of the default-template payload instead'
complete -c servetel -n "__fish_servetel_using_subcommand schema" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand schema" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l seed -d 'Seed of the synthesis: the same seed gives the same payload [default: random]' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l outcome -d 'How the call ends (hangup family; live triggers pick the call\'s later fate)' -r -f -a "answered\t''
missed\t''"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l encoding -d 'How the payload travels: JSON body, form body or GET query string' -r -f -a "json\t'POST, `Content-Type: application/json`'
form\t'POST, `Content-Type: application/x-www-form-urlencoded`'
query\t'GET, every key in the query string'"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l form-style -d 'How form and query text writes nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]' -r -f -a "json\t'JSON text, as one integrator shows the platform sending them'
go\t'Go fmt.Sprint text, as the Go dispatcher prints it: map[id:0507… name:Asha], 1.775719462e+09, fields sorted'"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l profile -d 'Which keys: the real default template (with its quirks) or the docs\' variables only' -r -f -a "real\t'The real default template: observed extras, its key order, its quirks (`"customer_no_with_prefix "`, literal `$placeholders`, mixed epoch types)'
docs\t'Only the variables Servetel\'s docs list for the trigger, in the docs\' order'"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l set -d 'Raw escape hatch: override one field after synthesis, nothing derived from it follows (use the call\'s flags below for that): KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for a raw JSON value' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l caller -d 'The customer\'s number, 6–15 digits with an optional + (caller_id_number or call_to_number by direction, "customer_no_with_prefix ")' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l did -d 'The tenant\'s number (DID) the call came in on or went out from' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l agent -d 'An agent the call rang, with their phone; repeat for agents tried first (they missed): the last one took an answered call [default: drawn]' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l talk -d 'Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp follow; an answered call' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l ring -d 'How long the last agent dialed rang (agent_ring_time, the stamps after it)' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l at -d 'When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the seed\'s date; fire without --seed: the first event happens now]' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l direction -d 'Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on an inbound-only trigger) with the dialer\'s stamps, agent arrays and billsec ""' -r -f -a "inbound\t'A customer calls the tenant\'s number'
outbound\t'An agent calls a customer'
click-to-call\t'An outbound call placed with click-to-call: the agent\'s phone rings first'
dialer\t'A dialer (campaign) call: the dialer\'s stamps, `Dialer (…)` direction, agent arrays'"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l digit -d 'The DTMF key pressed in the IVR (0–9, *, #)' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l hangup-cause -d 'The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code; hangup_cause_code, _description, hangup_cause and reason_key follow' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l broadcast -d 'A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the lead, call_to_number is ""; implies --direction dialer'
complete -c servetel -n "__fish_servetel_using_subcommand sample" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand sample" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand sample" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l trigger -d 'Check every payload against this trigger instead of the recorded or detected one' -r
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l webhook -d 'Check every payload as this webhook of the config sends it (its trigger, its template)' -r
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l format -d 'Output format: text for people (problems only; -v for all), json for one result per line' -r -f -a "text\t''
json\t''"
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l max-errors -d 'Stop after this many invalid payloads' -r
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l strict -d 'Treat every warning as an error'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -l allow-empty -d 'Exit 0 when no payload is found (by default that is exit 2: a wrong path is no green build)'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l port -d 'Port to listen on (0 picks a free one; the `listening on` line tells which)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l host -d 'Address to bind; anything but loopback must be asked for' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l save -d 'Append every capture record to this NDJSON file (flushed before the response)' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l save-dir -d 'Write every capture record to its own file in this directory' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l trigger -d 'Check every request against this trigger' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l route -d 'Check requests to PATH against trigger ID (repeatable)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l webhook -d 'Route and check requests as this config webhook does (its URL path, its template)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l forward -d 'Pass every request on, byte-exact, to your app at this URL (its path and query get the received ones appended) and answer with the app\'s answer (502 when it cannot be reached)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l status -d 'Status to answer with' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l delay -d 'Wait this long before answering (250ms, 2s); 10 s or more is past Servetel\'s timeout' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l respond-body -d 'Body to answer with: TEXT, or @FILE' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l require-header -d 'Answer 401 (and record the request as rejected) unless it carries this header' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l max-body -d 'Largest body accepted; larger ones are answered 413 without being buffered' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l format -d 'pretty: the call in telephony terms (-q: its first two lines); json: one capture record per line; line: one line per request' -r -f -a "pretty\t'The call in telephony terms, findings, the payload as colored JSON'
json\t'One capture record per line, nothing else'
line\t'One line per request (time, method, path, trigger, verdict, the call, status)'"
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l count -d 'Exit after N requests (0 if all were valid and none rejected, 1 if not)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l timeout -d 'Exit after this long (exit 4 if --count requests had not arrived)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l inspect -d 'Also serve a web page of everything received at ADDR [default: 127.0.0.1:4040]; open the printed `inspecting on` URL (it carries the page\'s token)' -r
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l headers -d 'Print the request headers too'
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l redact -d 'Mask phone numbers, names and recording tokens in what is printed (not in what is saved)'
complete -c servetel -n "__fish_servetel_using_subcommand listen" -l redact-saved -d 'Mask them in the saved records too: the payload, the body or query re-encoded from it, credentials in headers (an undecodable body is left out); such records no longer replay byte-exact'
complete -c servetel -n "__fish_servetel_using_subcommand listen" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand listen" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l scenario -d 'Send a whole call: its callbacks in order, sharing uuid and call_id (see --list-scenarios)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l webhook -d 'Send as this config webhook does: its trigger, method, content type, URL, headers, template' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l method -d 'POST sends a body; GET sends the payload in the query string' -r -f -a "POST\t''
GET\t''"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l encoding -d 'How the payload travels: json (POST body), form (POST body, nested values as --form-style says) or query (GET query string) [default: json; query with --method GET]' -r -f -a "json\t'POST, `Content-Type: application/json`'
form\t'POST, `Content-Type: application/x-www-form-urlencoded`'
query\t'GET, every key in the query string'"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l form-style -d 'How form and GET requests write nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]' -r -f -a "json\t'JSON text, as one integrator shows the platform sending them'
go\t'Go fmt.Sprint text, as the Go dispatcher prints it: map[id:0507… name:Asha], 1.775719462e+09, fields sorted'"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l set -d 'Raw escape hatch: override one field after synthesis, nothing derived from it follows (use the call\'s flags below for that; a contradiction is shown before sending): KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for raw JSON' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l seed -d 'Same seed, same calls (ids and dates as `sample --seed` shows) [default: random, calls happen now]' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l outcome -d 'How the call ends (hangup family; live triggers pick the call\'s later fate)' -r -f -a "answered\t''
missed\t''"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l profile -d 'Which keys: the real default template (with its quirks) or the docs\' variables only' -r -f -a "real\t'The real default template: observed extras, its key order, its quirks (`"customer_no_with_prefix "`, literal `$placeholders`, mixed epoch types)'
docs\t'Only the variables Servetel\'s docs list for the trigger, in the docs\' order'"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s n -l count -d 'How many calls to fire, each a distinct call (its own uuid and call_id)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l speed -d 'Scenario pace: real is the call\'s own timing, 10 ten times faster, max no waiting [default: the call\'s gaps, each shortened to at most 1 s; the stamps keep the call\'s time]' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l to -d 'Where to send: an http:// or https:// URL' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l rate -d 'At most this many events per second, all connections together (50, 50/s, 600/m)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s c -l concurrency -d 'Requests in flight at once (each on its own kept-alive connection)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l timeout -d 'Give up on a request after this long (Servetel gives a receiver 10 s)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s H -l header -d 'Send this header too (\'NAME: VALUE\'), repeatable; secrets are masked in what is printed' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l format -d 'pretty: a line per event, a summary on stderr; json: one object per event on stdout' -r -f -a "pretty\t'A line per event for people (status, latency, response excerpt); the summary on stderr'
json\t'One JSON object per event on stdout, and nothing else'"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l cacert -d 'Also trust the CA certificates of this PEM file' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l caller -d 'The customer\'s number, 6–15 digits with an optional + (caller_id_number or call_to_number by direction, "customer_no_with_prefix ")' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l did -d 'The tenant\'s number (DID) the call came in on or went out from' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l agent -d 'An agent the call rang, with their phone; repeat for agents tried first (they missed): the last one took an answered call [default: drawn]' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l talk -d 'Talk time (90s, 2m): billsec, bridged_duration, outbound_sec, duration and the end stamp follow; an answered call' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l ring -d 'How long the last agent dialed rang (agent_ring_time, the stamps after it)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l at -d 'When the call started: now, RFC 3339, or 2026-04-09 12:54:22 read as IST [default: the seed\'s date; fire without --seed: the first event happens now]' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l direction -d 'Which kind of call; dialer: a campaign call (`Dialer (outbound)`, or `Dialer (inbound)` on an inbound-only trigger) with the dialer\'s stamps, agent arrays and billsec ""' -r -f -a "inbound\t'A customer calls the tenant\'s number'
outbound\t'An agent calls a customer'
click-to-call\t'An outbound call placed with click-to-call: the agent\'s phone rings first'
dialer\t'A dialer (campaign) call: the dialer\'s stamps, `Dialer (…)` direction, agent arrays'"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l digit -d 'The DTMF key pressed in the IVR (0–9, *, #)' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l hangup-cause -d 'The Q.850 hangup cause: NORMAL_CLEARING, NO_ANSWER, USER_BUSY… or its code; hangup_cause_code, _description, hangup_cause and reason_key follow' -r
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l list-scenarios -d 'List the scenarios and exit'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s y -l yes -d 'Do not ask before firing more than 100 events at a host other than this machine'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l dry-run -d 'Print the exact requests (method, URL, headers, body) and send nothing'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l insecure -d 'Do not verify the target\'s TLS certificate'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -l broadcast -d 'A broadcast (dialer) call to a lead: broadcast_lead_fields and field_0…field_15 carry the lead, call_to_number is ""; implies --direction dialer'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand fire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l filter -d 'Only the matching ones: trigger=ID, call_id=X, seq=N..M (repeatable: every key given must match, by any of its values)' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l set -d 'Edit the payload before sending (re-encoded the way it arrived, then validated): KEY=VALUE, dotted paths, KEY= for "", KEY:=JSON' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l rebase-time -d 'Move every stamp so the first call starts at this moment (now, or RFC 3339), intervals kept' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l to -d 'Where to send: an http:// or https:// URL' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l rate -d 'At most this many events per second, all connections together (50, 50/s, 600/m)' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -s c -l concurrency -d 'Requests in flight at once (each on its own kept-alive connection)' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l timeout -d 'Give up on a request after this long (Servetel gives a receiver 10 s)' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -s H -l header -d 'Send this header too (\'NAME: VALUE\'), repeatable; secrets are masked in what is printed' -r
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l format -d 'pretty: a line per event, a summary on stderr; json: one object per event on stdout' -r -f -a "pretty\t'A line per event for people (status, latency, response excerpt); the summary on stderr'
json\t'One JSON object per event on stdout, and nothing else'"
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l cacert -d 'Also trust the CA certificates of this PEM file' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l new-ids -d 'Give every call a fresh uuid and call_id (its callbacks keep sharing them)'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l keep-path -d 'Send to the recorded path (under the target\'s path) instead of the target\'s path'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l allow-empty -d 'Exit 0 when no record is found (by default that is exit 2: a wrong path sends nothing)'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l dry-run -d 'Print the exact requests (method, URL, headers, body) and send nothing'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -l insecure -d 'Do not verify the target\'s TLS certificate'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand calls" -l call -d 'Only the call with this call_id or uuid' -r
complete -c servetel -n "__fish_servetel_using_subcommand calls" -l since -d 'Only the calls with an event at or after TIME: 30m (ago), 2026-04-09 12:54:22 (IST) or RFC 3339; a call that began before TIME is shown whole' -r
complete -c servetel -n "__fish_servetel_using_subcommand calls" -l format -d 'Output format: text for people, json for one object per call' -r -f -a "text\t''
json\t''"
complete -c servetel -n "__fish_servetel_using_subcommand calls" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand calls" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand calls" -l problems -d 'Only the calls with a diagnostic (duplicate, order, incomplete, late, split, invalid)'
complete -c servetel -n "__fish_servetel_using_subcommand calls" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand calls" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand calls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand test" -l to -d 'The receiver to prove: an http:// or https:// URL' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l webhook -d 'Test as these config webhooks send (method, content type, template, headers, URL); repeatable; `all` for every webhook of servetel.toml' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l trigger -d 'Only these triggers (id, portal label or alias), repeatable [default: all 11]' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l encoding -d 'How the payloads travel [default: all three; a webhook\'s own with --webhook]' -r -f -a "json\t''
form\t''
query\t''
all\t''"
complete -c servetel -n "__fish_servetel_using_subcommand test" -l form-style -d 'How the form and GET cases write nested values: JSON text, or Go fmt.Sprint text as the Go dispatcher sends it [default: json]' -r -f -a "json\t'JSON text, as one integrator shows the platform sending them'
go\t'Go fmt.Sprint text, as the Go dispatcher prints it: map[id:0507… name:Asha], 1.775719462e+09, fields sorted'"
complete -c servetel -n "__fish_servetel_using_subcommand test" -l only -d 'Only the cases whose id matches this glob (`hangup/*`, `*/form/*`), repeatable' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l seed -d 'Same seed, same payloads [default: random, printed]' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l budget -d 'A request passes with a 2xx within this long (Servetel gives a receiver 10 s)' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l check -d 'Run this shell command after each case; it must exit 0 (SERVETEL_CASE, SERVETEL_TRIGGER, SERVETEL_CALL_ID, SERVETEL_UUID and SERVETEL_PAYLOAD, an NDJSON file of the payloads sent, are in its environment)' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l junit -d 'Also write a JUnit XML report to FILE' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand test" -l format -d 'Output format' -r -f -a "pretty\t'A line per case grouped by trigger, then each failure explained; the summary on stderr'
json\t'One JSON object per case on stdout, and nothing else'"
complete -c servetel -n "__fish_servetel_using_subcommand test" -s c -l concurrency -d 'The burst case\'s requests in flight at once' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -s H -l header -d 'Send this header too (\'NAME: VALUE\'), repeatable; secrets are masked in what is printed' -r
complete -c servetel -n "__fish_servetel_using_subcommand test" -l cacert -d 'Also trust the CA certificates of this PEM file' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand test" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand test" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand test" -l list -d 'List the cases (with --format json: as JSON) and send nothing'
complete -c servetel -n "__fish_servetel_using_subcommand test" -l insecure -d 'Do not verify the target\'s TLS certificate'
complete -c servetel -n "__fish_servetel_using_subcommand test" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand test" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -l port -d 'Port to serve the page on (0 picks a free one; the `inspecting on` line tells which)' -r
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -l host -d 'Address to bind; anything but loopback must be asked for (and is warned about)' -r
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -l to -d 'Where the page\'s replays go unless it names a URL: your app' -r
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand init" -l name -d 'The webhook\'s name, as on the portal' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -l trigger -d 'Trigger id, portal label or alias (see `servetel triggers`)' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -l method -d 'How the portal sends it' -r -f -a "POST\t''
GET\t''"
complete -c servetel -n "__fish_servetel_using_subcommand init" -l content-type -d 'Body type of a POST webhook' -r -f -a "json\t''
form\t''"
complete -c servetel -n "__fish_servetel_using_subcommand init" -l url -d 'The URL the portal calls' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -l header -d 'A static header the portal sends (\'NAME: VALUE\'), repeatable' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -l template -d 'The body template: `default`, the template text ({"id": "$uuid"} or id=$uuid&…), or @FILE' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -s o -l output -d 'Where to write; an existing file gets the webhook appended' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand init" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand init" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand init" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand init" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand completions" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand completions" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
complete -c servetel -n "__fish_servetel_using_subcommand completions" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand completions" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "triggers" -d 'List the webhook triggers'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "schema" -d 'Show a trigger\'s variables, or export its JSON Schema'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "sample" -d 'Print one realistic synthesized payload for a trigger'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "validate" -d 'Check saved payloads and capture records against the trigger rules'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "listen" -d 'Receive callbacks locally: print them in telephony terms, check them, save them'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "fire" -d 'Send realistic synthesized callbacks (single events, bursts or whole calls) to a URL'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "replay" -d 'Re-send captured callbacks to a URL, byte-exact or edited'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "calls" -d 'Show captured callbacks as calls, with what their delivery went through'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "test" -d 'Prove a receiver: send every shape of callback the platform can and judge the answers'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "inspect" -d 'Serve a local web page of saved captures: calls, findings, replay and edit-and-replay'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "init" -d 'Write a webhook config (servetel.toml) that mirrors a portal entry'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate listen fire replay calls test inspect init completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
