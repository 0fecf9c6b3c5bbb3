use std::io::Write;

use crate::cli::SchemaArgs;
use servetel::catalog::lookup_trigger;
use servetel::render::reference;

pub fn run(args: &SchemaArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let trigger = lookup_trigger(&args.trigger)?;
    if args.json_schema {
        writeln!(out, "{:#}", servetel::json_schema::for_trigger(trigger))?;
    } else {
        out.write_all(reference::schema_text(trigger).as_bytes())?;
    }
    Ok(servetel::exit::SUCCESS)
}
