use std::io::Write;

use crate::catalog::lookup_trigger;
use crate::cli::SchemaArgs;
use crate::render::reference;

pub fn run(args: &SchemaArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let trigger = lookup_trigger(&args.trigger)?;
    if args.json_schema {
        writeln!(out, "{:#}", crate::json_schema::for_trigger(trigger))?;
    } else {
        out.write_all(reference::schema_text(trigger).as_bytes())?;
    }
    Ok(crate::exit::SUCCESS)
}
