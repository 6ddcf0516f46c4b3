mod support;

use support::World;
use tencentcloud_credential::{EnvProvider, ErrorKind};

#[test]
fn env_provider_reads_id_key_and_session_token() {
    let mut world = World::new(
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKID1"),
            ("TENCENTCLOUD_SECRET_KEY", "KEY1"),
            ("TENCENTCLOUD_SESSION_TOKEN", "TOK1"),
        ],
        &[],
    );
    let c = world.resolve(&mut EnvProvider::new()).unwrap();
    assert_eq!(c.credential_info(), ("AKID1", "KEY1", Some("TOK1")));
}

#[test]
fn env_provider_unset_is_not_configured() {
    let mut world = World::new(&[], &[]);
    let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotConfigured);
}
