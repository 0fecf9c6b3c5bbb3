#!/usr/bin/env bash
# Regenerates completions/ from the binary (tests/completions.rs fails when they are stale).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q
mkdir -p completions
bin=target/debug/servetel
$bin completions bash > completions/servetel.bash
$bin completions zsh > completions/_servetel
$bin completions fish > completions/servetel.fish
$bin completions powershell > completions/_servetel.ps1
$bin completions elvish > completions/servetel.elv
