//! One file of a layer as its tar (or table of contents) describes
//! it, and the overlay conventions for deletions: a `.wh.NAME` entry removes
//! `NAME` from the layers below, a `.wh..wh..opq` entry hides everything the
//! layers below had in its directory.

use serde::{Deserialize, Serialize};

use crate::oci::Digest;
use crate::ops::OpError;

/// The prefix of a whiteout entry's file name.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// The file name that marks its directory opaque.
pub const OPAQUE_MARKER: &str = ".wh..wh..opq";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Char,
    Block,
    Fifo,
    /// A whiteout: the path it names is deleted from the layers below.
    Whiteout,
    /// An opaque marker: the directory's lower content is hidden.
    Opaque,
}

impl EntryKind {
    /// The type letter `tar tv` prints first.
    pub fn letter(self) -> char {
        match self {
            EntryKind::File | EntryKind::Whiteout | EntryKind::Opaque => '-',
            EntryKind::Dir => 'd',
            EntryKind::Symlink => 'l',
            EntryKind::Hardlink => 'h',
            EntryKind::Char => 'c',
            EntryKind::Block => 'b',
            EntryKind::Fifo => 'p',
        }
    }

    pub fn is_deletion(self) -> bool {
        matches!(self, EntryKind::Whiteout | EntryKind::Opaque)
    }
}

/// One entry of a layer. `path` is normalised: no leading `./` or `/`, no
/// trailing `/`. For a whiteout it is the path deleted (not the `.wh.` name),
/// for an opaque marker the directory made opaque.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub kind: EntryKind,
    pub size: u64,
    /// Permission bits (and setuid/setgid/sticky), without the type.
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Seconds since the epoch.
    pub mtime: i64,
    /// A symlink's target, or the path a hard link names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl FileEntry {
    /// `-rw-r--r--` as `ls -l` and `tar tv` print it.
    pub fn mode_string(&self) -> String {
        let mut out = String::with_capacity(10);
        out.push(self.kind.letter());
        let bits = self.mode;
        for (shift, special, special_char) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')]
        {
            let triple = (bits >> shift) & 7;
            out.push(if triple & 4 != 0 { 'r' } else { '-' });
            out.push(if triple & 2 != 0 { 'w' } else { '-' });
            let exec = triple & 1 != 0;
            out.push(match (bits & special != 0, exec) {
                (true, true) => special_char,
                (true, false) => special_char.to_ascii_uppercase(),
                (false, true) => 'x',
                (false, false) => '-',
            });
        }
        out
    }

    /// `user/group` as `tar tv` prints it: names when the archive has them,
    /// ids otherwise.
    pub fn owner(&self) -> String {
        let user = if self.user.is_empty() {
            self.uid.to_string()
        } else {
            self.user.clone()
        };
        let group = if self.group.is_empty() {
            self.gid.to_string()
        } else {
            self.group.clone()
        };
        format!("{user}/{group}")
    }
}

/// A tar entry name without `./`, leading or trailing `/`, or empty `.`
/// components: how the same path looks in every layer.
pub fn normalize_path(name: &str) -> String {
    name.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// What a normalised name means under the overlay rules: `(kind, path)` for
/// a whiteout or opaque marker, `None` for an ordinary entry.
pub fn deletion_of(path: &str) -> Option<(EntryKind, String)> {
    let (dir, file) = match path.rsplit_once('/') {
        Some((dir, file)) => (dir, file),
        None => ("", path),
    };
    if file == OPAQUE_MARKER {
        return Some((EntryKind::Opaque, dir.to_owned()));
    }
    let deleted = file.strip_prefix(WHITEOUT_PREFIX)?;
    if deleted.is_empty() {
        return None;
    }
    let path = if dir.is_empty() {
        deleted.to_owned()
    } else {
        format!("{dir}/{deleted}")
    };
    Some((EntryKind::Whiteout, path))
}

/// What a table of contents (eStargz or zstd:chunked) says of one entry:
/// both use tar's type names, and the same whiteout and link rules apply.
pub struct TocFields<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub link_name: &'a str,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub user: &'a str,
    pub group: &'a str,
    pub mtime: i64,
}

/// Where in a TOC's entries (given as `(type, name)`) the regular file
/// `path` is: the last one of that name wins, as in a tar.
pub fn last_regular_file<'a>(
    mut entries: impl DoubleEndedIterator<Item = (&'a str, &'a str)> + ExactSizeIterator,
    path: &str,
) -> Option<usize> {
    entries.rposition(|(kind, name)| kind == "reg" && normalize_path(name) == path)
}

/// A file's or chunk's digest as a TOC (`format` names which) writes it:
/// empty means none was given.
pub fn toc_digest(text: &str, format: &str) -> Result<Option<Digest>, OpError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|e| OpError::Invalid(format!("the {format} TOC has a bad digest: {e}")))
}

impl FileEntry {
    /// The entry a TOC line describes; `None` for what is not a file
    /// system entry (a chunk of a file) or has no path.
    pub fn from_toc(fields: TocFields<'_>) -> Option<FileEntry> {
        let mut kind = match fields.kind {
            "reg" => EntryKind::File,
            "dir" => EntryKind::Dir,
            "symlink" => EntryKind::Symlink,
            "hardlink" => EntryKind::Hardlink,
            "char" => EntryKind::Char,
            "block" => EntryKind::Block,
            "fifo" => EntryKind::Fifo,
            _ => return None,
        };
        let mut path = normalize_path(fields.name);
        if path.is_empty() {
            return None;
        }
        if let Some((deletion, deleted)) = deletion_of(&path) {
            kind = deletion;
            path = deleted;
        }
        let link = match kind {
            EntryKind::Symlink => Some(fields.link_name.to_owned()),
            EntryKind::Hardlink => Some(normalize_path(fields.link_name)),
            _ => None,
        };
        Some(FileEntry {
            path,
            kind,
            size: if kind == EntryKind::File {
                fields.size
            } else {
                0
            },
            mode: fields.mode & 0o7777,
            uid: fields.uid,
            gid: fields.gid,
            user: fields.user.to_owned(),
            group: fields.group.to_owned(),
            mtime: fields.mtime,
            link,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_names() {
        assert_eq!(normalize_path("./usr/bin/"), "usr/bin");
        assert_eq!(normalize_path("/etc//passwd"), "etc/passwd");
        assert_eq!(normalize_path("./"), "");
    }

    #[test]
    fn reads_whiteouts_and_opaque_markers() {
        assert_eq!(
            deletion_of("etc/.wh.motd"),
            Some((EntryKind::Whiteout, "etc/motd".to_owned()))
        );
        assert_eq!(
            deletion_of(".wh.tmp"),
            Some((EntryKind::Whiteout, "tmp".to_owned()))
        );
        assert_eq!(
            deletion_of("var/cache/.wh..wh..opq"),
            Some((EntryKind::Opaque, "var/cache".to_owned()))
        );
        assert_eq!(deletion_of("etc/motd"), None);
    }

    #[test]
    fn prints_modes_like_ls() {
        let mut entry = FileEntry {
            path: "bin/su".into(),
            kind: EntryKind::File,
            size: 1,
            mode: 0o4755,
            uid: 0,
            gid: 0,
            user: String::new(),
            group: "root".into(),
            mtime: 0,
            link: None,
        };
        assert_eq!(entry.mode_string(), "-rwsr-xr-x");
        assert_eq!(entry.owner(), "0/root");
        entry.kind = EntryKind::Dir;
        entry.mode = 0o1777;
        assert_eq!(entry.mode_string(), "drwxrwxrwt");
    }
}
