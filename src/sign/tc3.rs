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
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::date::UtcDate;
use super::digits::Decimal;
use super::key_cache::MAX_CACHED_SERVICE;
use super::mac_key::{copy_short, MacKey, MacStream, Sha256Compress, Sha256Stream};
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

/// How the `Authorization` value starts: the algorithm and `Credential=`.
const CREDENTIAL_PREFIX: &[u8] = b"TC3-HMAC-SHA256 Credential=";

/// The first line of the string to sign: the algorithm.
const ALGORITHM_LINE: &[u8] = b"TC3-HMAC-SHA256\n";

/// Bodies up to this size are hashed with this crate's SHA-256 stream,
/// which costs less to start and finish; longer ones with `sha2`, which
/// hashes many blocks in one call.
const SHORT_BODY: usize = 512;

/// The SHA-256 of an empty body (a GET's), known ahead.
const EMPTY_HASH: PayloadHash = PayloadHash([
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
]);

/// The SHA-256 of `UNSIGNED-PAYLOAD`, known ahead.
const UNSIGNED_PAYLOAD_HASH: PayloadHash = PayloadHash([
    0x43, 0x8d, 0x41, 0x09, 0xef, 0x0d, 0x67, 0x6b, 0x8c, 0x2c, 0x7e, 0xd1, 0x3c, 0xdf, 0xcb, 0x41,
    0x8e, 0x49, 0x4d, 0x53, 0xb8, 0x43, 0xd4, 0x63, 0x4c, 0xe3, 0xb1, 0x08, 0x5f, 0x07, 0xbb, 0x96,
]);

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
            Self::Unsigned => UNSIGNED_PAYLOAD_HASH,
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
        if bytes.is_empty() {
            return EMPTY_HASH;
        }
        if bytes.len() <= SHORT_BODY {
            let mut hasher = Sha256Stream::new();
            hasher.update(bytes);
            return Self(hasher.finish());
        }
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

/// 32 bytes as 64 lower-case hex digits (ASCII).
fn hex(bytes: &[u8; 32]) -> [u8; HEX_LEN] {
    let mut text = [0u8; HEX_LEN];
    // Four bytes at a time, their eight digits stored as one word.
    for (out, four) in text.chunks_exact_mut(8).zip(bytes.chunks_exact(4)) {
        let mut word = 0u64;
        for (shift, byte) in (0..64).step_by(16).zip(four) {
            // A byte always indexes the 256 entries.
            let digits = HEX_PAIRS
                .get(usize::from(*byte))
                .copied()
                .unwrap_or_default();
            word |= u64::from(u16::from_le_bytes(digits)) << shift;
        }
        out.copy_from_slice(&word.to_le_bytes());
    }
    text
}

