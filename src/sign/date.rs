//! The UTC calendar day of a unix timestamp, as TC3 credential scopes name it.

use core::fmt;

use super::digits::{Decimal, PAIRS};

/// Seconds in a UTC day (unix time has no leap seconds).
const DAY: u64 = 86_400;

/// Room for the longest date a `u64` timestamp can give: a 12-digit year.
const TEXT: usize = 24;

/// A UTC calendar day, `YYYY-MM-DD`.
///
/// Made from a unix timestamp with [`UtcDate::from_unix`]; TC3 puts it in the
/// credential scope and derives the day's signing key from it. Any `u64`
/// timestamp works: past year 9999 the year simply gets more digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UtcDate {
    year: u64,
    month: u8,
    day: u8,
    /// The ASCII text in `text[..len]`, zeros after it. Signing uses the
    /// bytes; [`as_str`](Self::as_str) makes them text when asked.
    text: [u8; TEXT],
    len: usize,
}

impl UtcDate {
    /// The UTC day that contains `timestamp` (unix seconds).
    pub fn from_unix(timestamp: u64) -> Self {
        let (year, month, day) = civil_from_days(timestamp / DAY);
        let mut text = [0u8; TEXT];
        let len = if year < 10_000 {
            // The usual case: ten ASCII bytes.
            let pair = |n: u64| PAIRS.get((n % 100) as usize).copied().unwrap_or_default();
            let [y1, y2] = pair(year / 100);
            let [y3, y4] = pair(year);
            let [m1, m2] = pair(month.into());
            let [d1, d2] = pair(day.into());
            let bytes = [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2];
            if let Some(slots) = text.get_mut(..bytes.len()) {
                slots.copy_from_slice(&bytes);
            }
            bytes.len()
        } else {
            // At most 12 + 1 + 2 + 1 + 2 bytes, so every piece fits.
            let mut len = 0;
            for piece in [
                Decimal::of(year).as_bytes(),
                b"-",
                Decimal::padded(month.into(), 2).as_bytes(),
                b"-",
                Decimal::padded(day.into(), 2).as_bytes(),
            ] {
                if let Some(slots) = text.get_mut(len..len + piece.len()) {
                    slots.copy_from_slice(piece);
                    len += piece.len();
                }
            }
            len
        };
        Self {
            year,
            month,
            day,
            text,
            len,
        }
    }

    /// The date as `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' were written.
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The date as ASCII bytes, `YYYY-MM-DD`.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.text.get(..self.len).unwrap_or_default()
    }

    /// The year (1970 or later).
    pub fn year(&self) -> u64 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl fmt::Display for UtcDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for UtcDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UtcDate({})", self.as_str())
    }
}

/// Year, month and day of the day `days` after 1970-01-01 (proleptic Gregorian).
///
/// Counts in 400-year eras of 146 097 days from 0000-03-01, so that the leap
/// day ends a year; every step is unsigned and far from overflow, since
/// `u64::MAX / 86 400` is about 2.1e14 days.
fn civil_from_days(days: u64) -> (u64, u8, u8) {
    // Days from 0000-03-01 to 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March: 0 = March ... 11 = February.
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    // Both fit a u8: month is 1..=12 and day 1..=31.
    (year, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::format;

    /// Days from 1970-01-01 to the given date: the inverse, to check round trips.
    fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year / 400;
        let year_of_era = year - era * 400;
        let shifted_month = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    #[test]
    fn known_days() {
        let cases: &[(u64, &str)] = &[
            (0, "1970-01-01"),
            (86_399, "1970-01-01"),
            (86_400, "1970-01-02"),
            (68_169_600, "1972-02-29"),
            (951_782_399, "2000-02-28"),
            (951_782_400, "2000-02-29"),
            (951_868_800, "2000-03-01"),
            (1_551_113_065, "2019-02-25"),
            (1_704_067_199, "2023-12-31"),
            (1_704_067_200, "2024-01-01"),
            (1_709_164_800, "2024-02-29"),
            (4_107_456_000, "2100-02-28"),
            (4_107_542_399, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
            (253_402_214_400, "9999-12-31"),
            (253_402_300_800, "10000-01-01"),
        ];
        for &(timestamp, expected) in cases {
            assert_eq!(
                UtcDate::from_unix(timestamp).as_str(),
                expected,
                "{timestamp}"
            );
        }
    }

    #[test]
    fn fields_match_the_text() {
        let date = UtcDate::from_unix(951_782_400);
        assert_eq!((date.year(), date.month(), date.day()), (2000, 2, 29));
        assert_eq!(format!("{date}"), "2000-02-29");
        assert_eq!(format!("{date:?}"), "UtcDate(2000-02-29)");
    }

    #[test]
    fn largest_timestamp_does_not_overflow() {
        let date = UtcDate::from_unix(u64::MAX);
        assert_eq!(date.as_str(), "584554051223-11-09");
    }

    #[test]
    fn round_trips_across_four_centuries() {
        // Every day from 1970 to past 2370: month lengths, leap years, 2100 and 2300.
        let mut previous = (1969, 12, 31);
        for days in 0..146_097 + 200 * 365 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, u64::from(m), u64::from(d)), days);
            assert!((y, m, d) > previous);
            previous = (y, m, d);
            if m == 2 && d == 29 {
                assert!(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0), "{y}");
            }
        }
    }
}
