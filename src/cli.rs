//! The headless command-line front end.
