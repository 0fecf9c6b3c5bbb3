//! Who may use the inspector: a request must carry the random token (`?token=`, the
//! `X-Servetel-Token` header, or the cookie the page gets with it), name the inspector itself
//! as its Host (a DNS-rebinding page names its own host name), and, when a browser says where
//! it comes from, come from the inspector's own origin (a page elsewhere cannot replay).

use std::io::Read;

pub const TOKEN_HEADER: &str = "X-Servetel-Token";

/// Why a request is refused: its status and a one-line reason.
pub type Refusal = (u16, &'static str);

pub struct Guard {
    token: String,
    port: u16,
}

impl Guard {
    pub fn new(port: u16) -> Guard {
        Guard {
            token: random_token(),
            port,
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The cookie the page is given, named for the port: browsers send a host's cookies to all
    /// its ports.
    pub fn cookie_name(&self) -> String {
        format!("servetel_inspect_{}", self.port)
    }

    pub fn set_cookie(&self) -> String {
        format!(
            "{}={}; Path=/; HttpOnly; SameSite=Strict",
            self.cookie_name(),
            self.token
        )
    }

    /// Host and Origin first (they say nothing of the token), then the token.
    pub fn check(&self, request: &tiny_http::Request) -> Result<(), Refusal> {
        let header = |name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_string())
        };
        let host = header("Host").unwrap_or_default();
        if !self.is_own_host(&host) {
            return Err((
                403,
                "the Host is not the inspector's own (a page on another host name)",
            ));
        }
        if let Some(origin) = header("Origin") {
            if origin != format!("http://{host}") {
                return Err((
                    403,
                    "the Origin is not the inspector's own (a page elsewhere)",
                ));
            }
        }
        let given = query_token(request.url())
            .or_else(|| header(TOKEN_HEADER))
            .or_else(|| header("Cookie").and_then(|c| self.cookie_token(&c)));
        match given {
            None => Err((401, "the inspector needs its token: open the printed URL")),
            Some(t) if same(t.as_bytes(), self.token.as_bytes()) => Ok(()),
            Some(_) => Err((403, "wrong token: open the URL the inspector printed")),
        }
    }

    /// `localhost` or an IP address, with the inspector's port: a host name could point at
    /// this machine by a DNS answer an attacker controls.
    fn is_own_host(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        port.parse() == Ok(self.port)
            && (name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok())
    }

    fn cookie_token(&self, cookies: &str) -> Option<String> {
        let name = self.cookie_name();
        cookies.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }
}

fn query_token(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// Compared in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 bits from the OS, as hex; the clock only where there is no /dev/urandom.
fn random_token() -> String {
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        let a = crate::synth::random_seed().to_le_bytes();
        let b = crate::synth::random_seed().rotate_left(17).to_le_bytes();
        bytes[..8].copy_from_slice(&a);
        bytes[8..].copy_from_slice(&b);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_and_ip_addresses_with_the_port_are_its_own_host() {
        let g = Guard::new(4040);
        for ok in [
            "127.0.0.1:4040",
            "localhost:4040",
            "[::1]:4040",
            "192.168.1.5:4040",
        ] {
            assert!(g.is_own_host(ok), "{ok}");
        }
        for bad in ["evil.example:4040", "127.0.0.1:8080", "127.0.0.1", ""] {
            assert!(!g.is_own_host(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_are_random_and_read_from_query_and_cookie() {
        let g = Guard::new(1);
        assert_eq!(g.token().len(), 32);
        assert_ne!(g.token(), Guard::new(1).token());
        assert_eq!(query_token("/api?x=1&token=ab").as_deref(), Some("ab"));
        let cookie = format!("a=b; servetel_inspect_1={}", g.token());
        assert_eq!(g.cookie_token(&cookie).as_deref(), Some(g.token()));
        assert!(!same(b"abc", b"abd") && same(b"abc", b"abc"));
    }
}
