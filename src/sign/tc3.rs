//! TC3-HMAC-SHA256: the canonical request, the string to sign, the day's
//! signing key and the `Authorization` header.
//!
//! Nothing here allocates: the canonical request and the string to sign are
//! streamed piece by piece into SHA-256 and HMAC, and the header is built in
//! a bounded buffer of [`MAX_AUTHORIZATION`] bytes.

use core::cmp::Ordering;
use core::convert::Infallible;
use core::fmt::{self, Write};

use heapless::String;
use sha2::digest::{KeyInit, Update};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::date::UtcDate;
use super::digits::Decimal;
use super::key_cache::MAX_CACHED_SERVICE;
use super::mac_key::{MacKey, Sha256Stream};
use crate::error::{Error, ErrorKind};

/// The algorithm name that starts the string to sign and the header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The text hashed in place of the body for an unsigned payload, and the
/// value of the `X-TC-Content-SHA256` header that announces it.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Longest `Authorization` header value [`sign`] builds, in bytes.
///
/// Room for a 128-byte secret id, a long service name and a dozen signed
/// headers; a longer value is an [`ErrorKind::Capacity`] error.
pub const MAX_AUTHORIZATION: usize = 512;

/// The last part of every credential scope.
const TERMINATOR: &str = "tc3_request";

/// Lower-case hex length of a SHA-256 digest.
const HEX_LEN: usize = 64;

/// What the canonical request says about the body.
#[derive(Clone, Copy)]
pub enum Payload<'a> {
    /// The exact body bytes (empty for a GET), hashed when signing.
    Bytes(&'a [u8]),
    /// The body's SHA-256, computed ahead, e.g. with [`PayloadHasher`] over
    /// a body too large to hold in memory.
    Hashed(PayloadHash),
    /// `UNSIGNED-PAYLOAD`: the body is not signed; the request must carry
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
    Unsigned,
}

impl Payload<'_> {
    /// The hash that goes into the canonical request.
    pub fn hash(&self) -> PayloadHash {
        match self {
            Self::Bytes(bytes) => PayloadHash::of(bytes),
            Self::Hashed(hash) => *hash,
            Self::Unsigned => PayloadHash::of(UNSIGNED_PAYLOAD.as_bytes()),
        }
    }
}

impl fmt::Debug for Payload<'_> {
    // A body may hold a secret (a web identity token): show its size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Self::Hashed(hash) => write!(f, "Hashed({})", hash.hex()),
            Self::Unsigned => f.write_str("Unsigned"),
        }
    }
}

/// A SHA-256 digest, as TC3 hashes bodies and canonical requests.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayloadHash([u8; 32]);

impl PayloadHash {
    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }

    /// A digest computed elsewhere.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The digest as 64 lower-case hex characters, as TC3 writes it.
    pub fn hex(&self) -> HexDigest {
        HexDigest::of(&self.0)
    }
}

impl fmt::Debug for PayloadHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayloadHash({})", self.hex())
    }
}

/// The two lower-case hex digits of each byte value.
// Evaluated at compile time: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [DIGITS[b >> 4], DIGITS[b & 0xf]];
        b += 1;
    }
    table
};

/// 32 bytes as 64 lower-case hex characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct HexDigest(String<HEX_LEN>);

impl HexDigest {
    fn of(bytes: &[u8; 32]) -> Self {
        let mut text = [0u8; HEX_LEN];
        for (pair, byte) in text.chunks_exact_mut(2).zip(bytes) {
            // A byte always indexes the 256 entries.
            let digits = HEX_PAIRS
                .get(usize::from(*byte))
                .copied()
                .unwrap_or_default();
            pair.copy_from_slice(&digits);
        }
        // Hex digits are ASCII and exactly fill the string, so this cannot fail.
        let mut hex = String::new();
        let _ = hex.push_str(core::str::from_utf8(&text).unwrap_or_default());
        Self(hex)
    }

    /// The hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Hashes a body fed in pieces, for [`Payload::Hashed`].
///
/// Feed it with [`update`](Self::update), `core::fmt::Write` or
/// `embedded_io::Write`, in as many pieces as convenient; the result does not
/// depend on how the body was cut.
#[derive(Clone, Default)]
pub struct PayloadHasher(Sha256);

impl PayloadHasher {
    /// A hasher that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next piece of the body.
    pub fn update(&mut self, bytes: &[u8]) {
        Digest::update(&mut self.0, bytes);
    }

