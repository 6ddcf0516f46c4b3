//! Load check of the credential cache (being written).
fn main() {}
