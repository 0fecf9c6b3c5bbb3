//! Exit codes (README, "Exit codes"), the same for every command.

use std::io;

/// Success: everything valid, every request answered 2xx.
pub const SUCCESS: u8 = 0;
/// The tool worked and the answer is no: an invalid payload, a non-2xx response.
pub const NO: u8 = 1;
/// Usage or configuration error, unreadable input path.
pub const USAGE: u8 = 2;
/// Network failure talking to a target (connect, TLS, timeout).
pub const NETWORK: u8 = 3;
/// `listen --timeout` expired before `--count` requests arrived.
pub const TIMEOUT: u8 = 4;

/// Interrupted (Ctrl-C, SIGTERM) before the work was done: `fire`, `replay` (128 + SIGINT, the
/// shell's own convention).
pub const INTERRUPTED: u8 = 130;

/// The exit-code table, for `--help` and the README.
pub const TABLE: &str = "\
Exit codes:
    0  success: everything valid / every request answered 2xx
    1  the tool worked and the answer is no: an invalid payload, a non-2xx response
    2  usage or configuration error, unreadable input path, no payload found
    3  network failure talking to a target (connect, TLS, timeout)
    4  listen --timeout expired before --count requests arrived
  130  interrupted (Ctrl-C, SIGTERM) before every event was sent or every case ran";

/// True when the error is a closed stdout pipe (`servetel … | head`): not an error at all.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The exit code an error ends the program with: commands that end with another code return it
/// rather than an error, so every error is a usage error.
pub fn code_of(err: &anyhow::Error) -> u8 {
    if is_broken_pipe(err) { SUCCESS } else { USAGE }
}
