//! The profile provider and its parser, one rule at a time, in an in-memory world.
#![allow(clippy::result_large_err)]

mod support;

use support::World;
use tencentcloud_credential::io::{FileError, FileRef, FileRequest};
use tencentcloud_credential::provider::profile::{self, Entry};
use tencentcloud_credential::{Credential, Error, ErrorKind, ProfileProvider, Provider, Step};

const FILE: &str = "/tmp/cred";
const HOME: &str = "~/.tencentcloud/credentials";
const ETC: &str = "/etc/tencentcloud/credentials";
const FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
const NO_FILE: &str = "profile: no credentials file at ~/.tencentcloud/credentials or \
                       /etc/tencentcloud/credentials";

/// Variables besides the file variable.
type Vars = &'static [(&'static str, &'static str)];

type Outcome = Result<(&'static str, &'static str, Option<&'static str>), &'static str>;

fn ok(id: &'static str, key: &'static str) -> Outcome {
    Ok((id, key, None))
}

/// The outcome as comparable values: the three parts, or the error text.
fn shown(outcome: &Result<Credential, Error>) -> Result<(String, String, Option<String>), String> {
    match outcome {
        Ok(c) => Ok((
            c.secret_id().to_string(),
            c.secret_key().to_string(),
            c.token().map(str::to_string),
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn expected(outcome: &Outcome) -> Result<(String, String, Option<String>), String> {
    match outcome {
        Ok((id, key, token)) => Ok((id.to_string(), key.to_string(), token.map(str::to_string))),
        Err(e) => Err(e.to_string()),
    }
}

/// Resolves with `text` as the file `TENCENTCLOUD_CREDENTIALS_FILE` names.
fn resolve_file(text: &[u8], vars: &[(&str, &str)]) -> (Result<Credential, Error>, World) {
    let mut all = vec![(FILE_VAR, FILE)];
    all.extend_from_slice(vars);
    let mut world = World::new(&all, &[(FILE, text)]);
    let outcome = world.resolve(&mut ProfileProvider::new());
    (outcome, world)
}

/// Checks each `(name, file, outcome)` with the file named by the variable.
fn check_table(cases: &[(&str, &[u8], Outcome)]) {
    for (name, text, outcome) in cases {
        let (got, world) = resolve_file(text, &[]);
        assert_eq!(shown(&got), expected(outcome), "case {name}");
        assert_eq!(world.files.asked, [FILE], "case {name}");
        assert_eq!(world.env.asked, [FILE_VAR, PROFILE_VAR], "case {name}");
    }
}

// ---- The cases of the command-line suite, in memory ----

#[test]
fn cli_cases_with_the_file_variable() {
    let cases: &[(&str, &[u8], Vars, Outcome)] = &[
        (
            "profile-basic",
            b"[default]\nsecret_id = AKID1\nsecret_key = KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-colon-delimiter",
            b"[default]\nsecret_id: AKID1\nsecret_key: KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-key-case",
            b"[default]\nSECRET_ID = AKID1\nSecret_Key = KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-crlf",
            b"[default]\r\nsecret_id = AKID1\r\nsecret_key = KEY1\r\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-lone-cr",
            b"[default]\rsecret_id = AKID1\rsecret_key = KEY1\r",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-bom",
            b"\xEF\xBB\xBF[default]\nsecret_id=AKID1\nsecret_key=KEY1",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-double-quotes",
            b"[default]\nsecret_id = \"AKID1\"\nsecret_key = \"KEY1\"\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-single-quotes",
            b"[default]\nsecret_id = 'AKID1'\nsecret_key = 'KEY1'\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-inline-comments",
            b"[default]\nsecret_id = AKID1 ; old one below\nsecret_key = KEY1 # rotated\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-comment-lines",
            b"# secret_id = OLD\n; top\n[default]\n# secret_key = OLD\n\
              secret_id = AKID1\nsecret_key = KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-token",
            b"[default]\nsecret_id = AKID1\nsecret_key = KEY1\ntoken = TOKEN1\n",
            &[],
            Ok(("AKID1", "KEY1", Some("TOKEN1"))),
        ),
        (
            "profile-duplicate-key-last-wins",
            b"[default]\nsecret_id = OLD\nsecret_id = AKID1\nsecret_key = KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-section-merge",
            b"[default]\nsecret_id = AKID1\n[other]\nsecret_id = X\n[default]\nsecret_key = KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-section-spaces",
            b"[ default ]\nsecret_id = AKID1\nsecret_key = KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-tabs",
            b"[default]\n\tsecret_id\t=\tAKID1\t\nsecret_key\t= KEY1\n",
            &[],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-equals-in-value",
            b"[default]\nsecret_id = AKID1\nsecret_key = ab=cd\n",
            &[],
            ok("AKID1", "ab=cd"),
        ),
        (
            "profile-selected-profile",
            b"[default]\nsecret_id = D\nsecret_key = D\n[work]\nsecret_id = AKID1\n\
              secret_key = KEY1\n",
            &[(PROFILE_VAR, "work")],
            ok("AKID1", "KEY1"),
        ),
        (
            "profile-selected-profile-missing",
            b"[default]\nsecret_id = AKID1\nsecret_key = KEY1\n",
            &[(PROFILE_VAR, "nosuch")],
            Err("profile: profile not found (file /tmp/cred, profile nosuch)"),
        ),
        (
            "profile-missing-key",
            b"[default]\nsecret_id = AKID1\n",
            &[],
            Err("profile: key is missing (file /tmp/cred, profile default, key secret_key)"),
        ),
        (
            "profile-empty-value",
            b"[default]\nsecret_id = AKID1\nsecret_key =\n",
            &[],
            Err(
                "profile: key is empty (file /tmp/cred, line 3, profile default, \
                 key secret_key)",
            ),
        ),
        (
            "profile-no-default-section",
            b"[other]\nsecret_id = AKID1\nsecret_key = KEY1\n",
            &[],
            Err("profile: profile not found (file /tmp/cred, profile default)"),
        ),
        (
            "profile-empty-file",
            b"",
            &[],
            Err("profile: profile not found (file /tmp/cred, profile default)"),
        ),
        (
            "profile-not-utf8",
            b"[default]\nsecret_id = AKID1\nsecret_key = K\xFF\xFEY\n",
            &[],
            Err("profile: line is not valid utf-8 (file /tmp/cred, line 3)"),
        ),
        (
            "profile-quoted-leading-space",
            b"[default]\nsecret_id = \" AKID1\"\nsecret_key = KEY1\n",
            &[],
            Err(
                "profile: secret id should not contain spaces (file /tmp/cred, line 2, \
                 profile default, key secret_id)",
            ),
        ),
        (
            "profile-garbage-line",
            b"[default]\nsecret_id = AKID1\nthis line has no delimiter\nsecret_key = KEY1\n",
            &[],
            Err("profile: line has no '=' or ':' (file /tmp/cred, line 3)"),
        ),
    ];
    for (id, text, vars, outcome) in cases {
        let (got, world) = resolve_file(text, vars);
        assert_eq!(shown(&got), expected(outcome), "case {id}");
        assert_eq!(world.files.asked, [FILE], "case {id}");
    }
}

#[test]
fn cli_case_profile_file_override_missing() {
    let mut world = World::new(&[(FILE_VAR, "/tmp/does-not-exist")], &[]);
    let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile: file not found (file /tmp/does-not-exist, variable \
         TENCENTCLOUD_CREDENTIALS_FILE)"
    );
    assert_eq!(e.kind(), ErrorKind::Io);
    assert_eq!(world.files.asked, ["/tmp/does-not-exist"]);
}

#[test]
fn cli_case_profile_home_default() {
    let mut world = World::new(
        &[],
        &[(HOME, b"[default]\nsecret_id = AKID1\nsecret_key = KEY1\n")],
    );
    let c = world.resolve(&mut ProfileProvider::new()).unwrap();
    assert_eq!(c.credential_info(), ("AKID1", "KEY1", None));
    assert_eq!(world.files.asked, [HOME]);
    assert_eq!(world.env.asked, [FILE_VAR, PROFILE_VAR]);
}

// ---- Parser rules ----

#[test]
fn rule_bom_is_skipped_only_at_the_start() {
    check_table(&[
        (
            "bom",
            b"\xEF\xBB\xBF[default]\nsecret_id=A\nsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "bom then comment",
            b"\xEF\xBB\xBF# c\n[default]\nsecret_id=A\nsecret_key=K",
            ok("A", "K"),
        ),
        (
            "bom inside the file is part of the key",
            b"[default]\n\xEF\xBB\xBFsecret_id=A\nsecret_key=K\n",
            Err("profile: key is missing (file /tmp/cred, profile default, key secret_id)"),
        ),
    ]);
}

#[test]
fn rule_line_ends() {
    check_table(&[
        (
            "lf",
            b"[default]\nsecret_id=A\nsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "crlf",
            b"[default]\r\nsecret_id=A\r\nsecret_key=K\r\n",
            ok("A", "K"),
        ),
        (
            "lone cr",
            b"[default]\rsecret_id=A\rsecret_key=K\r",
            ok("A", "K"),
        ),
        (
            "mixed",
            b"[default]\r\nsecret_id=A\rsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "no final end",
            b"[default]\nsecret_id=A\nsecret_key=K",
            ok("A", "K"),
        ),
        (
            "lf cr counts two lines",
            b"[default]\n\rsecret_id=A\n\rsecret_key=\n",
            Err("profile: key is empty (file /tmp/cred, line 5, profile default, key secret_key)"),
        ),
        (
            "crlf counts one line",
            b"[default]\r\nsecret_id=A\r\nsecret_key=\r\n",
            Err("profile: key is empty (file /tmp/cred, line 3, profile default, key secret_key)"),
        ),
    ]);
}

#[test]
fn rule_blank_lines_are_skipped() {
    check_table(&[(
        "blank and whitespace-only lines",
        b"\n\n[default]\n\n \t \nsecret_id=A\n\n\nsecret_key=K\n\n",
        ok("A", "K"),
    )]);
}

#[test]
fn rule_comment_lines() {
    check_table(&[
        (
            "hash",
            b"# x = 1\n[default]\nsecret_id=A\nsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "semicolon",
            b"[default]\n; secret_id=B\nsecret_id=A\nsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "indented",
            b"[default]\n  # secret_id=B\n\t; secret_key=B\nsecret_id=A\nsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "a commented header starts no section",
            b"[default]\nsecret_id=A\nsecret_key=K\n#[other]\nsecret_key=K2\n",
            ok("A", "K2"),
        ),
    ]);
}

#[test]
fn rule_first_delimiter_wins() {
    check_table(&[
        (
            "equals",
            b"[default]\nsecret_id=A\nsecret_key=K\n",
            ok("A", "K"),
        ),
        (
            "colon",
            b"[default]\nsecret_id:A\nsecret_key:K\n",
            ok("A", "K"),
        ),
        (
            "equals in value",
            b"[default]\nsecret_id=A\nsecret_key=ab=cd\n",
            ok("A", "ab=cd"),
        ),
        (
            "colon in value",
            b"[default]\nsecret_id=A\nsecret_key=ab:cd\n",
            ok("A", "ab:cd"),
        ),
        (
            "colon before equals",
            b"[default]\nsecret_id=A\nsecret_key:b=c\n",
            ok("A", "b=c"),
        ),
        (
            "a:b=c is key a",
            b"[default]\nsecret_id=A\nsecret_key=K\nsecret_key:x=y\n",
            ok("A", "x=y"),
        ),
    ]);
}

#[test]
fn rule_spaces_and_tabs_are_trimmed() {
    check_table(&[
        (
            "spaces",
            b"[default]\n  secret_id  =  A  \nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "tabs",
            b"[default]\n\tsecret_id\t=\tA\t\nsecret_key\t:\tK\t\n",
            ok("A", "K"),
        ),
        (
            "inner space kept",
            b"[default]\nsecret_id = A\nsecret_key = K E Y\n",
            ok("A", "K E Y"),
        ),
    ]);
}

#[test]
fn rule_key_names_ignore_case() {
    check_table(&[(
        "upper and mixed",
        b"[default]\nSECRET_ID = A\nSecret_Key = K\nToKeN = T\n",
        Ok(("A", "K", Some("T"))),
    )]);
}

#[test]
fn rule_section_names_are_case_sensitive_and_trimmed() {
    check_table(&[
        (
            "Default is not default",
            b"[Default]\nsecret_id = A\nsecret_key = K\n",
            Err("profile: profile not found (file /tmp/cred, profile default)"),
        ),
        (
            "inner spaces",
            b"[ default ]\nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "inner tabs",
            b"[\tdefault\t]\nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "indented header",
            b"  [default]  \nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "comment after header",
            b"[default] # main\nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
    ]);
}

#[test]
fn rule_one_pair_of_matching_quotes_is_stripped() {
    check_table(&[
        (
            "double",
            b"[default]\nsecret_id = \"A\"\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "single",
            b"[default]\nsecret_id = 'A'\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "inner quotes kept",
            b"[default]\nsecret_id = A\nsecret_key = \"'K'\"\n",
            ok("A", "'K'"),
        ),
        (
            "only one pair",
            b"[default]\nsecret_id = A\nsecret_key = \"\"K\"\"\n",
            ok("A", "\"\"K\"\""),
        ),
        (
            "mismatched kept",
            b"[default]\nsecret_id = A\nsecret_key = \"K'\n",
            ok("A", "\"K'"),
        ),
        (
            "unclosed kept",
            b"[default]\nsecret_id = A\nsecret_key = \"K\n",
            ok("A", "\"K"),
        ),
        (
            "inner space kept",
            b"[default]\nsecret_id = A\nsecret_key = \"K Y\"\n",
            ok("A", "K Y"),
        ),
        (
            "empty quotes are an empty value",
            b"[default]\nsecret_id = \"\"\nsecret_key = K\n",
            Err("profile: key is empty (file /tmp/cred, line 2, profile default, key secret_id)"),
        ),
    ]);
}

#[test]
fn rule_comment_after_a_value_needs_whitespace_before_it() {
    check_table(&[
        (
            "semicolon",
            b"[default]\nsecret_id = AKID1 ; old\nsecret_key = K\n",
            ok("AKID1", "K"),
        ),
        (
            "hash",
            b"[default]\nsecret_id = A\nsecret_key = K # rotated\n",
            ok("A", "K"),
        ),
        (
            "after a tab",
            b"[default]\nsecret_id = A\t;x\nsecret_key = K\t#y\n",
            ok("A", "K"),
        ),
        (
            "hash inside stays",
            b"[default]\nsecret_id = A\nsecret_key = ab#cd\n",
            ok("A", "ab#cd"),
        ),
        (
            "semicolon inside stays",
            b"[default]\nsecret_id = A\nsecret_key = ab;cd\n",
            ok("A", "ab;cd"),
        ),
        (
            "after a quoted value",
            b"[default]\nsecret_id = A\nsecret_key = \"a #b\" # c\n",
            ok("A", "a #b"),
        ),
        (
            "only a comment is an empty value",
            b"[default]\nsecret_id = A\nsecret_key = ; nothing\n",
            Err("profile: key is empty (file /tmp/cred, line 3, profile default, key secret_key)"),
        ),
    ]);
}

#[test]
fn rule_duplicate_keys_last_wins() {
    check_table(&[
        (
            "later value",
            b"[default]\nsecret_id = OLD\nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "later empty value",
            b"[default]\nsecret_id = A\nsecret_key = K\nsecret_key =\n",
            Err("profile: key is empty (file /tmp/cred, line 4, profile default, key secret_key)"),
        ),
    ]);
}

#[test]
fn rule_a_section_given_twice_is_merged() {
    check_table(&[
        (
            "keys from both blocks",
            b"[default]\nsecret_id = A\n[other]\nsecret_key = X\n[default]\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "last value across blocks",
            b"[default]\nsecret_id = A\nsecret_key = K1\n[ default ]\nsecret_key = K2\n",
            ok("A", "K2"),
        ),
    ]);
}

#[test]
fn rule_unknown_keys_are_ignored() {
    check_table(&[(
        "role_arn and region",
        b"[default]\nrole_arn = qcs::cam::x\nsecret_id = A\nregion = ap-guangzhou\n\
          secret_key = K\n",
        ok("A", "K"),
    )]);
}

#[test]
fn rule_keys_before_the_first_section_are_ignored() {
    check_table(&[
        (
            "no section for them",
            b"secret_id = A\nsecret_key = K\n[default]\n",
            Err("profile: key is missing (file /tmp/cred, profile default, key secret_id)"),
        ),
        (
            "no section at all",
            b"secret_id = A\nsecret_key = K\n",
            Err("profile: profile not found (file /tmp/cred, profile default)"),
        ),
        (
            "the section's own keys win",
            b"secret_id = X\n[default]\nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
    ]);
}

#[test]
fn rule_malformed_lines_name_their_line() {
    check_table(&[
        (
            "no delimiter",
            b"[default]\nsecret_id = A\nthis line has no delimiter\n",
            Err("profile: line has no '=' or ':' (file /tmp/cred, line 3)"),
        ),
        (
            "unclosed header",
            b"[default\nsecret_id = A\n",
            Err("profile: section header has no closing ']' (file /tmp/cred, line 1)"),
        ),
        (
            "empty header",
            b"[default]\nsecret_id = A\n[]\n",
            Err("profile: section name is empty (file /tmp/cred, line 3)"),
        ),
        (
            "blank header",
            b"[ \t ]\n",
            Err("profile: section name is empty (file /tmp/cred, line 1)"),
        ),
        (
            "text after header",
            b"[default] x\n",
            Err("profile: text after section header (file /tmp/cred, line 1)"),
        ),
        (
            "empty key name",
            b"[default]\n= v\n",
            Err("profile: key name is empty (file /tmp/cred, line 2)"),
        ),
        (
            "empty key name with colon",
            b"[default]\nsecret_id = A\n\t: v\n",
            Err("profile: key name is empty (file /tmp/cred, line 3)"),
        ),
        (
            "in another section",
            b"[default]\nsecret_id = A\nsecret_key = K\n[other]\ngarbage\n",
            Err("profile: line has no '=' or ':' (file /tmp/cred, line 5)"),
        ),
        (
            "before any section",
            b"garbage\n[default]\nsecret_id = A\nsecret_key = K\n",
            Err("profile: line has no '=' or ':' (file /tmp/cred, line 1)"),
        ),
    ]);
}

#[test]
fn rule_not_utf8_names_its_line() {
    check_table(&[
        (
            "in the profile",
            b"[default]\nsecret_id = A\nsecret_key = K\xFF\n",
            Err("profile: line is not valid utf-8 (file /tmp/cred, line 3)"),
        ),
        (
            "in another section",
            b"[default]\nsecret_id = A\nsecret_key = K\n[other]\nsecret_id = \xC3\x28\n",
            Err("profile: line is not valid utf-8 (file /tmp/cred, line 5)"),
        ),
        (
            "in a comment",
            b"# caf\xE9\n[default]\nsecret_id = A\nsecret_key = K\n",
            Err("profile: line is not valid utf-8 (file /tmp/cred, line 1)"),
        ),
        (
            "a bom cut short",
            b"\xEF\xBB[default]\n",
            Err("profile: line is not valid utf-8 (file /tmp/cred, line 1)"),
        ),
        (
            "multi-byte text is fine",
            "[default]\n# 密钥\nsecret_id = A\nsecret_key = K\n".as_bytes(),
            ok("A", "K"),
        ),
    ]);
}

/// A valid file padded with comment lines to exactly `size` bytes.
fn file_of_size(size: usize) -> Vec<u8> {
    let mut text = b"[default]\nsecret_id = A\nsecret_key = K\n".to_vec();
    while text.len() < size {
        let line = (size - text.len()).min(80);
        text.push(b'#');
        text.extend(std::iter::repeat_n(b'x', line.saturating_sub(2)));
        if line >= 2 {
            text.push(b'\n');
        }
    }
    assert_eq!(text.len(), size);
    text
}

#[test]
fn rule_file_size_limit_is_64_kib() {
    let at_limit = file_of_size(64 * 1024);
    let past_limit = file_of_size(64 * 1024 + 1);
    check_table(&[
        ("exactly at the limit", &at_limit, ok("A", "K")),
        (
            "one byte past",
            &past_limit,
            Err("profile: credentials file is too large (file /tmp/cred, limit 65536 bytes)"),
        ),
    ]);
    let e = profile::parse(&past_limit, "default").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Capacity);
    assert_eq!(e.limit(), Some(65536));
}

#[test]
fn size_limit_is_asked_of_the_file_source() {
    let mut provider = ProfileProvider::new().with_file(FILE).unwrap();
    assert!(matches!(
        provider.poll(0),
        Step::Env("TENCENTCLOUD_PROFILE")
    ));
    provider.handle_env(Ok(None));
    let Step::File(request) = provider.poll(0) else {
        panic!("expected a file step");
    };
    assert_eq!(
        request,
        FileRequest {
            file: FileRef::Path(FILE),
            limit: 65536,
        }
    );
}

// ---- The parser on its own ----

#[test]
fn parser_returns_the_last_entries_with_their_lines() {
    let text = b"[default]\nsecret_id = A\n[work]\nsecret_id = W\n[default]\nSECRET_ID = 'B'\n\
                 secret_key = K\ntoken =\n";
    let found = profile::parse(text, "default").unwrap();
    assert!(found.found);
    assert_eq!(
        found.secret_id,
        Some(Entry {
            value: "B",
            line: 6
        })
    );
    assert_eq!(
        found.secret_key,
        Some(Entry {
            value: "K",
            line: 7
        })
    );
    assert_eq!(found.token, Some(Entry { value: "", line: 8 }));

    let work = profile::parse(text, "work").unwrap();
    assert!(work.found);
    assert_eq!(
        work.secret_id,
        Some(Entry {
            value: "W",
            line: 4
        })
    );
    assert_eq!(work.secret_key, None);

    let absent = profile::parse(text, "nosuch").unwrap();
    assert_eq!(absent, profile::Profile::default());
}

#[test]
fn parser_debug_hides_values() {
    let found = profile::parse(b"[default]\nsecret_key = s3cr3t\n", "default").unwrap();
    let shown = format!("{found:?}");
    assert_eq!(
        shown,
        "Profile { found: true, secret_id: None, secret_key: Some(Entry { value: <redacted>, \
         line: 2 }), token: None }"
    );
}

// ---- Where the file comes from ----

#[test]
fn empty_file_variable_counts_as_unset() {
    let mut world = World::new(
        &[(FILE_VAR, "")],
        &[(HOME, b"[default]\nsecret_id = A\nsecret_key = K\n")],
    );
    let c = world.resolve(&mut ProfileProvider::new()).unwrap();
    assert_eq!(c.credential_info(), ("A", "K", None));
    assert_eq!(world.files.asked, [HOME]);
}

#[test]
fn file_variable_wins_over_the_usual_places() {
    let file = b"[default]\nsecret_id = F\nsecret_key = K\n";
    let home = b"[default]\nsecret_id = H\nsecret_key = K\n";
    let mut world = World::new(&[(FILE_VAR, FILE)], &[(FILE, file), (HOME, home)]);
    let c = world.resolve(&mut ProfileProvider::new()).unwrap();
    assert_eq!(c.secret_id(), "F");
    assert_eq!(world.files.asked, [FILE]);
}

#[test]
fn file_variable_errors() {
    let long = format!("/{}", "p".repeat(512));
    let fit = format!("/{}", "p".repeat(511));
    let cases: &[(&str, Option<&str>, Result<&str, &str>)] = &[
        (
            "over the path limit",
            Some(&long),
            Err("profile: credentials file path is too long (variable \
                 TENCENTCLOUD_CREDENTIALS_FILE, limit 512 bytes)"),
        ),
        ("exactly at the path limit", Some(&fit), Ok(&fit)),
        (
            "not unicode",
            None,
            Err("profile: value is not valid utf-8 (variable TENCENTCLOUD_CREDENTIALS_FILE)"),
        ),
    ];
    for (name, value, outcome) in cases {
        let text: &[u8] = b"[default]\nsecret_id = A\nsecret_key = K\n";
        let mut world = World::new(&[], &[(&fit, text)]);
        world.env = match value {
            Some(v) => support::MapEnv::new(&[(FILE_VAR, v)]),
            None => support::MapEnv::new(&[]).not_unicode(FILE_VAR),
        };
        let got = world.resolve(&mut ProfileProvider::new());
        match outcome {
            Ok(path) => {
                assert_eq!(got.unwrap().secret_id(), "A", "case {name}");
                assert_eq!(world.files.asked, [*path], "case {name}");
            }
            Err(text) => {
                assert_eq!(got.unwrap_err().to_string(), *text, "case {name}");
                assert_eq!(world.env.asked, [FILE_VAR], "case {name}");
                assert!(world.files.asked.is_empty(), "case {name}");
            }
        }
    }
}

#[test]
fn unreadable_files_are_errors_not_passes() {
    let cases = [
        (
            FileError::PermissionDenied,
            "permission denied reading file",
        ),
        (FileError::IsDirectory, "path is a directory, not a file"),
        (FileError::Other, "cannot read file"),
    ];
    let etc: &[u8] = b"[default]\nsecret_id = E\nsecret_key = K\n";
    for (error, message) in cases {
        let mut world = World::new(&[(FILE_VAR, FILE)], &[]);
        world.files = world.files.failing(FILE, error);
        let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("profile: {message} (file /tmp/cred, variable TENCENTCLOUD_CREDENTIALS_FILE)")
        );
        assert_eq!(e.kind(), ErrorKind::Io);

        let mut world = World::new(&[], &[(ETC, etc)]);
        world.files = world.files.failing(HOME, error);
        let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("profile: {message} (file ~/.tencentcloud/credentials)")
        );
        assert_eq!(
            world.files.asked,
            [HOME],
            "an unreadable home file does not fall through"
        );

        let mut world = World::new(&[], &[]);
        world.files = world.files.failing(ETC, error);
        let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("profile: {message} (file /etc/tencentcloud/credentials)")
        );
        assert_eq!(world.files.asked, [HOME, ETC]);
    }
}

#[test]
fn no_file_anywhere_is_not_configured() {
    let mut world = World::new(&[], &[]);
    let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
    assert_eq!(e.to_string(), NO_FILE);
    assert_eq!(e.kind(), ErrorKind::NotConfigured);
    assert_eq!(world.files.asked, [HOME, ETC]);
    assert_eq!(world.env.asked, [FILE_VAR, PROFILE_VAR]);
}

#[test]
fn etc_is_read_when_home_has_no_file() {
    let etc: &[u8] = b"[default]\nsecret_id = E\nsecret_key = K\n";
    let mut world = World::new(&[], &[(ETC, etc)]);
    let c = world.resolve(&mut ProfileProvider::new()).unwrap();
    assert_eq!(c.credential_info(), ("E", "K", None));
    assert_eq!(world.files.asked, [HOME, ETC]);
}

#[test]
fn unknown_home_goes_to_etc() {
    let etc: &[u8] = b"[default]\nsecret_id = E\nsecret_key = K\n";
    let mut world = World::new(&[], &[(ETC, etc)]);
    world.files.home_known = false;
    let c = world.resolve(&mut ProfileProvider::new()).unwrap();
    assert_eq!(c.secret_id(), "E");
    assert_eq!(world.files.asked, [ETC]);

    let mut world = World::new(&[], &[]);
    world.files.home_known = false;
    let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
    assert_eq!(e.to_string(), NO_FILE);
}

#[test]
fn the_first_existing_file_is_used_even_without_the_profile() {
    let home: &[u8] = b"[other]\nsecret_id = H\nsecret_key = K\n";
    let etc: &[u8] = b"[default]\nsecret_id = E\nsecret_key = K\n";
    let mut world = World::new(&[], &[(HOME, home), (ETC, etc)]);
    let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile: profile not found (file ~/.tencentcloud/credentials, profile default)"
    );
    assert_eq!(e.kind(), ErrorKind::NotConfigured);
    assert_eq!(world.files.asked, [HOME]);
}

// ---- Which profile ----

#[test]
fn profile_variable_selects_the_profile() {
    let text: &[u8] =
        b"[default]\nsecret_id = D\nsecret_key = K\n[work]\nsecret_id = W\nsecret_key = K\n";
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("work", Ok("W")),
        ("", Ok("D")),
        ("default", Ok("D")),
        (
            "Work",
            Err("profile: profile not found (file /tmp/cred, profile Work)"),
        ),
        (
            " work",
            Err("profile: profile not found (file /tmp/cred, profile  work)"),
        ),
    ];
    for (name, outcome) in cases {
        let (got, world) = resolve_file(text, &[(PROFILE_VAR, name)]);
        match outcome {
            Ok(id) => assert_eq!(got.unwrap().secret_id(), *id, "profile {name:?}"),
            Err(text) => {
                let e = got.unwrap_err();
                assert_eq!(e.to_string(), *text, "profile {name:?}");
                assert_eq!(e.kind(), ErrorKind::InvalidInput);
            }
        }
        assert_eq!(world.env.asked, [FILE_VAR, PROFILE_VAR]);
    }
}