    /// The SHA-256 of everything fed.
    pub fn finish(self) -> PayloadHash {
        PayloadHash(self.0.finalize().into())
    }
}

impl fmt::Debug for PayloadHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PayloadHasher")
    }
}

impl fmt::Write for PayloadHasher {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.update(s.as_bytes());
        Ok(())
    }
}

impl embedded_io::ErrorType for PayloadHasher {
    type Error = Infallible;
}

impl embedded_io::Write for PayloadHasher {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// Everything of a request that TC3 signs.
///
/// `content-type` and `host` are always signed; `extra_signed_headers` adds
/// more. Header names are lower-cased and sorted, values trimmed and
/// lower-cased, as the TC3 documentation prescribes. The same request always
/// gives the same signature.
#[derive(Clone, Copy, Debug)]
pub struct Tc3Request<'a> {
    /// `POST` or `GET`, exactly as sent.
    pub method: &'a str,
    /// The request path; `/` for API 3.0.
    pub path: &'a str,
    /// The canonical query string exactly as sent (already encoded); `""` for POST.
    pub query: &'a str,
    /// The `Host` header value.
    pub host: &'a str,
    /// The `Content-Type` header value, exactly as sent.
    pub content_type: &'a str,
    /// Further headers to sign, e.g. `[("X-TC-Action", "DescribeInstances")]`.
    pub extra_signed_headers: &'a [(&'a str, &'a str)],
    /// The body, its hash, or `UNSIGNED-PAYLOAD`.
    pub payload: Payload<'a>,
    /// The product, e.g. `cvm`: the second part of the credential scope.
    pub service: &'a str,
    /// The `X-TC-Timestamp` value, unix seconds; its UTC day is the scope date.
    pub timestamp: u64,
}

/// The keys of one day and one service, derived from a secret key.
///
/// [`sign`] derives one per request; a caller signing many requests for the
/// same service on the same UTC day may derive it once and use
/// [`sign_with`]. All three keys are secret: `Debug` hides them and they are
/// zeroized on drop.
pub struct SigningKey {
    date: UtcDate,
    service: ServiceTag,
    date_key: [u8; 32],
    service_key: [u8; 32],
    signing_key: [u8; 32],
}

impl SigningKey {
    /// Derives `kDate`, `kService` and `kSigning` for `date` and `service`.
    pub fn derive(secret_key: &str, date: &UtcDate, service: &str) -> Self {
        let date_key = date_key(secret_key, date);
        let service_key = hmac_once(&date_key, service.as_bytes());
        let signing_key = hmac_once(&service_key, TERMINATOR.as_bytes());
        Self {
            date: date.clone(),
            service: ServiceTag::of(service),
            date_key,
            service_key,
            signing_key,
        }
    }

    /// The day this key signs for.
    pub fn date(&self) -> &UtcDate {
        &self.date
    }

    /// True when the key was derived for `date` and `service`.
    pub fn is_for(&self, date: &UtcDate, service: &str) -> bool {
        self.date == *date && self.service.is(service)
    }

    /// `kDate` = HMAC-SHA256(`"TC3"` + secret key, date). Secret.
    pub fn date_key(&self) -> &[u8; 32] {
        &self.date_key
    }

    /// `kService` = HMAC-SHA256(kDate, service). Secret.
    pub fn service_key(&self) -> &[u8; 32] {
        &self.service_key
    }

    /// `kSigning` = HMAC-SHA256(kService, `"tc3_request"`). Secret.
    pub fn signing_key(&self) -> &[u8; 32] {
        &self.signing_key
    }
}

/// Which service a [`SigningKey`] is for: the name, or the hash of a long one.
enum ServiceTag {
    Name(String<MAX_CACHED_SERVICE>),
    Hash(PayloadHash),
}

impl ServiceTag {
    fn of(service: &str) -> Self {
        String::try_from(service).map_or_else(
            |_| Self::Hash(PayloadHash::of(service.as_bytes())),
            Self::Name,
        )
    }

