//! Decimal text of integers, written without `core::fmt`.
//!
//! Signing writes a timestamp and a date on every request; the formatting
//! machinery costs more than the few digits need.

/// Most digits of a `u64`.
pub(crate) const MAX: usize = 20;

/// The two decimal digits of 0 to 99.
// Evaluated at compile time: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const PAIRS: [[u8; 2]; 100] = {
    let mut table = [[0u8; 2]; 100];
    let mut n = 0;
    while n < 100 {
        table[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    table
};

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
        // Two digits at a time: a u64 has at most 20, so `start` stays in range.
        while n >= 10 {
            let pair = PAIRS.get((n % 100) as usize).copied().unwrap_or_default();
            n /= 100;
            start = start.saturating_sub(2);
            if let Some(slots) = digits.get_mut(start..start + 2) {
                slots.copy_from_slice(&pair);
            }
        }
        if n > 0 {
            start = start.saturating_sub(1);
            if let Some(slot) = digits.get_mut(start) {
                // `n` is below 10 here, so the cast is exact.
                *slot = b'0' + n as u8;
            }
        }
        // At least one digit (for 0), and zeros up to `width` (already there).
        let start = start.min(MAX - width.clamp(1, MAX));
        Self { digits, start }
    }

    /// The digits of `n`.
    pub(crate) fn of(n: u64) -> Self {
        Self::padded(n, 1)
    }

    /// The digits, as ASCII bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.digits.get(self.start..).unwrap_or_default()
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
            assert_eq!(Decimal::of(n).as_bytes(), format!("{n}").as_bytes());
            for width in [1, 2, 4, 12, 20] {
                assert_eq!(
                    Decimal::padded(n, width).as_bytes(),
                    format!("{n:0width$}").as_bytes()
                );
            }
        }
    }
}
