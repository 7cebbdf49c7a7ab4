//! A mistyped subcommand (`regscope tre`) would otherwise be read as a
//! Docker Hub repository and open the TUI on `docker.io/library/tre`.

use clap::CommandFactory as _;

/// The subcommands and their aliases, as typed: from the parser's own
/// definition, so a new subcommand is known here too.
fn subcommands() -> Vec<String> {
    super::Cli::command()
        .get_subcommands()
        .flat_map(|command| {
            std::iter::once(command.get_name().to_owned())
                .chain(command.get_all_aliases().map(str::to_owned))
        })
        .collect()
}

/// The subcommand `word` is probably a typo of: only for a bare word (no
/// `/`, `:`, `.` or `@`, which name a registry, a tag or a digest) within
/// two edits of one, or the first three letters or more of one; never for
/// a word that is one.
pub fn mistyped_subcommand(word: &str) -> Option<String> {
    if word.contains(['/', ':', '.', '@']) {
        return None;
    }
    let word = word.to_lowercase();
    let names = subcommands();
    if names.contains(&word) {
        return None;
    }
    let prefix_of = |name: &String| word.len() >= 3 && name.starts_with(&word);
    names
        .iter()
        .map(|name| {
            let distance = if prefix_of(name) {
                1
            } else {
                edit_distance(&word, name)
            };
            (distance, name)
        })
        .filter(|(distance, _)| (1..=2).contains(distance))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name.clone())
}

/// What to say for `word`, mistaken for `name`.
pub fn typo_message(word: &str, name: &str) -> String {
    format!(
        "`{word}` is not a subcommand: did you mean `{name}`? \
         (to open the repository {word} on Docker Hub, write docker.io/library/{word} \
         or {word}:latest)"
    )
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_subcommands_are_typos_and_references_are_not() {
        let typo = |word| mistyped_subcommand(word);
        assert_eq!(typo("tre").as_deref(), Some("tree"));
        assert_eq!(typo("pul").as_deref(), Some("pull"));
        assert_eq!(typo("atach").as_deref(), Some("attach"));
        assert_eq!(typo("delet").as_deref(), Some("delete"));
        assert_eq!(typo("audt").as_deref(), Some("audit"));
        assert_eq!(typo("complet").as_deref(), Some("completions"));
        assert_eq!(mistyped_subcommand("localhost:5000"), None);
        assert_eq!(mistyped_subcommand("ghcr.io/x"), None);
        assert_eq!(mistyped_subcommand("tre:v1"), None);
        assert_eq!(mistyped_subcommand("alpine"), None);
        assert_eq!(mistyped_subcommand("net-monitor"), None);
        assert_eq!(mistyped_subcommand("tree"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