impl HexDigest {
    fn of(bytes: &[u8; 32]) -> Self {
        // Hex digits are ASCII and exactly fill the string, so this cannot fail.
        let mut hex_text = String::new();
        let _ = hex_text.push_str(core::str::from_utf8(&hex(bytes)).unwrap_or_default());
        Self(hex_text)
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
        self.date_key.as_mut_slice().zeroize();
        self.service_key.as_mut_slice().zeroize();
        self.signing_key.as_mut_slice().zeroize();
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
        let start = CREDENTIAL_PREFIX.len();
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
    // Slices, not arrays: a slice is cleared in one fill, an array a byte at a time.
    date_key.as_mut_slice().zeroize();
    service_key.as_mut_slice().zeroize();
    signing_key.as_mut_slice().zeroize();
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
    let order = HeaderOrder::of(request);
    let mut value = Value::new();
    let marks = write_head(&mut value, secret_id, date, request, &order).map_err(|_| too_long())?;
    if value.len + HEX_LEN > MAX_AUTHORIZATION {
        return Err(too_long());
    }

    // The canonical request takes the signed header names as the value has them.
    let signed = value.get(marks.headers_start..marks.headers_end);
    let canonical_hash = hex(&hash_canonical_request(request, &order, Some(signed)).0);

    let mut mac = key.start();
    let scope = value.get(marks.id_end + 1..marks.scope_end);
    let _ = write_string_to_sign_to(&mut mac, request.timestamp, &[scope], &canonical_hash);
    let signature = mac.finish();
    value.put(&hex(&signature)).map_err(|_| too_long())?;

    // Every piece was UTF-8, cut at character boundaries, so this cannot fail.
    let text = core::str::from_utf8(value.get(..value.len)).map_err(|_| too_long())?;
    Ok(Authorization {
        value: String::try_from(text).map_err(|_| too_long())?,
        id_end: marks.id_end,
        scope_end: marks.scope_end,
        headers_start: marks.headers_start,
        headers_end: marks.headers_end,
    })
}

/// Where the parts of an `Authorization` value end, as [`write_head`] wrote them.
struct Marks {
    id_end: usize,
    scope_end: usize,
    headers_start: usize,
    headers_end: usize,
}

/// Writes the `Authorization` value up to `Signature=`.
fn write_head(
    value: &mut Value,
    secret_id: &str,
    date: &UtcDate,
    request: &Tc3Request<'_>,
    order: &HeaderOrder,
) -> Result<Marks, fmt::Error> {
    value.put(CREDENTIAL_PREFIX)?;
    value.put(secret_id.as_bytes())?;
    let id_end = value.len;
    value.put(b"/")?;
    value.put(date.as_bytes())?;
    value.put(b"/")?;
    value.put(request.service.as_bytes())?;
    value.put(b"/")?;
    value.put(TERMINATOR.as_bytes())?;
    let scope_end = value.len;
    value.put(b", SignedHeaders=")?;
    let headers_start = value.len;
    write_signed_headers(request, order, value)?;
    let headers_end = value.len;
    value.put(b", Signature=")?;
    Ok(Marks {
        id_end,
        scope_end,
        headers_start,
        headers_end,
    })
}

/// The `Authorization` value as it is built: bytes in place, made a `str`
/// once at the end.
struct Value {
    bytes: [u8; MAX_AUTHORIZATION],
    len: usize,
}

impl Value {
    fn new() -> Self {
        Self {
            bytes: [0; MAX_AUTHORIZATION],
            len: 0,
        }
    }

    /// The bytes written at `range` (empty for a range never written).
    fn get(&self, range: impl core::slice::SliceIndex<[u8], Output = [u8]>) -> &[u8] {
        self.bytes.get(range).unwrap_or_default()
    }
}

/// Where the canonical request, the string to sign and the signed header
/// list go: a hash, a MAC, the `Authorization` value, or any `fmt::Write`.
trait Sink {
    /// Writes `bytes`: a whole `str`, ASCII, or a part of a `str` cut at
    /// character boundaries.
    fn put(&mut self, bytes: &[u8]) -> fmt::Result;
}

impl Sink for Sha256Stream {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        self.update(bytes);
        Ok(())
    }
}

impl Sink for MacStream {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        self.update(bytes);
        Ok(())
    }
}

impl Sink for Value {
    /// Fails when the value would pass [`MAX_AUTHORIZATION`].
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        let end = self.len + bytes.len();
        let slots = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        copy_short(slots, bytes);
        self.len = end;
        Ok(())
    }
}

/// A `fmt::Write` as a [`Sink`], for the text the public functions write.
struct Text<'w, W: ?Sized>(&'w mut W);

impl<W: fmt::Write + ?Sized> Sink for Text<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        self.0
            .write_str(core::str::from_utf8(bytes).map_err(|_| fmt::Error)?)
    }
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
    let payload_hash = hex(request.payload.hash().as_bytes());
    write_canonical(request, &order, &payload_hash, None, &mut Text(out)).map_err(|_| writer_full())
}

/// The SHA-256 of the canonical request, computed without holding it.
///
/// Checks the request as [`sign`] does.
pub fn canonical_request_hash(request: &Tc3Request<'_>) -> Result<PayloadHash, Error> {
    check(request)?;
    Ok(hash_canonical_request(
        request,
        &HeaderOrder::of(request),
        None,
    ))
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
    let hash = hash_canonical_request(request, &HeaderOrder::of(request), None);
    let scope = [
        date.as_bytes(),
        b"/",
        request.service.as_bytes(),
        b"/",
        TERMINATOR.as_bytes(),
    ];
    write_string_to_sign_to(&mut Text(out), request.timestamp, &scope, &hex(&hash.0))
        .map_err(|_| writer_full())
}