    fn is(&self, service: &str) -> bool {
        match self {
            Self::Name(name) => name == service,
            Self::Hash(hash) => {
                service.len() > MAX_CACHED_SERVICE && *hash == PayloadHash::of(service.as_bytes())
            }
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &self.date)
            .field("keys", &format_args!("<redacted>"))
            .finish()
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.date_key.zeroize();
        self.service_key.zeroize();
        self.signing_key.zeroize();
    }
}

/// A signed `Authorization` header value.
///
/// `Debug` shows the masked secret id, scope and signed headers, never the
/// signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    value: String<MAX_AUTHORIZATION>,
    id_end: usize,
    scope_end: usize,
    headers_start: usize,
    headers_end: usize,
}

impl Authorization {
    /// The whole header value:
    /// `TC3-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<names>, Signature=<hex>`.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The signature: 64 lower-case hex characters.
    pub fn signature(&self) -> &str {
        self.value
            .get(self.value.len().saturating_sub(HEX_LEN)..)
            .unwrap_or_default()
    }

    /// The signed header names, `;`-separated, e.g. `content-type;host`.
    pub fn signed_headers(&self) -> &str {
        self.value
            .get(self.headers_start..self.headers_end)
            .unwrap_or_default()
    }

    /// The credential scope, e.g. `2019-02-25/cvm/tc3_request`.
    pub fn credential_scope(&self) -> &str {
        self.value
            .get(self.id_end + 1..self.scope_end)
            .unwrap_or_default()
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = ALGORITHM.len() + " Credential=".len();
        let id = self.value.get(start..self.id_end).unwrap_or_default();
        f.debug_struct("Authorization")
            .field("secret_id", &format_args!("{}", Masked(id)))
            .field("scope", &self.credential_scope())
            .field("signed_headers", &self.signed_headers())
            .field("signature", &format_args!("<redacted>"))
            .finish()
    }
}

/// A secret id with all but its first and last four characters hidden
/// (hidden entirely below 12 characters), as `Credential` shows it.
pub(crate) struct Masked<'a>(pub(crate) &'a str);

impl fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.chars().count();
        if count < 12 {
            return f.write_str("****");
        }
        for c in self.0.chars().take(4) {
            f.write_char(c)?;
        }
        f.write_str("****")?;
        for c in self.0.chars().skip(count - 4) {
            f.write_char(c)?;
        }
        Ok(())
    }
}

/// Signs `request` with a long-term or temporary key pair.
///
/// Checks the request first (see [`Tc3Request`]): a header name that is not
/// an HTTP token, a header given twice, or a control character in any value
/// is an [`ErrorKind::InvalidInput`] error naming the header; an
/// `Authorization` longer than [`MAX_AUTHORIZATION`] is a capacity error.
pub fn sign(
    secret_id: &str,
    secret_key: &str,
    request: &Tc3Request<'_>,
) -> Result<Authorization, Error> {
    check_secret_id(secret_id)?;
    check(request)?;
    let date = UtcDate::from_unix(request.timestamp);
    let key = signing_mac_key(secret_key, &date, request.service);
    sign_checked(secret_id, &key, &date, request)
}

/// `kSigning` for `date` and `service`, ready to MAC with; what
/// [`SigningKey::derive`] computes, without keeping the steps.
pub(crate) fn signing_mac_key(secret_key: &str, date: &UtcDate, service: &str) -> MacKey {
    let mut date_key = date_key(secret_key, date);
    let mut service_key = hmac_once(&date_key, service.as_bytes());
    let mut signing_key = hmac_once(&service_key, TERMINATOR.as_bytes());
    let key = MacKey::new(&signing_key);
    date_key.zeroize();
    service_key.zeroize();
    signing_key.zeroize();
    key
}

/// Signs `request` with a key derived earlier, for the same day and service.
///
/// A key for another UTC day or another service is an
/// [`ErrorKind::InvalidInput`] error; otherwise as [`sign`].
pub fn sign_with(
    secret_id: &str,
    key: &SigningKey,
    request: &Tc3Request<'_>,
) -> Result<Authorization, Error> {
    check_secret_id(secret_id)?;
    check(request)?;
    let date = UtcDate::from_unix(request.timestamp);
    if !key.is_for(&date, request.service) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "signing key is for another day or service",
        ));
    }
    sign_checked(secret_id, &MacKey::new(key.signing_key()), &date, request)
}

