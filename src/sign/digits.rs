//! Decimal text of integers, written without `core::fmt`.
//!
//! Signing writes a timestamp and a date on every request; the formatting
//! machinery costs more than the few digits need.

/// Most digits of a `u64`.
pub(crate) const MAX: usize = 20;

/// `n` in decimal, at least `width` digits (zero-padded; at most [`MAX`]).
pub(crate) struct Decimal {
    digits: [u8; MAX],
    start: usize,
}

impl Decimal {
    /// The digits of `n`, zero-padded to `width`.
    pub(crate) fn padded(mut n: u64, width: usize) -> Self {
        let mut digits = [b'0'; MAX];
        let mut start = MAX;
        for slot in digits.iter_mut().rev() {
            if n == 0 && MAX - start >= width.max(1) {
                break;
            }
            // `n % 10` is below 10, so the cast is exact.
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
            start -= 1;
        }
        Self { digits, start }
    }

    /// The digits of `n`.
    pub(crate) fn of(n: u64) -> Self {
        Self::padded(n, 1)
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        let digits = self.digits.get(self.start..).unwrap_or_default();
        // Only ASCII digits were written.
        core::str::from_utf8(digits).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::format;

    #[test]
    fn matches_core_fmt() {
        let numbers = [0, 1, 9, 10, 99, 100, 1_551_113_065, u64::MAX - 1, u64::MAX];
        for n in numbers {
            assert_eq!(Decimal::of(n).as_str(), format!("{n}"));
            for width in [1, 2, 4, 12, 20] {
                assert_eq!(Decimal::padded(n, width).as_str(), format!("{n:0width$}"));
            }
        }
    }
}
