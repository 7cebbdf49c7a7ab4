//! Tab in the attach dialog's path field: the runner lists what the typed
//! path could complete to, and the field takes what all of it shares.

/// What every item starts with; `None` when there are none.
pub(super) fn common_prefix(items: &[String]) -> Option<String> {
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
