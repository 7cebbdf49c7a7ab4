//! Operations on the graph, shared by the TUI and the CLI.
