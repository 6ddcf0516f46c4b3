//! `tccred emulate`: the metadata service and STS on a local port, for offline tests.

use std::path::Path;
use std::time::Duration;

use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript};

use crate::args::EmulateArgs;
use crate::Failure;

/// Starts the emulator as `args` describe, prints how to point the SDKs at
/// it, and serves until killed (or for `--seconds`).
pub fn run(args: &EmulateArgs) -> Result<(), Failure> {
    let mut script = EmulatorScript::new()
        .creds_lifetime(args.lifetime)
        .sts_expires_in(args.lifetime);
    if let Some(role) = &args.role {
        script = script.roles(role);
    }
    for pair in &args.secret {
        let Some((id, key)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--secret takes ID=KEY, got {}",
                pair.split('=').next().unwrap_or_default()
            )));
        };
        script = script.sts_secret(id, key);
    }
    if let Some(status) = args.metadata_status {
        script = script.role_status(status).creds_status(status);
    }
    if let Some(status) = args.sts_status {
        script = script.sts_status(status);
    }
    if let Some(error) = &args.sts_error {
        let (code, message) = error.split_once(':').unwrap_or((error, ""));
        script = script.sts_error(code, message);
    }
    if let Some(path) = &args.metadata_body {
        script = script.creds_body(&read_body(path)?);
    }
    if let Some(path) = &args.sts_body {
        script = script.sts_reply(&read_body(path)?);
    }
    if args.delay_ms > 0 {
        script = script.metadata_delay_ms(args.delay_ms);
    }
    if args.sts_delay_ms > 0 {
        script = script.sts_delay_ms(args.sts_delay_ms);
    }
    if args.blackhole {
        script = script.blackhole();
    }
    if args.sts_blackhole {
        script = script.sts_blackhole();
    }

    let emulator = Emulator::start_at(args.listen.as_str(), script)
        .map_err(|e| Failure::Usage(format!("cannot listen on {}: {e}", args.listen)))?;
    let base = emulator.base_url();
    println!("export TENCENTCLOUD_METADATA_ENDPOINT={base}");
    println!("export TENCENTCLOUD_STS_ENDPOINT={base}");
    eprintln!("tccred: emulating the metadata service and STS at {base}");
    match args.seconds {
        Some(seconds) => std::thread::sleep(Duration::from_secs(seconds)),
        None => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
    }
    eprintln!("tccred: served {} requests", emulator.request_count());
    Ok(())
}

/// A reply body from a file: its bytes as text (invalid UTF-8 replaced).
fn read_body(path: &Path) -> Result<String, Failure> {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))
}
