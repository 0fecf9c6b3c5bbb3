use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "servetel", &mut buf);
    out.write_all(&buf)?;
    Ok(crate::exit::SUCCESS)
}
