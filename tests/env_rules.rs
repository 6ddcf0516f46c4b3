//! The environment provider, one rule at a time, in an in-memory world.

mod support;

use support::{MapEnv, World};
use tencentcloud_credential::{EnvProvider, ErrorKind, Provider, Step};

const ID: &str = "TENCENTCLOUD_SECRET_ID";
const KEY: &str = "TENCENTCLOUD_SECRET_KEY";
const SESSION: &str = "TENCENTCLOUD_SESSION_TOKEN";
const ALIAS: &str = "TENCENTCLOUD_TOKEN";
const ALL: [&str; 4] = [ID, KEY, SESSION, ALIAS];

/// Variables of one case.
type Vars = &'static [(&'static str, &'static str)];
/// Variables of one case, some made at run time.
type Pairs<'a> = Vec<(&'static str, &'a str)>;
/// Variables in the order the provider asked for them.
type Asked = &'static [&'static str];
/// The credential expected, or the error text.
type Outcome = Result<(&'static str, &'static str, Option<&'static str>), &'static str>;
/// The credential resolved as its three parts, or the error text.
type Shown = Result<(String, String, Option<String>), String>;

/// Resolves with `env`, returning the outcome as text and the
/// variables asked for.
fn run(env: MapEnv) -> (Shown, Vec<String>) {
    let mut world = World::new(&[], &[]);
    world.env = env;
    let outcome = world.resolve(&mut EnvProvider::new());
    let shown = match outcome {
        Ok(c) => Ok((
            c.secret_id().to_string(),
            c.secret_key().to_string(),
            c.token().map(str::to_string),
        )),
        Err(e) => Err(e.to_string()),
    };
    assert!(world.files.asked.is_empty());
    (shown, world.env.asked)
}

fn check(name: &str, env: MapEnv, outcome: Outcome, asked: &[&str]) {
    let (got, seen) = run(env);
    let want = match outcome {
        Ok((id, key, token)) => Ok((id.to_string(), key.to_string(), token.map(str::to_string))),
        Err(e) => Err(e.to_string()),
    };
    assert_eq!(got, want, "case {name}");
    assert_eq!(seen, asked, "case {name}");
}

#[test]
fn unset_or_empty_is_not_configured() {
    const NOT_CONFIGURED: &str =
        "env: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset";
    let cases: [(&str, Vars, &[&str]); 5] = [
        ("both unset", &[], &ALL),
        ("both empty", &[(ID, ""), (KEY, "")], &ALL),
        ("id empty, key unset", &[(ID, "")], &ALL),
        ("only a session token", &[(SESSION, "TOK1")], &ALL[..3]),
        ("only an alias token", &[(ALIAS, "TOK2")], &ALL),
    ];
    for (name, vars, asked) in cases {
        check(name, MapEnv::new(vars), Err(NOT_CONFIGURED), asked);
        let mut world = World::new(vars, &[]);
        let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotConfigured, "case {name}");
    }
}

#[test]
fn only_the_id_names_the_key_variable() {
    for (name, vars) in [
        ("key unset", &[(ID, "AKIDVALUE1")][..]),
        ("key empty", &[(ID, "AKIDVALUE1"), (KEY, "")][..]),
    ] {
        check(
            name,
            MapEnv::new(vars),
            Err("env: secret key is unset while the secret id is set \
                 (variable TENCENTCLOUD_SECRET_KEY)"),
            &ALL,
        );
        let mut world = World::new(vars, &[]);
        let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(!format!("{e} {e:?}").contains("AKIDVALUE1"));
    }
}

#[test]
fn only_the_key_names_the_id_variable() {
    for (name, vars) in [
        ("id unset", &[(KEY, "KEYVALUE1")][..]),
        ("id empty", &[(ID, ""), (KEY, "KEYVALUE1")][..]),
    ] {
        check(
            name,
            MapEnv::new(vars),
            Err("env: secret id is unset while the secret key is set \
                 (variable TENCENTCLOUD_SECRET_ID)"),
            &ALL,
        );
        let mut world = World::new(vars, &[]);
        let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(!format!("{e} {e:?}").contains("KEYVALUE1"));
    }
}

#[test]
fn whitespace_around_values_is_rejected() {
    let cases: [(&str, Vars, Outcome); 5] = [
        (
            "whitespace-only id",
            &[(ID, "   "), (KEY, "KEY1")],
            Err("env: secret id should not be none or empty (variable TENCENTCLOUD_SECRET_ID)"),
        ),
        (
            "whitespace-only key",
            &[(ID, "AKID1"), (KEY, " \t")],
            Err("env: secret key should not be none or empty (variable TENCENTCLOUD_SECRET_KEY)"),
        ),
        (
            "trailing newline in id",
            &[(ID, "AKID1\n"), (KEY, "KEY1")],
            Err("env: secret id should not contain spaces (variable TENCENTCLOUD_SECRET_ID)"),
        ),
        (
            "leading space in key",
            &[(ID, "AKID1"), (KEY, " KEY1")],
            Err("env: secret key should not contain spaces (variable TENCENTCLOUD_SECRET_KEY)"),
        ),
        (
            "inner space in key",
            &[(ID, "AKID1"), (KEY, "KE Y1")],
            Ok(("AKID1", "KE Y1", None)),
        ),
    ];
    for (name, vars, outcome) in cases {
        check(name, MapEnv::new(vars), outcome, &ALL);
    }
}

