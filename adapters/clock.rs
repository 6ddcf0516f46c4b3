//! The system clock.

use std::cell::Cell;
use std::thread_local;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::io::Clock;

/// The wall clock of the machine, in unix seconds.
///
/// Every call reads the clock. Each thread remembers the whole second it
/// read last, so that a reading within that second is told by comparing it
/// with the second's bounds rather than by converting it again; a reading
/// outside it (a later second, or a clock set back) is converted afresh.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

thread_local! {
    /// The second this thread read last: its start, its end (excluded) and
    /// its unix time.
    static SECOND: Cell<Option<(SystemTime, SystemTime, u64)>> = const { Cell::new(None) };
}

/// Whole seconds from the epoch to `time`; a time before 1970 reads as the
/// epoch itself.
fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Clock for SystemClock {
    #[inline]
    fn now(&self) -> u64 {
        let now = SystemTime::now();
        SECOND
            .try_with(|second| match second.get() {
                Some((start, end, secs)) if start <= now && now < end => secs,
                _ => {
                    let secs = unix_secs(now);
                    let start = UNIX_EPOCH.checked_add(Duration::from_secs(secs));
                    let end = start.and_then(|start| start.checked_add(Duration::from_secs(1)));
                    if let (Some(start), Some(end)) = (start, end) {
                        second.set(Some((start, end, secs)));
                    }
                    secs
                }
            })
            // A thread being torn down converts every reading.
            .unwrap_or_else(|_| unix_secs(now))
    }

    fn sleep(&self, millis: u32) {
        std::thread::sleep(std::time::Duration::from_millis(u64::from(millis)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_unix_second_of_the_wall_clock() {
        for _ in 0..1000 {
            let before = unix_secs(SystemTime::now());
            let now = SystemClock.now();
            let after = unix_secs(SystemTime::now());
            assert!(before <= now && now <= after, "{before} {now} {after}");
        }
    }

    #[test]
    fn a_second_is_remembered_with_its_bounds() {
        let now = SystemClock.now();
        let (start, end, secs) = SECOND.with(Cell::get).expect("remembered");
        assert_eq!(secs, now);
        assert_eq!(unix_secs(start), secs);
        assert_eq!(end.duration_since(start).ok(), Some(Duration::from_secs(1)));
        // The last nanosecond of the second still reads as it.
        let last = end
            .checked_sub(Duration::from_nanos(1))
            .expect("after 1970");
        assert_eq!(unix_secs(last), secs);
    }
}
