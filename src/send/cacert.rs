//! `--cacert` as `curl --cacert` reads it. The file's certificates are extra roots; and a
//! certificate that is the server's own (a self-signed `openssl req -x509`, which says CA:TRUE)
//! is accepted as the server's certificate too, which is what users make for a staging endpoint.
//! webpki refuses a CA certificate as an end entity (`CaUsedAsEndEntity`); this verifier accepts
//! exactly that case, only when the server presented byte for byte a `--cacert` certificate, and
//! still checks its name, its validity dates and the handshake signature made with its key.
//! Everything else is the platform verifier's (reqwest's own) verdict, unchanged.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, OtherError, SignatureScheme};

#[derive(Debug)]
struct Verifier {
    inner: rustls_platform_verifier::Verifier,
    pinned: Vec<CertificateDer<'static>>,
}

/// The TLS setup of a client given `--cacert` certificates (DER).
pub(super) fn tls_config(
    certs: Vec<CertificateDer<'static>>,
) -> anyhow::Result<rustls::ClientConfig> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let inner =
        rustls_platform_verifier::Verifier::new_with_extra_roots(certs.clone(), provider.clone())?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Verifier {
            inner,
            pinned: certs,
        }))
        .with_no_client_auth();
    // reqwest is built without HTTP/2: offer what it speaks.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn ca_used_as_end_entity(e: &Error) -> bool {
    match e {
        Error::InvalidCertificate(CertificateError::Other(OtherError(why))) => {
            why.downcast_ref::<webpki::Error>() == Some(&webpki::Error::CaUsedAsEndEntity)
        }
        _ => false,
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let refused = match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => return Ok(verified),
            Err(e) => e,
        };
        if !ca_used_as_end_entity(&refused)
            || !self
                .pinned
                .iter()
                .any(|c| c.as_ref() == end_entity.as_ref())
        {
            return Err(refused);
        }
        let (not_before, not_after) =
            validity(end_entity).ok_or(Error::InvalidCertificate(CertificateError::BadEncoding))?;
        let now = now.as_secs() as i64;
        if now < not_before {
            return Err(Error::InvalidCertificate(CertificateError::NotValidYet));
        }
        if now > not_after {
            return Err(Error::InvalidCertificate(CertificateError::Expired));
        }
        webpki::EndEntityCert::try_from(end_entity)
            .map_err(|_| Error::InvalidCertificate(CertificateError::BadEncoding))?
            .verify_is_valid_for_subject_name(server_name)
            .map_err(|_| Error::InvalidCertificate(CertificateError::NotValidForName))?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// One DER element: its tag, its contents and what follows it.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81..=0x84 => {
            let n = usize::from(first - 0x80);
            let len = rest
                .get(..n)?
                .iter()
                .fold(0, |l, b| l << 8 | usize::from(*b));
            (len, &rest[n..])
        }
        _ => return None,
    };
    Some((tag, rest.get(..len)?, rest.get(len..)?))
}

/// A certificate's notBefore and notAfter, in epoch seconds (RFC 5280 4.1.2.5).
fn validity(cert: &CertificateDer<'_>) -> Option<(i64, i64)> {
    let (_, certificate, _) = element(cert.as_ref())?;
    let (_, mut tbs, _) = element(certificate)?;
    if tbs.first() == Some(&0xa0) {
        tbs = element(tbs)?.2; // the explicit version
    }
    let after_serial = element(tbs)?.2;
    let after_algorithm = element(after_serial)?.2;
    let after_issuer = element(after_algorithm)?.2;
    let (_, validity, _) = element(after_issuer)?;
    let (tag_from, from, rest) = element(validity)?;
    let (tag_until, until, _) = element(rest)?;
    Some((time(tag_from, from)?, time(tag_until, until)?))
}

/// UTCTime `YYMMDDHHMMSSZ` (years 1950 to 2049) or GeneralizedTime `YYYYMMDDHHMMSSZ`.
fn time(tag: u8, text: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(text).ok()?.strip_suffix('Z')?;
    let full = match (tag, text.len()) {
        (0x17, 12) => {
            let yy: u32 = text[..2].parse().ok()?;
            format!("{}{text}", if yy < 50 { "20" } else { "19" })
        }
        (0x18, 14) => text.to_string(),
        _ => return None,
    };
    if !full.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}+00:00",
        &full[..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    );
    crate::timestamp::parse(&iso).map(|s| s.epoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_time_spellings_of_a_certificate() {
        // 2026-04-09 07:24:22 UTC.
        assert_eq!(time(0x17, b"260409072422Z"), Some(1_775_719_462));
        assert_eq!(time(0x18, b"20260409072422Z"), Some(1_775_719_462));
        assert_eq!(time(0x17, b"500101000000Z"), time(0x18, b"19500101000000Z"));
        assert_eq!(time(0x17, b"2604090724Z"), None);
        assert_eq!(time(0x18, b"20260409072422+0530"), None);
    }
}
