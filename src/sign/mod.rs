//! Request signing: TC3-HMAC-SHA256, the legacy v1 signature, and skip-sign.