#[test]
fn chosen_profile_absent_is_an_error_in_the_usual_places_too() {
    let home: &[u8] = b"[default]\nsecret_id = D\nsecret_key = K\n";
    let mut world = World::new(&[(PROFILE_VAR, "nosuch")], &[(HOME, home)]);
    let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile: profile not found (file ~/.tencentcloud/credentials, profile nosuch)"
    );
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn profile_variable_errors() {
    let text: &[u8] = b"[default]\nsecret_id = D\nsecret_key = K\n";
    let long = "p".repeat(65);
    let (got, world) = resolve_file(text, &[(PROFILE_VAR, &long)]);
    let e = got.unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile: profile name is too long (variable TENCENTCLOUD_PROFILE, limit 64 bytes)"
    );
    assert_eq!(e.kind(), ErrorKind::Capacity);
    assert!(world.files.asked.is_empty());

    let fit = "p".repeat(64);
    let (got, _) = resolve_file(text, &[(PROFILE_VAR, &fit)]);
    assert_eq!(
        got.unwrap_err().to_string(),
        format!("profile: profile not found (file /tmp/cred, profile {fit})")
    );

    let mut world = World::new(&[(FILE_VAR, FILE)], &[(FILE, text)]);
    world.env = world.env.not_unicode(PROFILE_VAR);
    let e = world.resolve(&mut ProfileProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile: value is not valid utf-8 (variable TENCENTCLOUD_PROFILE)"
    );
    assert!(world.files.asked.is_empty());
}

