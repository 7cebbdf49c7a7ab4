//! The modes keys are read in, and which of them each screen reads.

/// Where a key is read: the same key may mean one thing in the tree and
/// another in a dialog (Enter opens a node, and runs a dialog). A screen
/// reads its keys in a few of these, in order (`Mode::lookup`): its own
/// first, then the shared ones, then the global ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// The graph and the detail pane.
    Browse,
    /// The audit table.
    Audit,
    /// The files view.
    Files,
    /// The doctor's report.
    Doctor,
    /// The findings table of a scan.
    Vulns,
    /// The diff of two images.
    Diff,
    /// Every list and scrolled text: moving, paging, filtering.
    List,
    /// Views over the graph (the audit table, the files view, help,
    /// messages): closing them.
    View,
    /// Questions answered with yes or no (delete, replace).
    Question,
    /// Dialogs and the prompts of the bottom line.
    Dialog,
    /// Everywhere but where text is typed.
    Global,
}

impl Mode {
    /// How each screen reads its keys: its own mode first, the shared
    /// ones after, the global ones last.
    pub fn lookup(self) -> &'static [Mode] {
        match self {
            Mode::Browse => &[Mode::Browse, Mode::List, Mode::Global],
            Mode::Audit => &[Mode::Audit, Mode::View, Mode::List, Mode::Global],
            Mode::Files => &[Mode::Files, Mode::View, Mode::List, Mode::Global],
            Mode::Doctor => &[Mode::Doctor, Mode::View, Mode::List, Mode::Global],
            Mode::Vulns => &[Mode::Vulns, Mode::View, Mode::List, Mode::Global],
            Mode::Diff => &[Mode::Diff, Mode::View, Mode::List, Mode::Global],
            Mode::List | Mode::View => &[Mode::View, Mode::List, Mode::Global],
            Mode::Question => &[Mode::Question, Mode::List, Mode::Dialog, Mode::Global],
            Mode::Dialog => &[Mode::Dialog],
            Mode::Global => &[Mode::Global],
        }
    }

    /// The heading of its keys in the help.
    pub fn heading(self) -> &'static str {
        match self {
            Mode::Browse => "in the graph and the detail pane",
            Mode::Audit => "in the audit table",
            Mode::Files => "in the files view",
            Mode::Doctor => "in the doctor's report",
            Mode::Vulns => "in the findings table",
            Mode::Diff => "in the diff",
            Mode::List => "in every list",
            Mode::View => "in a view over the graph",
            Mode::Question => "in a yes/no question",
            Mode::Dialog => "in dialogs and prompts",
            Mode::Global => "everywhere",
        }
    }
}
