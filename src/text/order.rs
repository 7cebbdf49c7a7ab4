//! Names in the order people expect: versions by their numbers.

/// Orders names as versions read: runs of digits compare as numbers, so
/// `v1.9` comes before `v1.10` and `tag-5` before `tag-40`; other runs
/// compare as text. Equal orders fall back to the plain text.
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut left, mut right) = (a, b);
    loop {
        let (Some(l), Some(r)) = (left.chars().next(), right.chars().next()) else {
            return left.len().cmp(&right.len()).then_with(|| a.cmp(b));
        };
        let order = if l.is_ascii_digit() && r.is_ascii_digit() {
            let (l_run, l_rest) = split_run(left, true);
            let (r_run, r_rest) = split_run(right, true);
            left = l_rest;
            right = r_rest;
            let (l_num, r_num) = (l_run.trim_start_matches('0'), r_run.trim_start_matches('0'));
            l_num.len().cmp(&r_num.len()).then_with(|| l_num.cmp(r_num))
        } else {
            let (l_run, l_rest) = split_run(left, false);
            let (r_run, r_rest) = split_run(right, false);
            left = l_rest;
            right = r_rest;
            l_run.cmp(r_run)
        };
        if order.is_ne() {
            return order;
        }
    }
}

/// The leading run of digits (or of non-digits) and the rest.
fn split_run(text: &str, digits: bool) -> (&str, &str) {
    let end = text
        .find(|c: char| c.is_ascii_digit() != digits)
        .unwrap_or(text.len());
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_as_people_read_them() {
        let mut tags = vec![
            "v1.10", "v1.9", "latest", "v1.2.3", "tag-40", "tag-5", "v01.9",
        ];
        tags.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            tags,
            [
                "latest", "tag-5", "tag-40", "v1.2.3", "v01.9", "v1.9", "v1.10"
            ]
        );
    }
}