// ---- What the profile holds ----

#[test]
fn keys_missing_or_empty_name_file_profile_and_key() {
    check_table(&[
        (
            "secret_id missing",
            b"[default]\nsecret_key = K\n",
            Err("profile: key is missing (file /tmp/cred, profile default, key secret_id)"),
        ),
        (
            "secret_key missing",
            b"[default]\nsecret_id = A\n",
            Err("profile: key is missing (file /tmp/cred, profile default, key secret_key)"),
        ),
        (
            "both missing names the id",
            b"[default]\n",
            Err("profile: key is missing (file /tmp/cred, profile default, key secret_id)"),
        ),
        (
            "secret_id empty",
            b"[default]\nsecret_id =\nsecret_key = K\n",
            Err("profile: key is empty (file /tmp/cred, line 2, profile default, key secret_id)"),
        ),
        (
            "secret_key spaces only",
            b"[default]\nsecret_id = A\nsecret_key =  \t \n",
            Err("profile: key is empty (file /tmp/cred, line 3, profile default, key secret_key)"),
        ),
    ]);
}

#[test]
fn values_the_credential_rejects_name_their_place() {
    let long_id = format!(
        "[default]\nsecret_id = {}\nsecret_key = K\n",
        "a".repeat(129)
    );
    let fit_id = format!(
        "[default]\nsecret_id = {}\nsecret_key = K\n",
        "a".repeat(128)
    );
    let long_token = format!(
        "[default]\nsecret_id = A\nsecret_key = K\ntoken = {}\n",
        "t".repeat(4097)
    );
    check_table(&[
        (
            "leading space in quotes",
            b"[default]\nsecret_id = \" AKID1\"\nsecret_key = KEY1\n",
            Err(
                "profile: secret id should not contain spaces (file /tmp/cred, line 2, \
                 profile default, key secret_id)",
            ),
        ),
        (
            "trailing space in quotes",
            b"[default]\nsecret_id = A\nsecret_key = 'K '\n",
            Err(
                "profile: secret key should not contain spaces (file /tmp/cred, line 3, \
                 profile default, key secret_key)",
            ),
        ),
        (
            "spaces only in quotes",
            b"[default]\nsecret_id = A\nsecret_key = \"   \"\n",
            Err(
                "profile: secret key should not be none or empty (file /tmp/cred, line 3, \
                 profile default, key secret_key)",
            ),
        ),
        (
            "control character",
            b"[default]\nsecret_id = A\x00B\nsecret_key = K\n",
            Err(
                "profile: secret id should not contain control characters (file /tmp/cred, \
                 line 2, profile default, key secret_id)",
            ),
        ),
        (
            "tab inside a quoted token",
            b"[default]\nsecret_id = A\nsecret_key = K\ntoken = \"a\tb\"\n",
            Err(
                "profile: token should not contain control characters (file /tmp/cred, \
                 line 4, profile default, key token)",
            ),
        ),
        (
            "id over its limit",
            long_id.as_bytes(),
            Err(
                "profile: secret id is too long (file /tmp/cred, line 2, profile default, \
                 key secret_id, limit 128 bytes)",
            ),
        ),
        (
            "id at its limit",
            fit_id.as_bytes(),
            Ok((leak("a".repeat(128)), "K", None)),
        ),
        (
            "token over its limit",
            long_token.as_bytes(),
            Err(
                "profile: token is too long (file /tmp/cred, line 4, profile default, \
                 key token, limit 4096 bytes)",
            ),
        ),
    ]);
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn token_is_optional_and_empty_means_none() {
    check_table(&[
        (
            "absent",
            b"[default]\nsecret_id = A\nsecret_key = K\n",
            ok("A", "K"),
        ),
        (
            "empty",
            b"[default]\nsecret_id = A\nsecret_key = K\ntoken =\n",
            ok("A", "K"),
        ),
        (
            "empty quotes",
            b"[default]\nsecret_id = A\nsecret_key = K\ntoken = ''\n",
            ok("A", "K"),
        ),
        (
            "given",
            b"[default]\nsecret_id = A\nsecret_key = K\ntoken = T\n",
            Ok(("A", "K", Some("T"))),
        ),
        (
            "only in another profile",
            b"[default]\nsecret_id = A\nsecret_key = K\n[x]\ntoken = T\n",
            ok("A", "K"),
        ),
    ]);
}

#[test]
fn errors_never_show_secret_values() {
    let files: &[&[u8]] = &[
        b"[default]\nsecret_id = HIDDENID1\n",
        b"[default]\nsecret_id = HIDDENID1\nsecret_key = ' HIDDENKEY1'\n",
        b"[default]\nsecret_id = HIDDENID1\nsecret_key = HIDDENKEY1\ntoken = ' HIDDENTOKEN1'\n",
        b"[default]\nsecret_id = HIDDENID1\nsecret_key = HIDDENKEY1\nHIDDENLINE1\n",
        b"[default]\nsecret_id = HIDDENID1\nsecret_key = HIDDEN\xFFKEY1\n",
        b"[default]\nsecret_id = HIDDENID1\nsecret_key = HIDDENKEY1\n[HIDDENSECTION1\n",
        b"[default]\nsecret_id = \"HIDDENID1\x01\"\nsecret_key = HIDDENKEY1\n",
    ];
    for text in files {
        let (got, _) = resolve_file(text, &[]);
        let e = got.unwrap_err();
        for shown in [e.to_string(), format!("{e:?}")] {
            assert!(!shown.contains("HIDDEN"), "{shown}");
        }
    }
}

#[test]
fn debug_of_a_finished_run_hides_the_credential() {
    let mut provider = ProfileProvider::new().with_file(FILE).unwrap();
    let _ = provider.poll(0);
    provider.handle_env(Ok(None));
    let _ = provider.poll(0);
    provider.handle_file(Ok(
        b"[default]\nsecret_id = AKIDHIDDENID1234\nsecret_key = HIDDENKEY1\n",
    ));
    let shown = format!("{provider:?}");
    assert!(
        !shown.contains("HIDDENKEY1") && !shown.contains("HIDDENID"),
        "{shown}"
    );
    assert_eq!(provider.finish().unwrap().secret_key(), "HIDDENKEY1");
}

// ---- Builders ----

#[test]
fn builders_skip_their_variables() {
    let text: &[u8] =
        b"[default]\nsecret_id = D\nsecret_key = K\n[work]\nsecret_id = W\nsecret_key = K\n";
    let vars = [(FILE_VAR, "/elsewhere"), (PROFILE_VAR, "default")];

    let mut world = World::new(&vars, &[("/given", text)]);
    let mut provider = ProfileProvider::new().with_file("/given").unwrap();
    assert_eq!(world.resolve(&mut provider).unwrap().secret_id(), "D");
    assert_eq!(world.env.asked, [PROFILE_VAR]);
    assert_eq!(world.files.asked, ["/given"]);

    let mut world = World::new(&vars, &[("/elsewhere", text)]);
    let mut provider = ProfileProvider::new().with_profile("work").unwrap();
    assert_eq!(world.resolve(&mut provider).unwrap().secret_id(), "W");
    assert_eq!(world.env.asked, [FILE_VAR]);

    let mut world = World::new(&vars, &[("/given", text)]);
    let mut provider = ProfileProvider::new()
        .with_profile("work")
        .and_then(|p| p.with_file("/given"))
        .unwrap();
    assert_eq!(world.resolve(&mut provider).unwrap().secret_id(), "W");
    assert!(world.env.asked.is_empty());
    // The overrides outlive a run.
    assert_eq!(world.resolve(&mut provider).unwrap().secret_id(), "W");
    assert!(world.env.asked.is_empty());
    assert_eq!(world.files.asked, ["/given", "/given"]);
}

#[test]
fn given_file_missing_is_an_error_naming_it() {
    let mut world = World::new(&[], &[]);
    let mut provider = ProfileProvider::new().with_file("/given").unwrap();
    let e = world.resolve(&mut provider).unwrap_err();
    assert_eq!(e.to_string(), "profile: file not found (file /given)");
    assert_eq!(e.kind(), ErrorKind::Io);
}

#[test]
fn given_profile_default_absent_is_not_configured() {
    let mut world = World::new(&[], &[("/given", b"[work]\n")]);
    let mut provider = ProfileProvider::new()
        .with_file("/given")
        .and_then(|p| p.with_profile("default"))
        .unwrap();
    let e = world.resolve(&mut provider).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile: profile not found (file /given, profile default)"
    );
    assert_eq!(e.kind(), ErrorKind::NotConfigured);
}

