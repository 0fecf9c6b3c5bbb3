use std::io::Write;

use crate::cli::CompletionsArgs;

pub fn run(args: &CompletionsArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "servetel", &mut buf);
    out.write_all(&buf)?;
    Ok(servetel::exit::SUCCESS)
}