#[test]
fn token_variables() {
    let base = [(ID, "AKID1"), (KEY, "KEY1")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut vars = base.to_vec();
        vars.extend_from_slice(extra);
        MapEnv::new(&vars)
    };
    check("no token", with(&[]), Ok(("AKID1", "KEY1", None)), &ALL);
    check(
        "session token",
        with(&[(SESSION, "TOK1")]),
        Ok(("AKID1", "KEY1", Some("TOK1"))),
        &ALL[..3],
    );
    check(
        "alias",
        with(&[(ALIAS, "TOK2")]),
        Ok(("AKID1", "KEY1", Some("TOK2"))),
        &ALL,
    );
    check(
        "session token preferred over the alias",
        with(&[(SESSION, "TOK1"), (ALIAS, "TOK2")]),
        Ok(("AKID1", "KEY1", Some("TOK1"))),
        &ALL[..3],
    );
    check(
        "empty session token falls to the alias",
        with(&[(SESSION, ""), (ALIAS, "TOK2")]),
        Ok(("AKID1", "KEY1", Some("TOK2"))),
        &ALL,
    );
    check(
        "both empty is no token",
        with(&[(SESSION, ""), (ALIAS, "")]),
        Ok(("AKID1", "KEY1", None)),
        &ALL,
    );
}

#[test]
fn control_characters_in_a_token_name_its_variable() {
    let base = [(ID, "AKID1"), (KEY, "KEY1")];
    let cases: [(&str, (&str, &str), &str, Asked); 4] = [
        (
            "crlf in session token",
            (SESSION, "abc\r\nX-Evil: 1"),
            "env: token should not contain control characters \
             (variable TENCENTCLOUD_SESSION_TOKEN)",
            &ALL[..3],
        ),
        (
            "lf in alias",
            (ALIAS, "abc\nX-Evil: 1"),
            "env: token should not contain control characters (variable TENCENTCLOUD_TOKEN)",
            &ALL,
        ),
        (
            "nul in session token",
            (SESSION, "ab\0c"),
            "env: token should not contain control characters \
             (variable TENCENTCLOUD_SESSION_TOKEN)",
            &ALL[..3],
        ),
        (
            "trailing newline in alias",
            (ALIAS, "abc\n"),
            "env: token should not contain spaces (variable TENCENTCLOUD_TOKEN)",
            &ALL,
        ),
    ];
    for (name, token, error, asked) in cases {
        let mut vars = base.to_vec();
        vars.push(token);
        check(name, MapEnv::new(&vars), Err(error), asked);
        let (got, _) = run(MapEnv::new(&vars));
        assert!(!got.unwrap_err().contains("X-Evil"), "case {name}");
    }
}

#[test]
fn control_characters_in_id_or_key_name_their_variable() {
    check(
        "cr in id",
        MapEnv::new(&[(ID, "AK\rID1"), (KEY, "KEY1")]),
        Err("env: secret id should not contain control characters \
             (variable TENCENTCLOUD_SECRET_ID)"),
        &ALL,
    );
    check(
        "nul in key",
        MapEnv::new(&[(ID, "AKID1"), (KEY, "KE\0Y1")]),
        Err("env: secret key should not contain control characters \
             (variable TENCENTCLOUD_SECRET_KEY)"),
        &ALL,
    );
}

#[test]
fn not_unicode_names_the_variable() {
    let base = [(ID, "AKID1"), (KEY, "KEY1")];
    for (variable, asked) in [
        (ID, &ALL[..]),
        (KEY, &ALL[..]),
        (SESSION, &ALL[..3]),
        (ALIAS, &ALL[..]),
    ] {
        check(
            variable,
            MapEnv::new(&base).not_unicode(variable),
            Err(match variable {
                ID => "env: value is not valid utf-8 (variable TENCENTCLOUD_SECRET_ID)",
                KEY => "env: value is not valid utf-8 (variable TENCENTCLOUD_SECRET_KEY)",
                SESSION => "env: value is not valid utf-8 (variable TENCENTCLOUD_SESSION_TOKEN)",
                _ => "env: value is not valid utf-8 (variable TENCENTCLOUD_TOKEN)",
            }),
            asked,
        );
    }
}