#[test]
fn builder_errors() {
    let text = |r: Result<ProfileProvider, Error>| r.unwrap_err().to_string();
    assert_eq!(
        text(ProfileProvider::new().with_file("")),
        "profile: credentials file path is empty"
    );
    assert_eq!(
        text(ProfileProvider::new().with_file(&"p".repeat(513))),
        "profile: credentials file path is too long (limit 512 bytes)"
    );
    assert!(ProfileProvider::new().with_file(&"p".repeat(512)).is_ok());
    assert_eq!(
        text(ProfileProvider::new().with_profile("")),
        "profile: profile name is empty"
    );
    assert_eq!(
        text(ProfileProvider::new().with_profile(&"p".repeat(65))),
        "profile: profile name is too long (limit 64 bytes)"
    );
    assert!(ProfileProvider::new().with_profile(&"p".repeat(64)).is_ok());
}

// ---- The machine ----

#[test]
fn poll_is_repeatable() {
    let mut provider = ProfileProvider::new();
    for _ in 0..2 {
        assert!(matches!(
            provider.poll(0),
            Step::Env("TENCENTCLOUD_CREDENTIALS_FILE")
        ));
    }
    provider.handle_env(Ok(None));
    for _ in 0..2 {
        assert!(matches!(
            provider.poll(0),
            Step::Env("TENCENTCLOUD_PROFILE")
        ));
    }
    provider.handle_env(Ok(None));
    for _ in 0..2 {
        let Step::File(request) = provider.poll(0) else {
            panic!("expected the home file");
        };
        assert_eq!(request.file, FileRef::Home(".tencentcloud/credentials"));
    }
    provider.handle_file(Err(FileError::NotFound));
    for _ in 0..2 {
        let Step::File(request) = provider.poll(0) else {
            panic!("expected the system file");
        };
        assert_eq!(request.file, FileRef::Path("/etc/tencentcloud/credentials"));
    }
    provider.handle_file(Ok(b"[default]\nsecret_id = A\nsecret_key = K\n"));
    for _ in 0..2 {
        assert!(matches!(provider.poll(0), Step::Done));
    }
    assert_eq!(provider.finish().unwrap().secret_id(), "A");
    // Finished: the next run starts over.
    assert!(matches!(
        provider.poll(0),
        Step::Env("TENCENTCLOUD_CREDENTIALS_FILE")
    ));
}

