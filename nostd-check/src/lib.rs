//! A `#![no_std]` cdylib that links the core's signer and profile parser.
//!
//! It has its own panic handler and no allocator: if anything in the core's
//! dependency tree needed std, the panic handlers would clash; if anything
//! needed alloc, linking would fail for want of an allocator.
#![no_std]

use tencentcloud_credential::provider::profile::parse;
use tencentcloud_credential::sign::tc3::{sign, Payload, Tc3Request};
use tencentcloud_credential::Credential;

const PROFILE: &[u8] = b"[default]\nsecret_id = AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\n\
secret_key = Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\n";

/// Parses a built-in profile file, signs a request with its credential at
/// `timestamp`, and writes the 64-character signature into `out`.
/// Returns false when any step fails.
#[no_mangle]
pub extern "C" fn tccred_sign_check(timestamp: u64, out: &mut [u8; 64]) -> bool {
    let Ok(profile) = parse(PROFILE, "default") else {
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
