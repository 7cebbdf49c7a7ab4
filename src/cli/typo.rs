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

/// The typo message for a command line clap refused: its first word that
/// is not a flag (nor a flag's value) is a mistyped subcommand, followed by
/// arguments the parser did not expect (`regscope tre HOST/app`).
pub fn typo_in_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<String> {
    let command = super::Cli::command();
    // Top-level flags that take a value: the word after them is theirs.
    let takes_value: Vec<String> = command
        .get_arguments()
        .filter(|arg| arg.get_action().takes_values() && !arg.is_positional())
        .flat_map(|arg| {
            let long = arg.get_long().map(|l| format!("--{l}"));
            let short = arg.get_short().map(|s| format!("-{s}"));
            long.into_iter().chain(short)
        })
        .collect();
    let mut words = args.into_iter().skip(1);
    while let Some(word) = words.next() {
        let word = word.to_string_lossy().into_owned();
        if word == "--" {
            return None;
        }
        if word.starts_with('-') {
            if takes_value.contains(&word) {
                words.next();
            }
            continue;
        }
        return mistyped_subcommand(&word).map(|name| typo_message(&word, &name));
    }
    None
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

    #[test]
    fn a_typo_is_found_before_the_arguments_that_follow_it() {
        let args = |words: &[&str]| -> Vec<std::ffi::OsString> {
            std::iter::once("regscope")
                .chain(words.iter().copied())
                .map(Into::into)
                .collect()
        };
        let found = typo_in_args(args(&["tre", "localhost:5000/app"]));
        assert!(found.is_some_and(|m| m.contains("did you mean `tree`?")));
        let found = typo_in_args(args(&["--ca-file", "tre", "pul", "x/y"]));
        assert!(
            found.is_some_and(|m| m.contains("`pull`")),
            "a flag's value is not a word"
        );
        assert_eq!(typo_in_args(args(&["localhost:5000/app", "extra"])), None);
        assert_eq!(typo_in_args(args(&["--", "tre"])), None);
    }
}
