//! Placeholder while the emulator is written.
