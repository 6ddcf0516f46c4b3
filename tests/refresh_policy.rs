//! The refresh policy in simulated time: the window, the jitter bounds, the
//! ten-second rule, static stability, and no expired credential served.

use tencentcloud_credential::refresh::{
    AfterRefresh, Cached, Decision, RefreshPolicy, Refreshed, MAX_JITTER_SECS, RETRY_SECS,
    WINDOW_SECS,
};

const NOW: u64 = 1_700_000_000;

fn issued(expires_at: u64) -> Refreshed {
    Refreshed::Credential {
        expires_at: Some(expires_at),
    }
}

/// The schedule of a credential issued at `now`, expiring at `expires_at`.
fn scheduled(policy: &RefreshPolicy, now: u64, expires_at: u64, random: u64) -> Cached {
    match policy.after_refresh(Cached::Nothing, issued(expires_at), now, random) {
        AfterRefresh::Replace(cached) => cached,
        other => panic!("expected a new credential, got {other:?}"),
    }
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let policy = RefreshPolicy::new();
    assert_eq!((WINDOW_SECS, MAX_JITTER_SECS, RETRY_SECS), (300, 60, 10));
    assert_eq!(
        (
            policy.window(),
            policy.max_jitter(),
            policy.retry_interval()
        ),
        (300, 60, 10)
    );
    assert_eq!(policy, RefreshPolicy::default());
}

#[test]
fn decisions_at_each_edge_of_the_window() {
    let policy = RefreshPolicy::new();
    let expires_at = NOW + 3600;
    let cached = scheduled(&policy, NOW, expires_at, 0);
    assert_eq!(
        cached,
        Cached::Temporary {
            expires_at,
            refresh_at: expires_at - 300
        }
    );
    let table = [
        (NOW, Decision::Fresh),
        (expires_at - 301, Decision::Fresh),
        (expires_at - 300, Decision::RefreshSoon),
        (expires_at - 1, Decision::RefreshSoon),
        (expires_at, Decision::MustRefresh),
        (expires_at + 1_000_000, Decision::MustRefresh),
    ];
    for (now, expected) in table {
        assert_eq!(policy.decide(cached, now), expected, "at {now}");
    }
}

#[test]
fn nothing_cached_must_refresh() {
    assert_eq!(
        RefreshPolicy::new().decide(Cached::Nothing, NOW),
        Decision::MustRefresh
    );
    assert!(!Cached::Nothing.is_servable(0));
}

