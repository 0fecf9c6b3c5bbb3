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
complete -c servetel -n "__fish_servetel_needs_command" -f -a "init" -d 'Write a webhook config (servetel.toml) that mirrors a portal entry'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c servetel -n "__fish_servetel_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand triggers" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
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
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l profile -d 'Which keys: the real default template (with its quirks) or the docs\' variables only' -r -f -a "real\t'The real default template: observed extras, its key order, its quirks (`"customer_no_with_prefix "`, literal `$placeholders`, mixed epoch types)'
docs\t'Only the variables Servetel\'s docs list for the trigger, in the docs\' order'"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l set -d 'Override a field after synthesis: KEY=VALUE, dotted paths (answered_agent.name=Asha), KEY= for "", KEY:=JSON for a raw JSON value' -r
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l color -d 'When to color the output' -r -f -a "auto\t'Color when writing to a terminal and NO_COLOR is unset or empty'
always\t''
never\t''"
complete -c servetel -n "__fish_servetel_using_subcommand sample" -l config -d 'Webhook config [default: $SERVETEL_CONFIG, else ./servetel.toml when present]' -r -F
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
complete -c servetel -n "__fish_servetel_using_subcommand validate" -s q -l quiet -d 'Print only data and errors'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -s v -l verbose -d 'Print more about what is done'
complete -c servetel -n "__fish_servetel_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c servetel -n "__fish_servetel_using_subcommand init" -l name -d 'The webhook\'s name, as on the portal' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -l trigger -d 'Trigger id, portal label or alias (see `servetel triggers`)' -r
complete -c servetel -n "__fish_servetel_using_subcommand init" -l method -d 'How the portal sends it' -r -f -a "POST\t''
GET\t''
post\t''
get\t''"
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
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "triggers" -d 'List the webhook triggers'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "schema" -d 'Show a trigger\'s variables, or export its JSON Schema'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "sample" -d 'Print one realistic synthesized payload for a trigger'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "validate" -d 'Check saved payloads and capture records against the trigger rules'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "init" -d 'Write a webhook config (servetel.toml) that mirrors a portal entry'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c servetel -n "__fish_servetel_using_subcommand help; and not __fish_seen_subcommand_from triggers schema sample validate init completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
