//! servetel: Servetel call webhooks, offline. The domain (the trigger catalog, synthesis,
//! encodings, rendering) is a library of pure functions that never sees clap; the binary
//! (`main.rs`, `cli.rs`, `cmd/`) is the thin glue to the command line and I/O.

/// `eprintln!` that cannot panic: when stderr is closed (`servetel listen 2>&1 | head`, a
/// supervisor that went away) the line is lost, not the process or a listen worker.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod calls;
pub mod catalog;
pub mod color;
pub mod config;
pub mod contract;
pub mod decode;
pub mod edit;
pub mod encode;
pub mod exit;
pub mod fire;
pub mod input;
pub mod inspect;
pub mod json_schema;
pub mod listen;
pub mod redact;
pub mod render;
pub mod replay;
pub mod scenario;
pub mod send;
pub mod suggest;
pub mod synth;
pub mod template;
pub mod timestamp;
pub mod units;
pub mod validate;