/// Signs a request that [`check`] has passed with the key of its day.
pub(crate) fn sign_checked(
    secret_id: &str,
    key: &MacKey,
    date: &UtcDate,
    request: &Tc3Request<'_>,
) -> Result<Authorization, Error> {
    // Everything but the signature first, so a value too long fails before any hashing.
    let too_long = || Error::capacity("authorization header is too long", MAX_AUTHORIZATION);
    let mut value = String::<MAX_AUTHORIZATION>::new();
    let pieces = [ALGORITHM, " Credential=", secret_id];
    pieces
        .iter()
        .try_for_each(|piece| value.push_str(piece))
        .map_err(|_| too_long())?;
    let id_end = value.len();
    let pieces = ["/", date.as_str(), "/", request.service, "/", TERMINATOR];
    pieces
        .iter()
        .try_for_each(|piece| value.push_str(piece))
        .map_err(|_| too_long())?;
    let scope_end = value.len();
    value.push_str(", SignedHeaders=").map_err(|_| too_long())?;
    let headers_start = value.len();
    let order = HeaderOrder::of(request);
    write_signed_headers(request, &order, &mut value).map_err(|_| too_long())?;
    let headers_end = value.len();
    value.push_str(", Signature=").map_err(|_| too_long())?;
    if value.len() + HEX_LEN > MAX_AUTHORIZATION {
        return Err(too_long());
    }

    let canonical_hash = hash_canonical_request(request, &order);
    let mut mac = key.start();
    write_string_to_sign_unchecked(request, date, &canonical_hash.hex(), &mut mac)
        .map_err(|_| too_long())?;
    let signature = mac.finish();
    value
        .push_str(HexDigest::of(&signature).as_str())
        .map_err(|_| too_long())?;

    Ok(Authorization {
        value,
        id_end,
        scope_end,
        headers_start,
        headers_end,
    })
}

/// Writes the canonical request of `request` into `out`, for tests and
/// debugging a signature mismatch.
///
/// Checks the request as [`sign`] does; a writer that refuses the text is an
/// [`ErrorKind::Capacity`] error.
pub fn write_canonical_request(
    request: &Tc3Request<'_>,
    out: &mut impl fmt::Write,
) -> Result<(), Error> {
    check(request)?;
    let order = HeaderOrder::of(request);
    write_canonical(request, &order, &request.payload.hash().hex(), out).map_err(|_| writer_full())
}

/// The SHA-256 of the canonical request, computed without holding it.
///
/// Checks the request as [`sign`] does.
pub fn canonical_request_hash(request: &Tc3Request<'_>) -> Result<PayloadHash, Error> {
    check(request)?;
    Ok(hash_canonical_request(request, &HeaderOrder::of(request)))
}

/// Writes the string to sign of `request` into `out`: algorithm, timestamp,
/// credential scope and canonical request hash, one per line.
///
/// Checks the request as [`sign`] does; a writer that refuses the text is an
/// [`ErrorKind::Capacity`] error.
pub fn write_string_to_sign(
    request: &Tc3Request<'_>,
    out: &mut impl fmt::Write,
) -> Result<(), Error> {
    check(request)?;
    let date = UtcDate::from_unix(request.timestamp);
    let hash = hash_canonical_request(request, &HeaderOrder::of(request)).hex();
    write_string_to_sign_unchecked(request, &date, &hash, out).map_err(|_| writer_full())
}

fn writer_full() -> Error {
    Error::new(ErrorKind::Capacity, "output does not fit the writer")
}

fn hash_canonical_request(request: &Tc3Request<'_>, order: &HeaderOrder) -> PayloadHash {
    let mut hasher = Sha256Stream::new();
    // Writing into a hasher never fails.
    let _ = write_canonical(request, order, &request.payload.hash().hex(), &mut hasher);
    PayloadHash(hasher.finish())
}

fn write_canonical(
    request: &Tc3Request<'_>,
    order: &HeaderOrder,
    payload_hash: &HexDigest,
    out: &mut impl fmt::Write,
) -> fmt::Result {
    out.write_str(request.method)?;
    out.write_str("\n")?;
    out.write_str(request.path)?;
    out.write_str("\n")?;
    out.write_str(request.query)?;
    out.write_str("\n")?;
    for (name, value) in order.headers(request) {
        write_lower(out, name)?;
        out.write_str(":")?;
        write_lower(out, value.trim_ascii())?;
        out.write_str("\n")?;
    }
    out.write_str("\n")?;
    write_signed_headers(request, order, out)?;
    out.write_str("\n")?;
    out.write_str(payload_hash.as_str())
}

