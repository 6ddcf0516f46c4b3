#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tencentcloud_credential_fuzz::run("tke_token_file", data);
});
