//! The built-in demo: an OCI layout embedded in the binary.