fn write_signed_headers(
    request: &Tc3Request<'_>,
    order: &HeaderOrder,
    out: &mut impl fmt::Write,
) -> fmt::Result {
    for (i, (name, _)) in order.headers(request).enumerate() {
        if i > 0 {
            out.write_str(";")?;
        }
        write_lower(out, name)?;
    }
    Ok(())
}

fn write_string_to_sign_unchecked(
    request: &Tc3Request<'_>,
    date: &UtcDate,
    canonical_hash: &HexDigest,
    out: &mut impl fmt::Write,
) -> fmt::Result {
    let timestamp = Decimal::of(request.timestamp);
    let pieces = [
        ALGORITHM,
        "\n",
        timestamp.as_str(),
        "\n",
        date.as_str(),
        "/",
        request.service,
        "/",
        TERMINATOR,
        "\n",
        canonical_hash.as_str(),
    ];
    pieces.iter().try_for_each(|piece| out.write_str(piece))
}

/// Writes `s` with ASCII upper-case letters lowered, in as few pieces as it can.
fn write_lower(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    // A fold rather than `any`: no early exit, but the compiler vectorizes it.
    let upper = s
        .bytes()
        .fold(false, |upper, b| upper | b.is_ascii_uppercase());
    if !upper {
        return out.write_str(s);
    }
    for c in s.chars() {
        out.write_char(c.to_ascii_lowercase())?;
    }
    Ok(())
}

/// Header `index` of the signed set: content-type, host, then the extra ones.
fn header<'a>(request: &Tc3Request<'a>, index: usize) -> Option<(&'a str, &'a str)> {
    match index {
        0 => Some(("content-type", request.content_type)),
        1 => Some(("host", request.host)),
        _ => request.extra_signed_headers.get(index - 2).copied(),
    }
}

fn header_count(request: &Tc3Request<'_>) -> usize {
    request.extra_signed_headers.len() + 2
}

/// Compares header names as their lower-case forms.
fn cmp_names(a: &str, b: &str) -> Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        let order = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Most signed headers sorted in one go; more are picked one at a time.
const SORTED_AT_ONCE: usize = 16;

/// The order of the signed headers, worked out once per signature.
///
/// Up to [`SORTED_AT_ONCE`] headers are sorted up front by index; beyond
/// that, each step of [`headers`](Self::headers) picks the smallest name
/// after the one before. Names are unique once [`check`] has passed.
struct HeaderOrder {
    index: [u8; SORTED_AT_ONCE],
    at_once: bool,
}

impl HeaderOrder {
    fn of(request: &Tc3Request<'_>) -> Self {
        let count = header_count(request);
        let mut index = [0u8; SORTED_AT_ONCE];
        let at_once = count <= SORTED_AT_ONCE;
        if at_once {
            sort_indices(request, &mut index, count);
        }
        Self { index, at_once }
    }

    /// The signed headers of `request` in canonical order, without allocating.
    fn headers<'r, 'a>(
        &'r self,
        request: &'r Tc3Request<'a>,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'r {
        let count = header_count(request);
        let mut next = 0;
        let mut last: Option<&'a str> = None;
        core::iter::from_fn(move || {
            if self.at_once {
                let index = *self.index.get(..count)?.get(next)?;
                next += 1;
                return header(request, usize::from(index));
            }
            let mut best: Option<(&'a str, &'a str)> = None;
            for index in 0..count {
                let Some((name, value)) = header(request, index) else {
                    continue;
                };
                let after_last = last.is_none_or(|last| cmp_names(name, last) == Ordering::Greater);
                let before_best =
                    best.is_none_or(|(best, _)| cmp_names(name, best) == Ordering::Less);
                if after_last && before_best {
                    best = Some((name, value));
                }
            }
            last = best.map(|(name, _)| name);
            best
        })
    }
}