#[test]
fn jitter_stays_within_zero_and_sixty_seconds() {
    let policy = RefreshPolicy::new();
    let table: [(u64, u64); 7] = [
        (0, 0),
        (1, 1),
        (60, 60),
        (61, 0),
        (122, 0),
        (u64::MAX, u64::MAX % 61),
        (1_000_003, 1_000_003 % 61),
    ];
    for (random, jitter) in table {
        assert_eq!(policy.jitter(random), jitter, "random {random}");
    }
    // Jitter 0: refresh when fewer than 300 s remain; jitter 60: fewer than 240 s.
    assert_eq!(policy.refresh_at(NOW + 3600, 0), NOW + 3300);
    assert_eq!(policy.refresh_at(NOW + 3600, 60), NOW + 3360);
    let earliest = (0..10_000u64)
        .map(|r| policy.refresh_at(NOW + 3600, r.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
        .min();
    let latest = (0..10_000u64)
        .map(|r| policy.refresh_at(NOW + 3600, r.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
        .max();
    assert_eq!((earliest, latest), (Some(NOW + 3300), Some(NOW + 3360)));
}

#[test]
fn jitter_bounds_at_the_extremes_of_the_configuration() {
    let none = RefreshPolicy::new().with_max_jitter(0);
    assert_eq!(none.jitter(12345), 0);
    let all = RefreshPolicy::new().with_max_jitter(u64::MAX);
    assert_eq!(all.jitter(u64::MAX), u64::MAX);
    // A jitter larger than the window never schedules past expiry.
    assert_eq!(all.refresh_at(NOW + 3600, u64::MAX), NOW + 3600);
    assert_eq!(RefreshPolicy::new().refresh_at(100, 0), 0);
}

#[test]
fn a_credential_inside_the_window_is_retried_after_ten_seconds() {
    let policy = RefreshPolicy::new();
    // Valid for 100 s only: already inside the window.
    let cached = scheduled(&policy, NOW, NOW + 100, 0);
    assert_eq!(
        cached,
        Cached::Temporary {
            expires_at: NOW + 100,
            refresh_at: NOW + 10
        }
    );
    for now in NOW..NOW + 10 {
        assert_eq!(policy.decide(cached, now), Decision::Fresh, "at {now}");
    }
    assert_eq!(policy.decide(cached, NOW + 10), Decision::RefreshSoon);
    // Just past the window's edge by less than ten seconds: still ten seconds.
    let cached = scheduled(&policy, NOW, NOW + 305, 0);
    assert_eq!(policy.decide(cached, NOW + 9), Decision::Fresh);
    assert_eq!(policy.decide(cached, NOW + 10), Decision::RefreshSoon);
}

#[test]
fn a_credential_valid_less_than_ten_seconds_is_served_until_expiry() {
    let policy = RefreshPolicy::new();
    let cached = scheduled(&policy, NOW, NOW + 5, 0);
    assert_eq!(policy.decide(cached, NOW + 4), Decision::Fresh);
    assert_eq!(policy.decide(cached, NOW + 5), Decision::MustRefresh);
}

#[test]
fn a_failed_refresh_keeps_a_valid_credential_for_ten_seconds_more() {
    let policy = RefreshPolicy::new();
    let cached = scheduled(&policy, NOW, NOW + 3600, 0);
    let at = NOW + 3400;
    assert_eq!(policy.decide(cached, at), Decision::RefreshSoon);
    let after = policy.after_refresh(cached, Refreshed::Failed, at, 0);
    let kept = Cached::Temporary {
        expires_at: NOW + 3600,
        refresh_at: at + 10,
    };
    assert_eq!(after, AfterRefresh::KeepCached(kept));
    assert_eq!(policy.decide(kept, at + 9), Decision::Fresh);
    assert_eq!(policy.decide(kept, at + 10), Decision::RefreshSoon);
}

#[test]
fn a_failed_refresh_after_expiry_is_returned() {
    let policy = RefreshPolicy::new();
    let cached = scheduled(&policy, NOW, NOW + 3600, 0);
    let table = [
        (cached, NOW + 3600),
        (cached, NOW + 9999),
        (Cached::Nothing, NOW),
    ];
    for (cached, now) in table {
        assert_eq!(
            policy.after_refresh(cached, Refreshed::Failed, now, 0),
            AfterRefresh::Fail,
            "{cached:?} at {now}"
        );
    }
}

#[test]
fn a_credential_expired_on_arrival_counts_as_a_failure() {
    let policy = RefreshPolicy::new();
    let cached = scheduled(&policy, NOW, NOW + 3600, 0);
    let at = NOW + 3500;
    assert_eq!(
        policy.after_refresh(cached, issued(at), at, 0),
        AfterRefresh::KeepCached(Cached::Temporary {
            expires_at: NOW + 3600,
            refresh_at: at + 10
        })
    );
    assert_eq!(
        policy.after_refresh(Cached::Nothing, issued(NOW), NOW, 0),
        AfterRefresh::Fail
    );
    assert_eq!(
        policy.after_refresh(Cached::Nothing, issued(NOW - 1), NOW, 0),
        AfterRefresh::Fail
    );
}

#[test]
fn long_term_credentials_never_refresh() {
    let policy = RefreshPolicy::new();
    let after = policy.after_refresh(
        Cached::Nothing,
        Refreshed::Credential { expires_at: None },
        NOW,
        0,
    );
    assert_eq!(after, AfterRefresh::Replace(Cached::LongTerm));
    for now in [0, NOW, u64::MAX] {
        assert_eq!(policy.decide(Cached::LongTerm, now), Decision::Fresh);
    }
    assert!(Cached::LongTerm.is_servable(u64::MAX));
    assert_eq!(Cached::LongTerm.expires_at(), None);
}

#[test]
fn a_compressed_policy_scales_every_rule() {
    let policy = RefreshPolicy::new()
        .with_window(2)
        .with_max_jitter(1)
        .with_retry_interval(1);
    let cached = scheduled(&policy, NOW, NOW + 4, 0);
    assert_eq!(policy.decide(cached, NOW + 1), Decision::Fresh);
    assert_eq!(policy.decide(cached, NOW + 2), Decision::RefreshSoon);
    let cached = scheduled(&policy, NOW, NOW + 4, 1);
    assert_eq!(policy.decide(cached, NOW + 2), Decision::Fresh);
    assert_eq!(policy.decide(cached, NOW + 3), Decision::RefreshSoon);
}

/// A small deterministic generator for the simulation.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 11
    }
}

/// A week, second by second: an issuer whose credentials last between 1 s
/// and 2 h and which is down for stretches. At every instant, whatever is
/// served must be unexpired, refreshes are at least ten seconds apart while
/// something is servable, and a healthy issuer keeps something servable.
#[test]
fn no_expired_credential_is_served_in_a_long_simulated_run() {
    let policy = RefreshPolicy::new();
    let mut random = Lcg(42);
    let mut cached = Cached::Nothing;
    let mut served: Option<u64> = None; // expiry of the credential in service
    let mut last_refresh: Option<u64> = None;
    let (mut refreshes, mut kept, mut failed, mut fresh) = (0u64, 0u64, 0u64, 0u64);
    let start = NOW;
    let end = start + 7 * 24 * 3600;

    for now in start..end {
        let down = (now / 3600) % 7 == 3 && now % 3600 < 1800; // half an hour every 7 h
        let decision = policy.decide(cached, now);
        if decision != Decision::Fresh {
            if let (Decision::RefreshSoon, Some(last)) = (decision, last_refresh) {
                assert!(now >= last + RETRY_SECS, "refreshed at {last} and {now}");
            }
            last_refresh = Some(now);
            refreshes += 1;
            let refreshed = if down {
                Refreshed::Failed
            } else {
                let lifetime = match random.next() % 4 {
                    0 => 1 + random.next() % 300, // already inside the window
                    _ => 300 + random.next() % 7200,
                };
                issued(now + lifetime)
            };
            match policy.after_refresh(cached, refreshed, now, random.next()) {
                AfterRefresh::Replace(next) => {
                    cached = next;
                    served = next.expires_at();
                }
                AfterRefresh::KeepCached(next) => {
                    kept += 1;
                    cached = next;
                }
                AfterRefresh::Fail => {
                    failed += 1;
                    cached = Cached::Nothing;
                    served = None;
                }
            }
        } else {
            fresh += 1;
        }

        // What a reader gets at this instant: the cache serves what the
        // policy does not say must be refreshed first.
        if policy.decide(cached, now) != Decision::MustRefresh {
            let expires_at = served.expect("a servable credential has an expiry here");
            assert!(
                now < expires_at,
                "served a credential expired at {expires_at} at {now}"
            );
            assert_eq!(cached.expires_at(), Some(expires_at));
        } else {
            assert!(down, "nothing servable at {now} while the issuer is up");
        }
    }
    // The run exercised every branch, and refreshed far less than once a second.
    assert!(kept > 0 && failed > 0, "kept {kept}, failed {failed}");
    assert!(refreshes < (end - start) / 10, "{refreshes} refreshes");
    assert!(
        fresh > refreshes * 5,
        "{fresh} fresh, {refreshes} refreshes"
    );
}
