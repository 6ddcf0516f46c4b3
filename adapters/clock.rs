//! The system clock.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::io::Clock;

/// The wall clock of the machine, in unix seconds.
///
/// Every call reads the clock. On Linux and Android it reads the kernel's
/// coarse real-time clock (a few nanoseconds through the vDSO, updated on
/// each timer tick) and goes to the precise clock only in the last ten ticks
/// of a second, where the coarse reading could still be the second before.
/// So the second returned is the precise clock's unless the kernel's tick
/// runs more than ten ticks late. A kernel whose coarse clock is coarser
/// than 10 ms is always read precisely; elsewhere the clock is
/// [`SystemTime::now`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[inline]
    fn now(&self) -> u64 {
        now_secs()
    }

    fn sleep(&self, millis: u32) {
        std::thread::sleep(std::time::Duration::from_millis(u64::from(millis)));
    }
}

/// Whole seconds from the epoch to `time`; a time before 1970 reads as the
/// epoch itself.
#[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[inline]
fn now_secs() -> u64 {
    unix_secs(SystemTime::now())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
use coarse::now_secs;

#[cfg(any(target_os = "linux", target_os = "android"))]
mod coarse {
    use std::sync::OnceLock;

    use rustix::time::{clock_getres, clock_gettime, ClockId, Nsecs, Timespec};

    /// Nanoseconds in a second.
    const SECOND_NS: Nsecs = 1_000_000_000;

    /// The coarsest tick trusted: `HZ=100`.
    const MAX_TICK_NS: Nsecs = 10_000_000;

    /// How many ticks before a second's end the precise clock is read.
    const TICKS_OF_MARGIN: Nsecs = 10;

    /// The nanosecond of a second from which the coarse clock is not
    /// trusted to have reached the next second; `None` when it is never used.
    static TRUSTED_BELOW: OnceLock<Option<Nsecs>> = OnceLock::new();

    #[inline]
    pub(super) fn now_secs() -> u64 {
        let trusted_below = *TRUSTED_BELOW
            .get_or_init(|| trusted_below(clock_getres(ClockId::RealtimeCoarse).tv_nsec));
        if let Some(secs) = trusted_below
            .and_then(|below| coarse_second(clock_gettime(ClockId::RealtimeCoarse), below))
        {
            return secs;
        }
        whole_secs(clock_gettime(ClockId::Realtime))
    }

    /// Where a coarse clock of `tick_ns` resolution stops being trusted.
    pub(super) fn trusted_below(tick_ns: Nsecs) -> Option<Nsecs> {
        (1..=MAX_TICK_NS)
            .contains(&tick_ns)
            .then(|| SECOND_NS - TICKS_OF_MARGIN * tick_ns)
    }

    /// The second of a coarse reading, when it is far enough from the next.
    pub(super) fn coarse_second(reading: Timespec, trusted_below: Nsecs) -> Option<u64> {
        (reading.tv_nsec < trusted_below).then(|| whole_secs(reading))
    }

    /// The whole seconds of a reading; before 1970 reads as the epoch.
    pub(super) fn whole_secs(reading: Timespec) -> u64 {
        u64::try_from(reading.tv_sec).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_unix_second_of_the_wall_clock() {
        let mut exact = 0;
        for _ in 0..100_000 {
            let before = unix_secs(SystemTime::now());
            let now = SystemClock.now();
            let after = unix_secs(SystemTime::now());
            // A kernel tick later than the margin may cost one second.
            assert!(before <= now + 1 && now <= after, "{before} {now} {after}");
            exact += usize::from(before <= now);
        }
        assert!(exact >= 99_900, "{exact} of 100000 readings were exact");
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn the_coarse_clock_is_trusted_up_to_ten_ticks_before_the_next_second() {
        use super::coarse::{coarse_second, trusted_below, whole_secs};
        use rustix::time::Timespec;

        assert_eq!(trusted_below(4_000_000), Some(960_000_000));
        assert_eq!(trusted_below(10_000_000), Some(900_000_000));
        assert_eq!(trusted_below(1), Some(999_999_990));
        assert_eq!(trusted_below(10_000_001), None);
        assert_eq!(trusted_below(0), None);
        assert_eq!(trusted_below(-1), None);

        let at = |tv_sec, tv_nsec| Timespec { tv_sec, tv_nsec };
        assert_eq!(
            coarse_second(at(1_700_000_000, 0), 960_000_000),
            Some(1_700_000_000)
        );
        assert_eq!(
            coarse_second(at(1_700_000_000, 959_999_999), 960_000_000),
            Some(1_700_000_000)
        );
        assert_eq!(
            coarse_second(at(1_700_000_000, 960_000_000), 960_000_000),
            None
        );
        assert_eq!(coarse_second(at(-5, 0), 960_000_000), Some(0));
        assert_eq!(whole_secs(at(-1, 999_999_999)), 0);
        assert_eq!(whole_secs(at(1_551_113_065, 1)), 1_551_113_065);
    }

    #[test]
    fn before_1970_reads_as_the_epoch() {
        let before = UNIX_EPOCH - std::time::Duration::from_secs(10);
        assert_eq!(unix_secs(before), 0);
        assert_eq!(unix_secs(UNIX_EPOCH + std::time::Duration::from_secs(7)), 7);
    }
}
