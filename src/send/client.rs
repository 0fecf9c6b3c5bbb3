//! The HTTP clients: the engine's lanes (an async reqwest client on its own single-threaded
//! tokio runtime, one per core) and the blocking client of `listen --forward` and the inspector,
//! configured alike by one macro.

use std::path::Path;

use anyhow::Context;
use rustls::pki_types::CertificateDer;

use super::cacert;

/// How the client connects.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub timeout: std::time::Duration,
    /// Skip TLS certificate verification (`--insecure`).
    pub insecure: bool,
    /// A PEM file of extra root certificates (`--cacert`).
    pub cacert: Option<std::path::PathBuf>,
    /// Idle connections kept per host: the concurrency, so every worker keeps its own alive.
    pub pool: usize,
}

/// The settings every client of servetel has, on either reqwest builder (they share no trait).
macro_rules! configured {
    ($builder:expr, $opts:expr, $certificates:expr, $idle:expr) => {{
        let mut builder = $builder
            .timeout($opts.timeout)
            .connect_timeout($opts.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .http1_title_case_headers()
            .pool_max_idle_per_host($idle)
            .tcp_nodelay(true);
        if $opts.insecure {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        if let (Some(certs), false) = (&$certificates, $opts.insecure) {
            builder = builder.use_preconfigured_tls(cacert::tls_config(certs.clone())?);
        }
        builder
    }};
}

/// One lane of the engine: a thread's worth of sending. Its runtime drives the requests and the
/// connections on the thread that calls `block_on`, so a request never changes threads. Its
/// client's pool keeps https and proxied connections alive from one run to the next (`servetel
/// test` runs the engine once per case); a plain http:// target's connections (`direct.rs`) are
/// each task's own and end with the run.
#[derive(Debug)]
pub(super) struct Lane {
    pub runtime: tokio::runtime::Runtime,
    pub client: reqwest::Client,
}

/// The lanes of a run: one per core, at most one per request in flight.
///
/// Measured on two cores against a local nginx: one single-threaded runtime per core beats one
/// multi-threaded runtime, whose connection tasks wake on another thread than the request that
/// waits on them (docs/architecture.md, "The sending engine").
#[derive(Debug, Default)]
pub struct Clients {
    pub(super) lanes: Vec<Lane>,
}

/// The engine's clients for `opts.pool` requests in flight.
///
/// Proxies come from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (reqwest's default); redirects are
/// not followed (a 3xx is what the receiver answered, as the platform logs it); header names go
/// out in title case (`Content-Type`), as senders usually write them.
pub fn clients(opts: &ClientOptions) -> anyhow::Result<Clients> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let count = cores.min(opts.pool.max(1)).clamp(1, 8);
    let certificates = certificates(opts)?;
    let idle = opts.pool.div_ceil(count).max(1);
    let lanes = (0..count)
        .map(|_| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the sending engine")?;
            let client = configured!(reqwest::Client::builder(), opts, certificates, idle)
                .build()
                .context("cannot set up the HTTP client")?;
            Ok(Lane { runtime, client })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Clients { lanes })
}

/// One blocking client for all of `opts.pool` (`listen --forward`, the inspector: the sending is
/// not their work).
pub fn client(opts: &ClientOptions) -> anyhow::Result<reqwest::blocking::Client> {
    let certificates = certificates(opts)?;
    configured!(
        reqwest::blocking::Client::builder(),
        opts,
        certificates,
        opts.pool.max(1)
    )
    .build()
    .context("cannot set up the HTTP client")
}

fn certificates(opts: &ClientOptions) -> anyhow::Result<Option<Vec<CertificateDer<'static>>>> {
    opts.cacert.as_deref().map(read_certificates).transpose()
}

fn read_certificates(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .with_context(|| format!("{} is not a PEM certificate bundle", path.display()))?;
    if certs.is_empty() {
        anyhow::bail!(
            "{}: expected PEM certificates (-----BEGIN CERTIFICATE-----), found none",
            path.display()
        );
    }
    Ok(certs)
}
