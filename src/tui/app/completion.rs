//! Tab in the attach dialog's path field: the runner lists what the typed
//! path could complete to, and the answer fills in what all of it shares.

use super::{App, Dialog, Popup};

impl App {
    pub(super) fn on_path_completed(&mut self, typed: &str, completions: Vec<String>) {
        if let Some(Popup::Dialog(Dialog::Attach {
            fields,
            completions: shown,
            ..
        })) = &mut self.popup
            && fields[0] == typed
        {
            if let Some(prefix) = common_prefix(&completions) {
                fields[0] = prefix;
            }
            *shown = if completions.len() > 1 {
                completions
            } else {
                Vec::new()
            };
        }
    }
}

fn common_prefix(items: &[String]) -> Option<String> {
    let first = items.first()?;
    let mut len = first.len();
    for item in &items[1..] {
        len = len.min(
            first
                .char_indices()
                .zip(item.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8()),
        );
    }
    Some(first[..len].to_owned())
}