#[test]
fn over_long_values_are_capacity_errors_naming_the_variable() {
    let long_id = "i".repeat(129);
    let long_key = "k".repeat(129);
    let long_token = "t".repeat(4097);
    let cases: [(&str, Pairs<'_>, &str); 4] = [
        (
            "id",
            vec![(ID, &long_id), (KEY, "KEY1")],
            "env: secret id is too long (variable TENCENTCLOUD_SECRET_ID, limit 128 bytes)",
        ),
        (
            "key",
            vec![(ID, "AKID1"), (KEY, &long_key)],
            "env: secret key is too long (variable TENCENTCLOUD_SECRET_KEY, limit 128 bytes)",
        ),
        (
            "session token",
            vec![(ID, "AKID1"), (KEY, "KEY1"), (SESSION, &long_token)],
            "env: token is too long (variable TENCENTCLOUD_SESSION_TOKEN, limit 4096 bytes)",
        ),
        (
            "alias",
            vec![(ID, "AKID1"), (KEY, "KEY1"), (ALIAS, &long_token)],
            "env: token is too long (variable TENCENTCLOUD_TOKEN, limit 4096 bytes)",
        ),
    ];
    for (name, vars, error) in cases {
        let (got, _) = run(MapEnv::new(&vars));
        assert_eq!(got, Err(error.to_string()), "case {name}");
        let mut world = World::new(&vars, &[]);
        let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Capacity, "case {name}");
    }

    let id = "i".repeat(128);
    let key = "k".repeat(128);
    let token = "t".repeat(4096);
    let (got, _) = run(MapEnv::new(&[(ID, &id), (KEY, &key), (SESSION, &token)]));
    assert_eq!(
        got,
        Ok((id, key, Some(token))),
        "values exactly at the limits"
    );
}

#[test]
fn errors_never_show_the_values() {
    let cases: [&[(&str, &str)]; 6] = [
        &[(ID, "HIDDENID1")],
        &[(KEY, "HIDDENKEY1")],
        &[(ID, " HIDDENID1"), (KEY, "HIDDENKEY1")],
        &[(ID, "HIDDENID1"), (KEY, "HIDDENKEY1\n")],
        &[
            (ID, "HIDDENID1"),
            (KEY, "HIDDENKEY1"),
            (SESSION, "HIDDEN\nTOKEN1"),
        ],
        &[
            (ID, "HIDDENID1"),
            (KEY, "HIDDENKEY1"),
            (ALIAS, " HIDDENTOKEN1"),
        ],
    ];
    for vars in cases {
        let mut world = World::new(vars, &[]);
        let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("HIDDEN"), "{shown}");
    }
}

#[test]
fn debug_mid_run_hides_the_values() {
    let mut provider = EnvProvider::new();
    let _ = provider.poll(0);
    provider.handle_env(Ok(Some("HIDDENID1")));
    let _ = provider.poll(0);
    provider.handle_env(Ok(Some("HIDDENKEY1")));
    let _ = provider.poll(0);
    provider.handle_env(Ok(Some("HIDDENTOKEN1")));
    let shown = format!("{provider:?}");
    assert!(!shown.contains("HIDDEN"), "{shown}");
    let c = provider.finish().unwrap();
    assert_eq!(
        c.credential_info(),
        ("HIDDENID1", "HIDDENKEY1", Some("HIDDENTOKEN1"))
    );
}

#[test]
fn poll_is_repeatable_and_asks_in_order() {
    let mut provider = EnvProvider::new();
    for variable in ALL {
        for _ in 0..2 {
            assert!(matches!(provider.poll(0), Step::Env(v) if v == variable));
        }
        provider.handle_env(Ok(None));
    }
    assert!(matches!(provider.poll(0), Step::Done));
    assert!(matches!(provider.poll(0), Step::Done));
    assert!(provider.finish().unwrap_err().is_not_configured());
    // The next run starts over.
    assert!(matches!(provider.poll(0), Step::Env(ID)));
}

#[test]
fn wrong_answers_end_the_run() {
    const UNEXPECTED: &str = "env: driver answered a step the provider did not ask for";
    let mut provider = EnvProvider::new();
    let _ = provider.poll(0);
    provider.handle_file(Ok(b"x"));
    assert!(matches!(provider.poll(0), Step::Done));
    assert_eq!(provider.finish().unwrap_err().to_string(), UNEXPECTED);

    let mut provider = EnvProvider::new();
    provider.handle_http(Err(tencentcloud_credential::io::TransportError::Refused));
    assert_eq!(provider.finish().unwrap_err().to_string(), UNEXPECTED);

    let mut provider = EnvProvider::new();
    provider.handle_env(Ok(Some("AKID1")));
    assert_eq!(provider.finish().unwrap_err().to_string(), UNEXPECTED);
}
