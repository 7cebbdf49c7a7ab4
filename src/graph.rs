//! The graph of manifests and what refers to them.
