//! `tccred`: find Tencent Cloud credentials and sign API requests with them.

// The library's error is large by design (held inline, no alloc).
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

mod args;
mod call_cmd;
mod emulate_cmd;
mod output;
mod sign_cmd;
mod source;

use std::process::ExitCode;
use std::string::String;

use clap::Parser;
use tencentcloud_credential::Error;

use args::{Cli, Command, ExportFormat};
use output::{iso8601, json_string, shell_word};
use source::{Found, NotFound};

/// Why a command failed, and so its exit code.
pub enum Failure {
    /// No credential, or Tencent Cloud answered with an error: exit 1.
    Credential(Error),
    /// The command line asks for something impossible: exit 2.
    Usage(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Credential(e)) => {
            eprintln!("tccred: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("tccred: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Resolve { source, verbose } => {
            let found = found(source::resolve(&source), verbose)?;
            let credential = &found.credential;
            let mut out = format!(
                "provider: {}\nsecret_id: {}\ntoken: {}\n",
                found.provider,
                credential.masked_id(),
                if credential.token().is_some() {
                    "present"
                } else {
                    "none"
                },
            );
            match credential.expires_at() {
                Some(at) => out.push_str(&format!("expires: {} ({at})\n", iso8601(at))),
                None => out.push_str("expires: never\n"),
            }
            print!("{out}");
            Ok(())
        }
        Command::Export { source, format } => {
            let found = found(source::resolve(&source), false)?;
            let (id, key, token) = found.credential.credential_info();
            let out = match format {
                ExportFormat::Json => format!(
                    "{{\"SecretId\":{},\"SecretKey\":{},\"Token\":{},\"ExpiredTime\":{},\
                     \"Provider\":{}}}\n",
                    json_string(id),
                    json_string(key),
                    token.map_or_else(|| "null".into(), json_string),
                    found
                        .credential
                        .expires_at()
                        .map_or_else(|| "null".into(), |t| t.to_string()),
                    json_string(found.provider.name()),
                ),
                ExportFormat::Env => {
                    let mut out = format!(
                        "export TENCENTCLOUD_SECRET_ID={}\nexport TENCENTCLOUD_SECRET_KEY={}\n",
                        shell_word(id),
                        shell_word(key)
                    );
                    if let Some(token) = token {
                        out.push_str(&format!(
                            "export TENCENTCLOUD_SESSION_TOKEN={}\n",
                            shell_word(token)
                        ));
                    }
                    out
                }
            };
            print!("{out}");
            Ok(())
        }
        Command::Sign(args) => {
            let found = found(source::resolve(&args.source), false)?;
            sign_cmd::run(&args, &found.credential)
        }
        Command::Emulate(args) => emulate_cmd::run(&args),
        Command::Call(args) => {
            let found = found(source::resolve(&args.source), false)?;
            call_cmd::run(&args, &found.credential)
        }
    }
}

/// The credential, after reporting (with `verbose`) who was passed over.
fn found(outcome: Result<Found, NotFound>, verbose: bool) -> Result<Found, Failure> {
    let passed = match &outcome {
        Ok(found) => &found.passed,
        Err(not_found) => &not_found.passed,
    };
    if verbose {
        for p in passed {
            eprintln!("{}: passed: {}", p.provider, p.reason);
        }
        if let Ok(found) = &outcome {
            eprintln!("{}: answered", found.provider);
        }
    }
    outcome.map_err(|not_found| not_found.error)
}