/// Fills `order[..count]` with header indices in canonical order
/// (an insertion sort: there are only a few).
fn sort_indices(request: &Tc3Request<'_>, order: &mut [u8; SORTED_AT_ONCE], count: usize) {
    let name = |index: u8| header(request, usize::from(index)).map_or("", |(name, _)| name);
    let Some(order) = order.get_mut(..count) else {
        return;
    };
    for end in 0..order.len() {
        // `end` is below SORTED_AT_ONCE, so it fits a u8.
        let mut at = end;
        let current = end as u8;
        while at > 0 {
            let Some(&before) = order.get(at - 1) else {
                break;
            };
            if cmp_names(name(before), name(current)) != Ordering::Greater {
                break;
            }
            if let Some(slot) = order.get_mut(at) {
                *slot = before;
            }
            at -= 1;
        }
        if let Some(slot) = order.get_mut(at) {
            *slot = current;
        }
    }
}

/// Validates everything of `request` that goes into the canonical request.
pub(crate) fn check(request: &Tc3Request<'_>) -> Result<(), Error> {
    let invalid = |message, key| Err(Error::new(ErrorKind::InvalidInput, message).with_key(key));
    if request.method.is_empty() || !request.method.bytes().all(is_token_byte) {
        return invalid("request method is invalid", "method");
    }
    if !request.path.starts_with('/') || request.path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return invalid("request path is invalid", "path");
    }
    if has_control(request.query) {
        return invalid("query string contains a control character", "query");
    }
    if request.service.is_empty()
        || request.service.contains('/')
        || request
            .service
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
    {
        return invalid("service name is invalid", "service");
    }
    for index in 0..header_count(request) {
        let Some((name, value)) = header(request, index) else {
            continue;
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return invalid("header name is invalid", header_key(name));
        }
        if has_control(value) {
            return invalid(
                "header value contains a control character",
                header_key(name),
            );
        }
        let twice = (0..index)
            .filter_map(|before| header(request, before))
            .any(|(other, _)| other.eq_ignore_ascii_case(name));
        if twice {
            return invalid("header is given twice", header_key(name));
        }
    }
    Ok(())
}

pub(crate) fn check_secret_id(secret_id: &str) -> Result<(), Error> {
    // A visible ASCII character settles emptiness without decoding the rest.
    let visible = secret_id.bytes().any(|b| b.is_ascii_graphic());
    if !visible && secret_id.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "secret id should not be none or empty",
        ));
    }
    if has_control(secret_id) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "secret id should not contain control characters",
        ));
    }
    Ok(())
}

/// True for the bytes of an HTTP token (RFC 9110 `tchar`).
fn is_token_byte(b: u8) -> bool {
    TOKEN_BYTES.get(usize::from(b)).copied().unwrap_or(false)
}

/// [`is_token_byte`] as a table: ASCII letters, digits and ``!#$%&'*+-.^_`|~``.
// Evaluated at compile time: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const TOKEN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        b += 1;
    }
    table
};

/// True when `s` holds a control character (`char::is_control`: U+0000 to
/// U+001F and U+007F to U+009F), tested on the UTF-8 bytes.
fn has_control(s: &str) -> bool {
    let bytes = s.as_bytes();
    // The usual case, printable ASCII, as a fold the compiler vectorizes.
    if bytes
        .iter()
        .fold(true, |ok, b| ok & (0x20..0x7f).contains(b))
    {
        return false;
    }
    let c1 = |i: usize| {
        bytes
            .get(i + 1)
            .is_some_and(|next| (0x80..=0x9f).contains(next))
    };
    // In UTF-8, U+0080 to U+009F are 0xC2 followed by 0x80 to 0x9F.
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b < 0x20 || b == 0x7f || (b == 0xc2 && c1(i)))
}

/// The name an error uses for a header: its canonical name when it is one
/// this crate knows, else a general one (error context holds only static text).
pub(crate) fn header_key(name: &str) -> &'static str {
    const KNOWN: [&str; 11] = [
        "content-type",
        "host",
        "authorization",
        "x-tc-action",
        "x-tc-timestamp",
        "x-tc-version",
        "x-tc-region",
        "x-tc-token",
        "x-tc-language",
        "x-tc-requestclient",
        "x-tc-content-sha256",
    ];
    KNOWN
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(name))
        .unwrap_or("extra signed header")
}

