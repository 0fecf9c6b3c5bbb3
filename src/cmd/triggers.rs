use std::io::Write;

use crate::cli::{Format, TriggersArgs};
use servetel::render::reference;

pub fn run(args: &TriggersArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    match args.format {
        Format::Text => out.write_all(reference::triggers_text(args.all).as_bytes())?,
        Format::Json => writeln!(out, "{:#}", reference::triggers_json(args.all))?,
    }
    Ok(servetel::exit::SUCCESS)
}
