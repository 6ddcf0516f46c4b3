//! A `#![no_std]` cdylib that links the core's signer and profile parser.
//!
//! It has its own panic handler and no allocator: if anything in the core's
//! dependency tree needed std, the panic handlers would clash; if anything
//! needed alloc, linking would fail for want of an allocator.
#![no_std]

use tencentcloud_credential::provider::profile::parse;
use tencentcloud_credential::sign::tc3::{sign, Payload, Tc3Request};
use tencentcloud_credential::Credential;

/// Room for the profile text handed in.
pub const PROFILE_ROOM: usize = 1024;

/// Parses the first `len` bytes of `profile` as a credentials file, signs a
/// request with its `default` credential at `timestamp`, and writes the
/// 64-character signature into `out`. Returns false when any step fails.
/// The inputs come from the caller, so the optimizer can fold none of it.
#[no_mangle]
pub extern "C" fn tccred_sign_check(
    profile: &[u8; PROFILE_ROOM],
    len: usize,
    timestamp: u64,
    out: &mut [u8; 64],
) -> bool {
    let Some(text) = profile.get(..len) else {
        return false;
    };
    let Ok(profile) = parse(text, "default") else {
        return false;
    };
    let (Some(id), Some(key)) = (profile.secret_id, profile.secret_key) else {
        return false;
    };
    let Ok(credential) = Credential::new(id.value, key.value, None) else {
        return false;
    };
    let request = Tc3Request {
        method: "POST",
        path: "/",
        query: "",
        host: "cvm.tencentcloudapi.com",
        content_type: "application/json",
        extra_signed_headers: &[],
        payload: Payload::Bytes(b"{}"),
        service: "cvm",
        timestamp,
    };
    match sign(credential.secret_id(), credential.secret_key(), &request) {
        Ok(authorization) => {
            out.copy_from_slice(authorization.signature().as_bytes());
            true
        }
        Err(_) => false,
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