fn writer_full() -> Error {
    Error::new(ErrorKind::Capacity, "output does not fit the writer")
}

/// The SHA-256 of the canonical request; `signed` as for [`write_canonical`].
fn hash_canonical_request(
    request: &Tc3Request<'_>,
    order: &HeaderOrder,
    signed: Option<&[u8]>,
) -> PayloadHash {
    let mut hasher = Sha256Stream::new();
    let payload_hash = hex(request.payload.hash().as_bytes());
    // Writing into a hasher never fails.
    let _ = write_canonical(request, order, &payload_hash, signed, &mut hasher);
    PayloadHash(hasher.finish())
}

/// Writes the canonical request; `signed` is the signed header list when
/// it was written already (as [`write_signed_headers`] writes it).
fn write_canonical(
    request: &Tc3Request<'_>,
    order: &HeaderOrder,
    payload_hash: &[u8; HEX_LEN],
    signed: Option<&[u8]>,
    out: &mut impl Sink,
) -> fmt::Result {
    out.put(request.method.as_bytes())?;
    out.put(b"\n")?;
    out.put(request.path.as_bytes())?;
    out.put(b"\n")?;
    out.put(request.query.as_bytes())?;
    out.put(b"\n")?;
    for (name, value) in order.headers(request) {
        put_lower(out, name)?;
        out.put(b":")?;
        put_lower(out, value.trim_ascii())?;
        out.put(b"\n")?;
    }
    out.put(b"\n")?;
    match signed {
        Some(list) => out.put(list)?,
        None => write_signed_headers(request, order, out)?,
    }
    out.put(b"\n")?;
    out.put(payload_hash)
}

fn write_signed_headers(
    request: &Tc3Request<'_>,
    order: &HeaderOrder,
    out: &mut impl Sink,
) -> fmt::Result {
    for (i, (name, _)) in order.headers(request).enumerate() {
        if i > 0 {
            out.put(b";")?;
        }
        put_lower(out, name)?;
    }
    Ok(())
}

/// Writes the string to sign; `scope` is the credential scope, in pieces.
fn write_string_to_sign_to(
    out: &mut impl Sink,
    timestamp: u64,
    scope: &[&[u8]],
    canonical_hash: &[u8; HEX_LEN],
) -> fmt::Result {
    out.put(ALGORITHM_LINE)?;
    out.put(Decimal::of(timestamp).as_bytes())?;
    out.put(b"\n")?;
    for piece in scope {
        out.put(piece)?;
    }
    out.put(b"\n")?;
    out.put(canonical_hash)
}

/// Writes `s` with ASCII upper-case letters lowered: whole when it has none,
/// else in pieces of up to 64 bytes cut at character boundaries.
#[inline]
fn put_lower(out: &mut impl Sink, s: &str) -> fmt::Result {
    if !has_upper(s.as_bytes()) {
        return out.put(s.as_bytes());
    }
    put_lowered(out, s)
}

/// [`put_lower`] of a string that has upper-case letters.
#[inline(never)]
fn put_lowered(out: &mut impl Sink, s: &str) -> fmt::Result {
    let mut rest = s;
    while !rest.is_empty() {
        // A character is at most 4 bytes, so a boundary is at most 3 back.
        let mut end = rest.len().min(64);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (now, after) = rest.split_at(end);
        let mut lowered = [0u8; 64];
        for (slot, byte) in lowered.iter_mut().zip(now.bytes()) {
            *slot = byte.to_ascii_lowercase();
        }
        out.put(lowered.get(..end).unwrap_or_default())?;
        rest = after;
    }
    Ok(())
}

