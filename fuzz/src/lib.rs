//! The property checks behind every fuzz target, shared with the stable
//! regression test (`tests/fuzz_regression.rs` includes this file with
//! `#[path]`), so that `cargo test` runs every corpus file and every kept
//! crash input through the very same code.
//!
//! Each target reads its input with [`reader::Reader`] (a thin layer over
//! `arbitrary::Unstructured` whose byte layout `make_corpus.py` writes), runs
//! the code under test and panics when a property fails: a credential that
//! does not re-validate, a signature that is not 64 lower-case hex
//! characters or differs from an independent computation, a provider that
//! does not reach `Step::Done` within its bound, an error or `Debug` text
//! that shows secret bytes fed in, and the like.
//!
//! Paths here never start with `crate::`: this file is the root of the fuzz
//! crate and a module of the regression test alike.

// The crate's error is large by design (the core cannot box it).
#![allow(clippy::result_large_err)]

pub mod machines;
pub mod parsers;
pub mod reader;
pub mod secrets;
pub mod signers;

/// Every target, by name: `fuzz/fuzz_targets/<name>.rs`, `fuzz/corpus/<name>/`.
pub const TARGETS: [&str; 17] = [
    "profile_parse",
    "cvm_document",
    "cvm_role_list",
    "sts_assume_role_reply",
    "sts_web_identity_reply",
    "sts_error_reply",
    "tke_token_file",
    "sign_tc3",
    "sign_headers",
    "sign_legacy",
    "machine_env",
    "machine_profile",
    "machine_cvm",
    "machine_sts",
    "machine_oidc",
    "machine_tke",
    "machine_chain",
];

/// Runs `data` through the properties of `target`; panics when one fails.
///
/// Returns false for a target name it does not know.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "profile_parse" => parsers::profile_parse(data),
        "cvm_document" => parsers::cvm_document(data),
        "cvm_role_list" => parsers::cvm_role_list(data),
        "sts_assume_role_reply" | "sts_web_identity_reply" | "sts_error_reply" => {
            parsers::sts_reply(data)
        }
        "tke_token_file" => parsers::tke_token_file(data),
        "sign_tc3" => signers::tc3(data),
        "sign_headers" => signers::headers(data),
        "sign_legacy" => signers::legacy(data),
        "machine_env" => machines::env(data),
        "machine_profile" => machines::profile(data),
        "machine_cvm" => machines::cvm(data),
        "machine_sts" => machines::sts(data),
        "machine_oidc" => machines::oidc(data),
        "machine_tke" => machines::tke(data),
        "machine_chain" => machines::chain(data),
        _ => return false,
    }
    true
}
