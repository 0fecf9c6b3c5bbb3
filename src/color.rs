//! Whether to color output, decided once in `main` from `--color`, `NO_COLOR`, `CLICOLOR_FORCE`
//! and whether the stream is a terminal, then forced on every library that colors (hurl's way:
//! they disagree by default).

use std::ffi::OsString;
use std::io::IsTerminal;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorWhen {
    /// Color when writing to a terminal and NO_COLOR is unset or empty.
    #[default]
    Auto,
    Always,
    Never,
}

/// The decision, as a pure function of the flag and the environment.
pub fn decide(
    when: ColorWhen,
    is_terminal: bool,
    no_color: Option<&OsString>,
    clicolor_force: Option<&OsString>,
) -> bool {
    let set = |v: Option<&OsString>| v.is_some_and(|v| !v.is_empty() && v != "0");
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set(clicolor_force) => true,
        ColorWhen::Auto if no_color.is_some_and(|v| !v.is_empty()) => false,
        ColorWhen::Auto => is_terminal,
    }
}

/// `--color` as given on the command line, read before clap parses so that clap's own help and
/// errors follow the same decision. The last occurrence wins, as clap would have it.
pub fn when_from_args(args: &[OsString]) -> ColorWhen {
    let mut when = ColorWhen::Auto;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next().map(|v| v.into_owned()),
            Some(rest) if rest.starts_with('=') => Some(rest[1..].to_string()),
            _ => None,
        };
        when = match value.as_deref() {
            Some("always") => ColorWhen::Always,
            Some("never") => ColorWhen::Never,
            Some("auto") => ColorWhen::Auto,
            _ => when,
        };
    }
    when
}

/// Decides for stdout (data, `colored`) and stderr (dialoguer's prompts, through `console`) and
/// forces each library to its answer; returns the decision for stdout.
pub fn init(when: ColorWhen) -> bool {
    let for_stream = |is_terminal: bool| {
        decide(
            when,
            is_terminal,
            std::env::var_os("NO_COLOR").as_ref(),
            std::env::var_os("CLICOLOR_FORCE").as_ref(),
        )
    };
    let on = for_stream(std::io::stdout().is_terminal());
    colored::control::set_override(on);
    console::set_colors_enabled(on);
    console::set_colors_enabled_stderr(for_stream(std::io::stderr().is_terminal()));
    on
}

/// Text without its terminal colors (ANSI CSI sequences): for the inspector's page, which colors
/// it itself, and for tests that read a terminal's output.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> OsString {
        s.into()
    }

    #[test]
    fn auto_follows_terminal_and_environment() {
        assert!(decide(ColorWhen::Auto, true, None, None));
        assert!(!decide(ColorWhen::Auto, false, None, None));
        assert!(!decide(ColorWhen::Auto, true, Some(&os("1")), None));
        assert!(
            decide(ColorWhen::Auto, true, Some(&os("")), None),
            "empty NO_COLOR is unset"
        );
        assert!(decide(ColorWhen::Auto, false, None, Some(&os("1"))));
        assert!(!decide(ColorWhen::Auto, false, None, Some(&os("0"))));
        assert!(decide(ColorWhen::Always, false, Some(&os("1")), None));
        assert!(!decide(ColorWhen::Never, true, None, Some(&os("1"))));
    }

    #[test]
    fn terminal_colors_are_taken_out() {
        assert_eq!(plain("\x1b[1;31m✗ late\x1b[0m · ok"), "✗ late · ok");
        assert_eq!(plain("no colors"), "no colors");
    }

    #[test]
    fn reads_the_flag_before_parsing() {
        let args: Vec<OsString> = ["servetel", "--color", "never", "triggers", "--color=always"]
            .iter()
            .map(|s| os(s))
            .collect();
        assert_eq!(when_from_args(&args), ColorWhen::Always);
        assert_eq!(when_from_args(&[os("servetel")]), ColorWhen::Auto);
    }
}
