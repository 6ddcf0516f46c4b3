//! Chain scenarios (being written).
