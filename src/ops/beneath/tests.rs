//! The safe-write module against symlinks planted on the way and at the
//! name, once through `openat2` and once through the component walk: each
//! write is refused or replaces the link itself, and what the link points
//! to (a directory beside the root) keeps its entries and its mode.

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;

use super::{Beneath, Kind, umask};
use crate::ops::OpError;

/// A root `out` and a directory `outside` beside it, mode 0700, holding
/// `secret`; `out/up` is a symlink to `outside`.
struct Ground {
    dir: tempfile::TempDir,
}

impl Ground {
    fn new() -> Ground {
        let ground = Ground {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        std::fs::create_dir(ground.out()).expect("out");
        std::fs::create_dir(ground.outside()).expect("outside");
        std::fs::write(ground.outside().join("secret"), "secret").expect("secret");
        let private = std::fs::Permissions::from_mode(0o700);
        std::fs::set_permissions(ground.outside(), private).expect("chmod");
        symlink(ground.outside(), ground.out().join("up")).expect("symlink");
        ground
    }
    fn out(&self) -> std::path::PathBuf {
        self.dir.path().join("out")
    }
    fn outside(&self) -> std::path::PathBuf {
        self.dir.path().join("outside")
    }
    /// Entries and modes of `outside`, and its own mode and times.
    fn outside_state(&self) -> Vec<String> {
        let meta = std::fs::metadata(self.outside()).expect("outside");
        let mut state = vec![format!(
            "{:o} {} {}",
            meta.mode(),
            meta.mtime_nsec(),
            meta.ctime_nsec()
        )];
        for entry in std::fs::read_dir(self.outside()).expect("read outside") {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("meta");
            let name = entry.file_name().to_string_lossy().into_owned();
            state.push(format!("{name} {:o} {}", meta.mode(), meta.len()));
        }
        state.sort();
        state
    }
    /// The root opened both ways.
    fn roots(&self) -> [Beneath; 2] {
        let open = || Beneath::open(&self.out()).expect("open");
        [open(), open().walking_only()]
    }
}

fn refused(result: Result<impl std::fmt::Debug, OpError>, why: &str) {
    match result {
        Err(OpError::UnsafePath { reason, .. }) => assert!(reason.contains(why), "{reason}"),
        other => panic!("not refused ({why}): {other:?}"),
    }
}

#[test]
fn nothing_passes_through_a_symlink_on_the_way() {
    let ground = Ground::new();
    let before = ground.outside_state();
    for out in ground.roots() {
        let through = Path::new("up/x");
        refused(
            out.make_dir(through, 0o777, "up/x"),
            "up is a symbolic link",
        );
        refused(
            out.create_file(through, 0o666, "up/x"),
            "up is a symbolic link",
        );
        refused(out.symlink(through, "y", "up/x"), "up is a symbolic link");
        refused(out.kind(Path::new("up/secret")), "up is a symbolic link");
        let stolen = out.hard_link(Path::new("stolen"), Path::new("up/secret"), "stolen");
        refused(stolen, "up is a symbolic link");
        let placed = out.place("nothing".as_ref(), Path::new("up/deep/x"), false);
        refused(placed, "up is a symbolic link");
        assert_eq!(ground.outside_state(), before);
    }
}

#[test]
fn a_directory_never_replaces_or_follows_a_symlink_at_its_name() {
    let ground = Ground::new();
    let before = ground.outside_state();
    for out in ground.roots() {
        refused(
            out.make_dir(Path::new("up"), 0o777, "up"),
            "a directory would replace a symbolic link",
        );
        assert_eq!(
            out.kind(Path::new("up")).expect("kind"),
            Some(Kind::Symlink)
        );
        assert_eq!(ground.outside_state(), before, "the link's target changed");
    }
}

#[test]
fn a_file_or_link_replaces_the_symlink_itself_never_its_target() {
    let ground = Ground::new();
    let before = ground.outside_state();
    for (i, out) in ground.roots().into_iter().enumerate() {
        std::fs::remove_file(ground.out().join("up")).ok();
        symlink(ground.outside().join("secret"), ground.out().join("up")).expect("symlink");
        std::io::Write::write_all(
            &mut out.create_file(Path::new("up"), 0o644, "up").expect("file"),
            b"new",
        )
        .expect("write");
        assert_eq!(out.kind(Path::new("up")).expect("kind"), Some(Kind::File));
        out.symlink(Path::new("up"), "elsewhere", "up")
            .expect("link");
        let link = std::fs::read_link(ground.out().join("up")).expect("readlink");
        assert_eq!(link, Path::new("elsewhere"), "round {i}");
        assert_eq!(ground.outside_state(), before);
        assert_eq!(
            std::fs::read(ground.outside().join("secret")).expect("secret"),
            b"secret"
        );
    }
}

#[test]
fn hard_links_only_to_files_already_inside() {
    let ground = Ground::new();
    for out in ground.roots() {
        out.make_dir(Path::new("d"), 0o755, "d").expect("dir");
        let link = |source: &str| out.hard_link(Path::new("h"), Path::new(source), "h");
        refused(link("d"), "hard link to a non-file");
        refused(link("up"), "hard link to a non-file");
        refused(link("missing"), "not unpacked before it");
        refused(link("nowhere/missing"), "not unpacked before it");
        std::fs::write(ground.out().join("f"), "f").expect("f");
        link("f").expect("a file links");
        let (f, h) = (ground.out().join("f"), ground.out().join("h"));
        let inode = |p: &Path| std::fs::metadata(p).expect("meta").ino();
        assert_eq!(inode(&f), inode(&h));
        std::fs::remove_file(h).expect("rm");
    }
}

#[test]
fn modes_drop_special_bits_keep_owner_access_and_honour_the_umask() {
    let ground = Ground::new();
    let mode = |relative: &str| {
        std::fs::symlink_metadata(ground.out().join(relative))
            .expect("meta")
            .mode()
            & 0o7777
    };
    for (i, out) in ground.roots().into_iter().enumerate() {
        let (file, dir) = (format!("f{i}"), format!("d{i}/e"));
        out.create_file(Path::new(&file), 0o4777, &file)
            .expect("file");
        assert_eq!(mode(&file), 0o777 & !umask());
        // Made on the way with the usual mode, then given the entry's own
        // through its descriptor.
        out.create_file(Path::new(&format!("{dir}/x")), 0o600, "x")
            .expect("inner");
        out.make_dir(Path::new(&dir), 0o2050, &dir).expect("dir");
        assert_eq!(mode(&dir), 0o750 & !umask());
    }
}
