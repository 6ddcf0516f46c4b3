//! Every fuzz corpus file and every kept crash input, run through the same
//! property checks as the fuzz targets (`fuzz/src`), on the stable toolchain.
//!
//! `fuzz/corpus/<target>/` holds the seeds (and inputs the fuzzer found worth
//! keeping); `fuzz/artifacts-kept/<target>/` holds every input that once
//! failed a check, so that the fix stays fixed.

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn fuzz_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(sub)
}

/// Runs every file under `fuzz/<sub>/<target>/`; returns how many ran and the failures.
fn run_all(sub: &str) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    for target in fuzz::TARGETS {
        for file in files(&fuzz_dir(sub).join(target)) {
            let data = fs::read(&file).expect("readable corpus file");
            let outcome = panic::catch_unwind(|| fuzz::run(target, &data));
            match outcome {
                Ok(true) => ran += 1,
                Ok(false) => failures.push(format!("{target}: unknown target")),
                Err(_) => failures.push(format!("{}", file.display())),
            }
        }
    }
    (ran, failures)
}

#[test]
fn every_corpus_file_passes_the_checks() {
    let (ran, failures) = run_all("corpus");
    assert!(failures.is_empty(), "failed: {failures:#?}");
    assert!(ran >= 17 * 3, "only {ran} corpus files ran");
}

#[test]
fn every_kept_crash_input_passes_the_checks() {
    let (ran, failures) = run_all("artifacts-kept");
    assert!(failures.is_empty(), "failed: {failures:#?}");
    assert!(ran >= 15, "only {ran} kept crash inputs ran");
}

#[test]
fn every_target_has_seeds_and_every_corpus_a_target() {
    for target in fuzz::TARGETS {
        let seeds = files(&fuzz_dir("corpus").join(target)).len();
        assert!(seeds >= 3, "{target} has {seeds} seeds");
        let source = fuzz_dir("fuzz_targets").join(format!("{target}.rs"));
        assert!(source.is_file(), "no {}", source.display());
    }
    for sub in ["corpus", "artifacts-kept"] {
        let Ok(entries) = fs::read_dir(fuzz_dir(sub)) else {
            continue;
        };
        for entry in entries {
            let name = entry.expect("directory entry").file_name();
            let name = name.to_string_lossy();
            assert!(
                fuzz::TARGETS.contains(&name.as_ref()),
                "fuzz/{sub}/{name} is not a target"
            );
        }
    }
    assert!(!fuzz::run("no_such_target", b""));
}

#[test]
fn a_public_text_holding_dots_is_blanked_whole_before_cut_forms() {
    // The code is public and shown whole; its `...` once let a cut-short
    // match (`0...`) eat into it, and the secret's run `¤0000) `, which
    // here is only the code's end and the fixed `) `, was taken for a leak.
    let code = "0\"\"000...0¤0000";
    let shown = format!("Error {{ message: code is not Success (code {code}) }}");
    let mut secrets = fuzz::secrets::Secrets::new();
    secrets.public(code.as_bytes());
    secrets.secret("tok¤0000) en".as_bytes());
    secrets.check("whole", &shown);

    // A public text cut short is still blanked, and a real leak still found.
    secrets.check("cut", "code 0\"\"000...) and more");
    let leak = panic::catch_unwind(|| secrets.check("leak", "shown: tok¤0000) en"));
    assert!(leak.is_err(), "a secret run shown was not found");
}

#[test]
fn a_masked_secret_id_is_shown_by_design_but_nothing_past_it() {
    // A secret id read from a file counts as secret; its first and last
    // four characters (here eight bytes of `¤¤e…`) are shown on purpose.
    let mut secrets = fuzz::secrets::Secrets::new();
    secrets.secret("[default]\nsecret_id = ¤¤e\u{fffd}middle = X\n".as_bytes());
    let shown =
        "Credential { secret_id: ¤¤e\u{fffd}**** = X, secret_key: <redacted>, token: None }";
    secrets.check("masked", shown);

    // The same bytes anywhere else are a leak.
    let leak = panic::catch_unwind(|| secrets.check("leak", "path: ¤¤e\u{fffd}middle"));
    assert!(leak.is_err(), "a secret run shown was not found");
}
