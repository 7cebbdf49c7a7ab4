//! Store errors as the TUI says them. The store's advice is written for
//! the command line ("use --username with --password-stdin"); inside the
//! TUI a user cannot add flags, so it says how to get there instead.

use crate::store::StoreError;

/// The sentence a node or the status line shows for `error`.
pub fn error_text(error: &StoreError) -> String {
    match error {
        StoreError::Unauthorized { what, detail } if detail.contains("--username") => format!(
            "unauthorized (401) for {what}: it asks for a username and password. \
             Quit (q) and start regscope again with --username NAME --password-stdin, \
             or run `docker login {what}` first"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tui_says_how_to_log_in_from_the_tui() {
        let error = StoreError::Unauthorized {
            what: "localhost:5000".to_owned(),
            detail: "the registry asks for a username and password and none were given \
                     (use --username with --password-stdin, or docker login)"
                .to_owned(),
        };
        let text = error_text(&error);
        assert!(text.contains("Quit (q) and start regscope again"), "{text}");
        assert!(text.contains("docker login localhost:5000"), "{text}");
        assert!(!text.contains("use --username"), "{text}");
        let other = StoreError::NotFound {
            what: "tag v1".to_owned(),
        };
        assert_eq!(error_text(&other), "tag v1 not found");
    }
}
