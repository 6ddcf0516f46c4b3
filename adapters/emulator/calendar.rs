//! UTC dates of unix timestamps, written out the way Tencent Cloud does.

use std::format;
use std::string::String;

/// `YYYY-MM-DD`, the UTC day of `unix` seconds.
pub(crate) fn date(unix: i64) -> String {
    let (year, month, day) = civil(unix.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as in `Expiration`.
pub(crate) fn date_time(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    let (hour, minute, second) = (secs / 3600, secs % 3600 / 60, secs % 60);
    format!("{}T{hour:02}:{minute:02}:{second:02}Z", date(unix))
}

/// Year, month and day of the day `days` after 1970-01-01 (proleptic Gregorian).
fn civil(days: i64) -> (i64, i64, i64) {
    // Count from 0000-03-01, so that a leap day ends each 4-year cycle and
    // each year runs March to February; 400-year eras repeat exactly.
    let from_march_0000 = days + 719_468;
    let era = from_march_0000.div_euclid(146_097);
    let day_of_era = from_march_0000.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{date, date_time};

    #[test]
    fn dates_of_known_timestamps() {
        for (unix, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_551_113_065, "2019-02-25T16:44:25Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ] {
            assert_eq!(date_time(unix), text, "{unix}");
        }
        assert_eq!(date(1_551_113_065), "2019-02-25");
    }
}
