use std::io::Write;

use serde_json::Value;

use crate::cli::{Global, SampleArgs};
use servetel::catalog::lookup_trigger;
use servetel::encode::Encoding;
use servetel::synth::{self, Options};

pub fn run(args: &SampleArgs, global: &Global, out: &mut impl Write) -> anyhow::Result<u8> {
    let trigger = lookup_trigger(&args.trigger)?;
    let encoding: Encoding = args.encoding.into();
    let style = super::convert::form_style(
        args.form_style,
        &[encoding],
        "--encoding json (the default)",
        super::convert::FORM_FIX,
    )?;
    let seed = args.seed.unwrap_or_else(synth::random_seed);
    let opts = Options {
        seed,
        outcome: args.outcome.map(Into::into),
        profile: args.profile.into(),
        start: None,
    };
    let spec = super::convert::call_spec(&args.call)?;
    let mut payload = synth::synthesize_with(trigger, &opts, &spec)?;
    servetel::edit::apply(
        &mut payload,
        &super::convert::parsed(&args.set)?,
        Some(trigger),
    )?;
    if args.seed.is_none() && !global.quiet {
        servetel::say!("servetel: seed {seed} (--seed {seed} prints this payload again)");
    }
    match encoding {
        Encoding::Json => {
            let text = servetel::render::json::pretty(&Value::Object(payload));
            writeln!(out, "{text}")?;
        }
        encoding => writeln!(out, "{}", encoding.encode_with(&payload, style))?,
    }
    Ok(servetel::exit::SUCCESS)
}