/// `kDate` = HMAC-SHA256(`"TC3"` + secret key, date), without joining the two.
///
/// HMAC pads a key of up to one block (64 bytes) with zeros, and first hashes
/// a longer one; doing the same here gives the very same MAC while the joined
/// key lives only in a zeroized block.
fn date_key(secret_key: &str, date: &UtcDate) -> [u8; 32] {
    const PREFIX: &[u8] = b"TC3";
    let mut block = [0u8; 64];
    let (head, rest) = block.split_at_mut(PREFIX.len());
    if let Some(slots) = rest.get_mut(..secret_key.len()) {
        head.copy_from_slice(PREFIX);
        slots.copy_from_slice(secret_key.as_bytes());
    } else {
        let mut hasher = Sha256::new();
        Digest::update(&mut hasher, PREFIX);
        Digest::update(&mut hasher, secret_key.as_bytes());
        let mut digest: [u8; 32] = hasher.finalize().into();
        for (slot, byte) in block.iter_mut().zip(digest.iter()) {
            *slot = *byte;
        }
        digest.zeroize();
    }
    let key = MacKey::from_block(&block).mac(date.as_str().as_bytes());
    block.zeroize();
    key
}

/// A MAC keyed with `key`, for the legacy signature.
// TODO: the MAC's inner and outer pads (derived from the key) are not zeroized
// when it is dropped: hmac 0.12 offers no zeroize support. TC3 does not use
// it (see `MacKey`).
pub(crate) fn keyed<M: KeyInit>(key: &[u8]) -> M {
    // HMAC takes a key of any length, so the fallback is never used.
    match M::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => M::new(&Default::default()),
    }
}

/// HMAC-SHA256 of `message` under a 32-byte derived key.
fn hmac_once(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    MacKey::new(key).mac(message)
}

/// Feeds text written with `core::fmt` into a hash or MAC.
pub(crate) struct Feed<U>(pub(crate) U);

