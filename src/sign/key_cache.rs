//! [`KeyCache`]: TC3 signing that derives the day's key once, not per request.

use core::fmt;

use heapless::String;
use zeroize::Zeroize;

use super::date::UtcDate;
use super::mac_key::MacKey;
use super::tc3::{self, Authorization, Tc3Request};
use crate::error::Error;
use crate::limits;

/// Longest service name whose key a [`KeyCache`] keeps, in bytes.
///
/// A request for a longer service name is signed correctly, but its key is
/// derived each time.
pub const MAX_CACHED_SERVICE: usize = 32;

/// Seconds in a UTC day: a key signs for one.
const DAY: u64 = 86_400;

/// Signs TC3 requests, keeping the last signing key between them.
///
/// The TC3 signing key depends only on the secret key, the UTC day and the
/// service, and deriving it costs three HMACs. `KeyCache` keeps the one key
/// it derived last (as HMAC states ready for the final MAC) and uses it again
/// while secret key, day and service stay the same, so a repeated signature
/// costs only the hashing of the request itself. Signatures are exactly
/// those of [`tc3::sign`].
///
/// It holds one key, in place (no allocation), and a copy of the secret key
/// it was derived from (up to [`limits::SECRET_KEY`] bytes; a longer key is
/// never kept). Both are secret: `Debug` shows only the day and the service,
/// and both are zeroized when replaced, cleared or dropped. Keep one per
/// thread or behind a lock: signing needs `&mut self`.
#[derive(Default)]
pub struct KeyCache {
    slot: Option<Slot>,
}

/// The key kept, and what it was derived for.
struct Slot {
    secret_key: String<{ limits::SECRET_KEY }>,
    day: u64,
    date: UtcDate,
    service: String<MAX_CACHED_SERVICE>,
    key: MacKey,
}

impl Slot {
    fn is_for(&self, secret_key: &str, day: u64, service: &str) -> bool {
        self.day == day && self.service == service && same_secret(&self.secret_key, secret_key)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.secret_key.zeroize();
    }
}

impl KeyCache {
    /// An empty cache: the first signature derives a key.
    pub const fn new() -> Self {
        Self { slot: None }
    }

    /// Signs `request` as [`tc3::sign`] does, reusing the key kept when it
    /// was derived for the same secret key, UTC day and service.
    ///
    /// Errors are those of [`tc3::sign`]; a failed request leaves the key
    /// kept as it was.
    pub fn sign(
        &mut self,
        secret_id: &str,
        secret_key: &str,
        request: &Tc3Request<'_>,
    ) -> Result<Authorization, Error> {
        tc3::check_secret_id(secret_id)?;
        tc3::check(request)?;

        let day = request.timestamp / DAY;
        let kept = self.slot.as_ref();
        if let Some(slot) = kept.filter(|slot| slot.is_for(secret_key, day, request.service)) {
            return tc3::sign_checked(secret_id, &slot.key, &slot.date, request);
        }

        let date = UtcDate::from_unix(request.timestamp);
        let key = tc3::signing_mac_key(secret_key, &date, request.service);
        let signed = tc3::sign_checked(secret_id, &key, &date, request);
        let kept = (
            String::try_from(secret_key),
            String::try_from(request.service),
        );
        self.slot = match kept {
            (Ok(secret_key), Ok(service)) => Some(Slot {
                secret_key,
                day,
                date,
                service,
                key,
            }),
            // Too long to keep: the next request derives again.
            _ => None,
        };
        signed
    }

    /// Forgets the key kept (and zeroizes it), e.g. after the credential rotated.
    pub fn clear(&mut self) {
        self.slot = None;
    }

    /// True when a key is kept.
    pub fn is_warm(&self) -> bool {
        self.slot.is_some()
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("KeyCache");
        match &self.slot {
            Some(slot) => s
                .field("date", &slot.date)
                .field("service", &slot.service.as_str())
                .field("key", &format_args!("<redacted>")),
            None => s.field("key", &format_args!("None")),
        };
        s.finish()
    }
}