/// Bytes with the high bit set, eight to a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether `test` finds anything in `bytes`, read as words of eight bytes
/// (little-endian): `test` marks a byte by setting its high bit.
///
/// A test that looks for some byte may see one twice, so the last word
/// overlaps the one before; fewer than eight bytes are padded with `fill`.
#[inline]
fn any_in_words(bytes: &[u8], fill: u8, test: impl Fn(u64) -> u64) -> bool {
    let word = |eight: &[u8]| u64::from_le_bytes(eight.try_into().unwrap_or([fill; 8]));
    if bytes.len() < 8 {
        let mut last = [fill; 8];
        if let Some(slots) = last.get_mut(..bytes.len()) {
            copy_short(slots, bytes);
        }
        return test(u64::from_le_bytes(last)) & HIGH_BITS != 0;
    }
    let mut found = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        found |= test(word(chunk));
    }
    if !chunks.remainder().is_empty() {
        let end = bytes.get(bytes.len() - 8..).unwrap_or_default();
        found |= test(word(end));
    }
    found & HIGH_BITS != 0
}

/// True when `bytes` holds an ASCII upper-case letter.
#[inline]
fn has_upper(bytes: &[u8]) -> bool {
    any_in_words(bytes, 0, |word| {
        // Per byte, without carries between bytes: the low seven bits plus
        // 0x3f reach 0x80 from 'A' on, plus 0x25 from past 'Z' on.
        let low = word & !HIGH_BITS;
        let from_a = low.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
        let past_z = low.wrapping_add(0x2525_2525_2525_2525);
        from_a & !past_z & !word
    })
}