impl<U: Update> fmt::Write for Feed<U> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, Mac};

    extern crate std;
    use std::format;
    use std::string::{String, ToString};

    fn request(extra: &'static [(&'static str, &'static str)]) -> Tc3Request<'static> {
        Tc3Request {
            method: "POST",
            path: "/",
            query: "",
            host: "cvm.tencentcloudapi.com",
            content_type: "application/json",
            extra_signed_headers: extra,
            payload: Payload::Bytes(b"{}"),
            service: "cvm",
            timestamp: 1_551_113_065,
        }
    }

    fn canonical(request: &Tc3Request<'_>) -> String {
        let mut out = String::new();
        write_canonical_request(request, &mut out).unwrap();
        out
    }

    #[test]
    fn headers_are_sorted_lowered_and_trimmed() {
        let text = canonical(&request(&[("X-TC-Zed", "  Last "), ("Accept", "A/B")]));
        assert_eq!(
            text,
            "POST\n/\n\naccept:a/b\ncontent-type:application/json\n\
             host:cvm.tencentcloudapi.com\nx-tc-zed:last\n\n\
             accept;content-type;host;x-tc-zed\n\
             44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn duplicate_names_are_found_in_any_case() {
        let e = canonical_request_hash(&request(&[("Host", "x")])).unwrap_err();
        assert_eq!(e.to_string(), "header is given twice (key host)");
        let e = canonical_request_hash(&request(&[("a", "1"), ("A", "2")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "header is given twice (key extra signed header)"
        );
    }

    #[test]
    fn invalid_parts_are_named() {
        let cases: [(Tc3Request<'static>, &str); 8] = [
            (
                Tc3Request {
                    method: "",
                    ..request(&[])
                },
                "request method is invalid (key method)",
            ),
            (
                Tc3Request {
                    method: "PO ST",
                    ..request(&[])
                },
                "request method is invalid (key method)",
            ),
            (
                Tc3Request {
                    path: "",
                    ..request(&[])
                },
                "request path is invalid (key path)",
            ),
            (
                Tc3Request {
                    query: "a=1\r\n",
                    ..request(&[])
                },
                "query string contains a control character (key query)",
            ),
            (
                Tc3Request {
                    service: "c/vm",
                    ..request(&[])
                },
                "service name is invalid (key service)",
            ),
            (
                Tc3Request {
                    host: "h\n",
                    ..request(&[])
                },
                "header value contains a control character (key host)",
            ),
            (
                request(&[("X-TC-Action", "A\0")]),
                "header value contains a control character (key x-tc-action)",
            ),
            (
                request(&[("bad name", "v")]),
                "header name is invalid (key extra signed header)",
            ),
        ];
        for (request, expected) in cases {
            let e = canonical_request_hash(&request).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert_eq!(e.to_string(), expected);
        }
    }

    #[test]
    fn long_secret_keys_sign_as_hmac_defines() {
        // Keys past one HMAC block take the hashed path of `date_key`.
        let date = UtcDate::from_unix(0);
        for len in [0, 1, 60, 61, 62, 100, 300] {
            let secret: String = "k".repeat(len);
            let joined = format!("TC3{secret}");
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(joined.as_bytes()).unwrap();
            Mac::update(&mut mac, b"1970-01-01");
            let expected: [u8; 32] = mac.finalize().into_bytes().into();
            assert_eq!(date_key(&secret, &date), expected, "{len}");
        }
    }

    #[test]
    fn a_key_signs_only_its_day_and_service() {
        let key = SigningKey::derive("k", &UtcDate::from_unix(1_551_113_065), "cvm");
        assert!(sign_with("AKIDexample", &key, &request(&[])).is_ok());
        let next_day = Tc3Request {
            timestamp: 1_551_113_065 + 86_400,
            ..request(&[])
        };
        let e = sign_with("AKIDexample", &key, &next_day).unwrap_err();
        assert_eq!(e.to_string(), "signing key is for another day or service");
        let other = Tc3Request {
            service: "sts",
            ..request(&[])
        };
        assert!(sign_with("AKIDexample", &key, &other).is_err());
        assert_eq!(
            format!("{key:?}"),
            "SigningKey { date: UtcDate(2019-02-25), keys: <redacted> }"
        );
    }

    #[test]
    fn long_service_names_are_told_apart() {
        // Names past MAX_CACHED_SERVICE are kept as a hash.
        let long = "s".repeat(MAX_CACHED_SERVICE + 1);
        let other = "s".repeat(MAX_CACHED_SERVICE) + "t";
        let date = UtcDate::from_unix(1_551_113_065);
        let key = SigningKey::derive("k", &date, &long);
        assert!(key.is_for(&date, &long));
        assert!(!key.is_for(&date, &other));
        assert!(!key.is_for(&date, "s"));
        let short = SigningKey::derive("k", &date, "cvm");
        assert!(short.is_for(&date, "cvm"));
        assert!(!short.is_for(&date, &long));
    }

    #[test]
    fn control_characters_are_found_in_utf8() {
        let cases = [
            ("plain text", false),
            ("tab\there", true),
            ("del\u{7f}", true),
            ("c1\u{80}", true),
            ("c1\u{9f}", true),
            ("after c1\u{a0}", false),
            ("\u{100}\u{c280}", false),
            ("北京 héllo 😀", false),
        ];
        for (text, control) in cases {
            assert_eq!(has_control(text), control, "{text:?}");
            assert_eq!(text.chars().any(char::is_control), control, "{text:?}");
        }
    }

    #[test]
    fn many_headers_sort_like_few() {
        // 20 headers take the one-at-a-time path; both paths give the same order.
        let names: std::vec::Vec<String> = (0..20).rev().map(|i| format!("X-H{i:02}")).collect();
        let extra: std::vec::Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
        let text = canonical(&Tc3Request {
            extra_signed_headers: &extra,
            ..request(&[])
        });
        let signed = text.lines().nth(26).unwrap();
        let mut expected = std::vec!["content-type".to_string(), "host".to_string()];
        expected.extend((0..20).map(|i| format!("x-h{i:02}")));
        assert_eq!(signed, expected.join(";"));
        let few = canonical(&request(&[("X-B", "2"), ("x-a", "1"), ("Accept", "3")]));
        assert!(
            few.contains("\n\naccept;content-type;host;x-a;x-b\n"),
            "{few}"
        );
    }

    #[test]
    fn secret_id_is_checked() {
        let e = sign("", "k", &request(&[])).unwrap_err();
        assert_eq!(e.to_string(), "secret id should not be none or empty");
        let e = sign("AKID\r\n", "k", &request(&[])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "secret id should not contain control characters"
        );
    }

    #[test]
    fn masking_follows_the_credential_rule() {
        assert_eq!(Masked("AKIDabcdefgh12345678").to_string(), "AKID****5678");
        assert_eq!(Masked("AKID1234567").to_string(), "****");
    }
}