/// Compares two secret keys in time that depends only on their lengths.
fn same_secret(kept: &str, given: &str) -> bool {
    kept.len() == given.len()
        && kept
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::tc3::{sign, Payload};

    extern crate std;
    use std::format;
    use std::string::ToString;

    const T: u64 = 1_551_113_065;

    /// The body of the TC3 documentation's example; the escapes are literal.
    const DOCUMENTED_BODY: &str = concat!(
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "#,
        r#""Name": "instance-name"}]}"#
    );

    fn request(service: &'static str, timestamp: u64) -> Tc3Request<'static> {
        Tc3Request {
            method: "POST",
            path: "/",
            query: "",
            host: "cvm.tencentcloudapi.com",
            content_type: "application/json",
            extra_signed_headers: &[],
            payload: Payload::Bytes(b"{\"Limit\":1}"),
            service,
            timestamp,
        }
    }

    #[test]
    fn signs_exactly_as_sign_does_across_keys_days_and_services() {
        // Each step changes one input: every signature must still match.
        let long_service: &'static str = "s".repeat(MAX_CACHED_SERVICE + 1).leak();
        let long_key = "k".repeat(limits::SECRET_KEY + 1);
        let steps: [(&str, Tc3Request<'static>, bool); 9] = [
            ("key-a", request("cvm", T), true),
            ("key-a", request("cvm", T + 10), true),
            ("key-b", request("cvm", T + 10), true),
            ("key-b", request("cvm", T + DAY), true),
            ("key-b", request("sts", T + DAY), true),
            ("key-bb", request("sts", T + DAY), true),
            ("key-bb", request(long_service, T), false),
            (&long_key, request("cvm", T), false),
            ("key-a", request("cvm", T), true),
        ];
        let mut cache = KeyCache::new();
        for (i, (secret_key, request, kept)) in steps.iter().enumerate() {
            let got = cache.sign("AKIDexample", secret_key, request).unwrap();
            let expected = sign("AKIDexample", secret_key, request).unwrap();
            assert_eq!(got.as_str(), expected.as_str(), "step {i}");
            assert_eq!(cache.is_warm(), *kept, "step {i}");
        }
    }

    #[test]
    fn matches_the_documented_vector() {
        // The example of the TC3 documentation (2019-02-25, cvm).
        let request = Tc3Request {
            content_type: "application/json; charset=utf-8",
            payload: Payload::Bytes(DOCUMENTED_BODY.as_bytes()),
            ..request("cvm", T)
        };
        let mut cache = KeyCache::new();
        for _ in 0..2 {
            let signed = cache
                .sign(
                    "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
                    "Gu5t9xGARNpq86cd98joQYCN3*******",
                    &request,
                )
                .unwrap();
            assert_eq!(
                signed.signature(),
                "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
            );
        }
    }

    #[test]
    fn a_rejected_request_keeps_the_key_and_names_the_problem() {
        let mut cache = KeyCache::new();
        cache
            .sign("AKIDexample", "key", &request("cvm", T))
            .unwrap();
        let bad = Tc3Request {
            method: "",
            ..request("cvm", T)
        };
        let e = cache.sign("AKIDexample", "key", &bad).unwrap_err();
        assert_eq!(e.to_string(), "request method is invalid (key method)");
        let e = cache.sign("", "key", &request("cvm", T)).unwrap_err();
        assert_eq!(e.to_string(), "secret id should not be none or empty");
        assert!(cache.is_warm());
        cache.clear();
        assert!(!cache.is_warm());
    }

    #[test]
    fn debug_shows_day_and_service_only() {
        let mut cache = KeyCache::new();
        assert_eq!(format!("{cache:?}"), "KeyCache { key: None }");
        cache
            .sign("AKIDexample", "s3cr3tKEY", &request("cvm", T))
            .unwrap();
        let shown = format!("{cache:?}");
        assert_eq!(
            shown,
            "KeyCache { date: UtcDate(2019-02-25), service: \"cvm\", key: <redacted> }"
        );
        assert!(!shown.contains("s3cr3tKEY"));
    }

    #[test]
    fn secrets_compare_whole() {
        let cases = [
            ("abc", "abc", true),
            ("abc", "abd", false),
            ("abc", "ab", false),
            ("", "", true),
        ];
        for (a, b, same) in cases {
            assert_eq!(same_secret(a, b), same, "{a} {b}");
        }
    }
}