#[test]
fn wrong_answers_end_the_run() {
    const UNEXPECTED: &str = "profile: driver answered a step the provider did not ask for";
    let answers: [fn(&mut ProfileProvider); 4] = [
        |p| p.handle_http(Err(tencentcloud_credential::io::TransportError::Refused)),
        |p| p.handle_file(Ok(b"[default]\n")),
        |p| {
            p.handle_env(Ok(None));
            p.handle_env(Ok(None));
            p.handle_env(Ok(None));
        },
        |_| {},
    ];
    for answer in answers {
        let mut provider = ProfileProvider::new();
        let _ = provider.poll(0);
        answer(&mut provider);
        let e = provider.finish().unwrap_err();
        assert_eq!(e.to_string(), UNEXPECTED);
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }
}

#[test]
fn finish_resets_for_the_next_run() {
    let text: &[u8] = b"[default]\nsecret_id = A\nsecret_key = K\n";
    let mut world = World::new(&[(FILE_VAR, FILE), (PROFILE_VAR, "work")], &[(FILE, text)]);
    let mut provider = ProfileProvider::new();
    assert_eq!(
        world.resolve(&mut provider).unwrap_err().to_string(),
        "profile: profile not found (file /tmp/cred, profile work)"
    );
    world.env = support::MapEnv::new(&[]);
    world
        .files
        .files
        .insert(HOME.to_string(), Ok(text.to_vec()));
    assert_eq!(world.resolve(&mut provider).unwrap().secret_id(), "A");
    assert_eq!(world.files.asked, [FILE, HOME]);
}

#[test]
fn machine_is_small() {
    let size = std::mem::size_of::<ProfileProvider>();
    assert!(size < 8 * 1024, "ProfileProvider is {size} bytes");
}