/// True when every byte is printable ASCII (0x20 to 0x7e).
#[inline]
fn printable_ascii(bytes: &[u8]) -> bool {
    !any_in_words(bytes, b' ', |word| {
        // Per byte, without carries: the low seven bits plus 0x60 reach 0x80
        // from a space on, plus 0x01 only for DEL; the high bit is non-ASCII.
        let low = word & !HIGH_BITS;
        let below_space = !low.wrapping_add(0x6060_6060_6060_6060);
        let delete = low.wrapping_add(0x0101_0101_0101_0101);
        word | below_space | delete
    })
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
        if count == 2 {
            // Only content-type and host, already in order.
            index = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        } else if at_once {
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
    if !valid_service(request.service) {
        return invalid("service name is invalid", "service");
    }
    // content-type and host: names that are tokens and differ, so only the
    // values need a look.
    for (name, value) in [
        ("content-type", request.content_type),
        ("host", request.host),
    ] {
        if has_control(value) {
            return invalid("header value contains a control character", name);
        }
    }
    for index in 2..header_count(request) {
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

/// A service name is not empty and holds no `/`, control or white space character.
fn valid_service(service: &str) -> bool {
    // The usual case: visible ASCII only.
    if !service.is_empty() && service.bytes().all(|b| b.is_ascii_graphic() && b != b'/') {
        return true;
    }
    !(service.is_empty()
        || service.contains('/')
        || service.chars().any(|c| c.is_control() || c.is_whitespace()))
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
#[inline]
pub(crate) fn has_control(s: &str) -> bool {
    // The usual case, printable ASCII, settled eight bytes at a time.
    !printable_ascii(s.as_bytes()) && has_control_slow(s.as_bytes())
}

/// [`has_control`] byte by byte.
#[inline(never)]
fn has_control_slow(bytes: &[u8]) -> bool {
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

/// `kDate` = HMAC-SHA256(`"TC3"` + secret key, date), without joining the
/// two but in the key block, which is zeroized.
fn date_key(secret_key: &str, date: &UtcDate) -> [u8; 32] {
    MacKey::<Sha256Compress>::from_key_parts(&[b"TC3", secret_key.as_bytes()]).mac(date.as_bytes())
}

/// HMAC-SHA256 of `message` under a 32-byte derived key.
fn hmac_once(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    MacKey::new(key).mac(message)
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
    fn byte_tests_match_their_definitions_at_every_length_and_place() {
        // Each length up to three words, with one odd byte at each place.
        let odd = [
            b'A', b'Z', b'@', b'[', b'a', 0x00, 0x1f, b' ', 0x7e, 0x7f, 0x80, 0xc1, 0xda, 0xff,
        ];
        for len in 0..=24 {
            for at in 0..len.max(1) {
                for &byte in &odd {
                    let mut bytes = std::vec![b'x'; len];
                    if let Some(slot) = bytes.get_mut(at) {
                        *slot = byte;
                    }
                    let upper = bytes.iter().any(u8::is_ascii_uppercase);
                    assert_eq!(has_upper(&bytes), upper, "{bytes:?}");
                    let printable = bytes.iter().all(|b| (0x20..0x7f).contains(b));
                    assert_eq!(printable_ascii(&bytes), printable, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn long_values_are_lowered_across_pieces() {
        // Upper-case letters and multi-byte characters around the 64-byte cuts.
        let value: String = "ÀB".repeat(10) + &"Xé".repeat(30) + "😀Q";
        let extra = [("X-Long", value.as_str())];
        let request = Tc3Request {
            extra_signed_headers: &extra,
            ..request(&[])
        };
        let text = canonical(&request);
        let lowered = value.to_ascii_lowercase();
        assert!(text.contains(&format!("\nx-long:{lowered}\n")), "{text}");
        let mut hasher = Sha256::new();
        sha2::Digest::update(&mut hasher, text.as_bytes());
        let expected: [u8; 32] = hasher.finalize().into();
        assert_eq!(
            canonical_request_hash(&request).unwrap().as_bytes(),
            &expected
        );
    }

    #[test]
    fn signatures_match_hmac_over_the_written_string_to_sign() {
        // The signature built from the header value's own pieces (scope,
        // signed header list) against one computed from the public text.
        let value: String = "Xé".repeat(40);
        let extra = [("X-TC-Action", "DescribeZones"), ("x-Long", value.as_str())];
        let request = Tc3Request {
            extra_signed_headers: &extra,
            ..request(&[])
        };
        let mut text = String::new();
        write_string_to_sign(&request, &mut text).unwrap();
        let hmac = |key: &[u8], message: &[u8]| -> [u8; 32] {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
            Mac::update(&mut mac, message);
            mac.finalize().into_bytes().into()
        };
        let date_key = hmac(b"TC3secret", b"2019-02-25");
        let signing_key = hmac(&hmac(&date_key, b"cvm"), b"tc3_request");
        let expected = HexDigest::of(&hmac(&signing_key, text.as_bytes()));
        let signed = sign("AKIDexample", "secret", &request).unwrap();
        assert_eq!(signed.signature(), expected.as_str());
        assert_eq!(
            signed.signed_headers(),
            "content-type;host;x-long;x-tc-action"
        );
        assert_eq!(signed.credential_scope(), "2019-02-25/cvm/tc3_request");
    }

    #[test]
    fn fixed_text_names_the_algorithm() {
        assert_eq!(
            CREDENTIAL_PREFIX,
            format!("{ALGORITHM} Credential=").as_bytes()
        );
        assert_eq!(ALGORITHM_LINE, format!("{ALGORITHM}\n").as_bytes());
    }

    #[test]
    fn hashes_known_ahead_are_the_hashes() {
        let empty: [u8; 32] = Sha256::digest(b"").into();
        assert_eq!(EMPTY_HASH.as_bytes(), &empty);
        assert_eq!(Payload::Bytes(b"").hash(), EMPTY_HASH);
        let unsigned: [u8; 32] = Sha256::digest(UNSIGNED_PAYLOAD.as_bytes()).into();
        assert_eq!(UNSIGNED_PAYLOAD_HASH.as_bytes(), &unsigned);
        assert_eq!(Payload::Unsigned.hash(), UNSIGNED_PAYLOAD_HASH);
    }

    #[test]
    fn payload_hashes_match_sha256_on_both_sides_of_the_cut() {
        let body: std::vec::Vec<u8> = (0..2 * SHORT_BODY).map(|i| (i % 249) as u8).collect();
        for len in [
            0,
            1,
            55,
            56,
            64,
            SHORT_BODY - 1,
            SHORT_BODY,
            SHORT_BODY + 1,
            body.len(),
        ] {
            let expected: [u8; 32] = Sha256::digest(&body[..len]).into();
            assert_eq!(PayloadHash::of(&body[..len]).as_bytes(), &expected, "{len}");
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
