use std::io::Write;

use serde_json::Value;

use crate::catalog::lookup_trigger;
use crate::cli::{Global, SampleArgs};
use crate::encode::Encoding;
use crate::synth::{self, Options};

pub fn run(args: &SampleArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    let trigger = lookup_trigger(&args.trigger)?;
    let seed = args.seed.unwrap_or_else(synth::random_seed);
    let opts = Options {
        seed,
        outcome: args.outcome,
        profile: args.profile,
        start: None,
    };
    let mut payload = synth::synthesize(trigger, &opts)?;
    crate::edit::apply(&mut payload, &args.set, Some(trigger))?;
    if args.seed.is_none() && !global.quiet {
        eprintln!("servetel: seed {seed} (--seed {seed} prints this payload again)");
    }
    match args.encoding {
        Encoding::Json => {
            let text = crate::render::json::pretty(&Value::Object(payload));
            writeln!(out, "{text}")?;
        }
        encoding => writeln!(out, "{}", encoding.encode(&payload))?,
    }
    Ok(crate::exit::SUCCESS)
}
