//! The stores the runner holds: the one browsed, and the one a diff mark
//! was made in once `g` has left it. Only what can still be reached is
//! kept, not a bounded cache of recent ones: `g` clears the screen stack,
//! running operations hold their own store, so the mark's store is the
//! only earlier one anything can ask for. Every other store, with its
//! tokens and connections, goes when `g` leaves it.

use std::sync::Arc;

use crate::store::SharedStore;

#[derive(Debug)]
pub struct Stores {
    browsed: SharedStore,
    /// The store of the diff mark, when it is not the one browsed.
    marked: Option<SharedStore>,
}

impl Stores {
    pub fn new(browsed: SharedStore) -> Stores {
        Stores {
            browsed,
            marked: None,
        }
    }

    /// The store browsed.
    pub fn browsed(&self) -> &SharedStore {
        &self.browsed
    }

    /// Browses `store` from now on, keeping of the earlier ones only the
    /// one named `mark` (the diff mark's store), if it is not `store`'s.
    pub fn browse(&mut self, store: SharedStore, mark: Option<&str>) {
        let old = std::mem::replace(&mut self.browsed, store);
        let browsed = self.browsed.name();
        self.marked = [Some(old), self.marked.take()]
            .into_iter()
            .flatten()
            .find(|earlier| Some(earlier.name()) == mark && earlier.name() != browsed);
    }

    /// The store named `name`: the one browsed for `None`, else the mark's
    /// if it is that one; `None` when the session no longer holds it.
    pub fn named(&self, name: Option<&str>) -> Option<SharedStore> {
        match name {
            None => Some(Arc::clone(&self.browsed)),
            Some(name) => self.marked.as_ref().filter(|s| s.name() == name).cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Weak;

    use super::*;
    use crate::store::Store;
    use crate::store::layout::LayoutStore;

    fn store(dir: &tempfile::TempDir, name: &str) -> (SharedStore, Weak<dyn Store>) {
        let layout = LayoutStore::create(dir.path().join(name)).expect("a layout");
        let store: SharedStore = Arc::new(layout.with_display_name(name, name));
        let weak = Arc::downgrade(&store);
        (store, weak)
    }

    #[test]
    fn only_the_browsed_store_and_the_marks_are_kept() {
        let dir = tempfile::tempdir().expect("a directory");
        let (a, weak_a) = store(&dir, "a");
        let (b, weak_b) = store(&dir, "b");
        let (c, weak_c) = store(&dir, "c");
        let mut stores = Stores::new(a);

        // No mark: `g` to b lets a go.
        stores.browse(b, None);
        assert!(
            weak_a.upgrade().is_none(),
            "a is kept with nothing to reach it"
        );
        assert_eq!(stores.browsed().name(), "b");

        // A mark in b: b stays through `g` to c, and answers for its name.
        stores.browse(c, Some("b"));
        assert!(weak_b.upgrade().is_some());
        let marked = stores.named(Some("b")).expect("the mark's store");
        assert_eq!(marked.name(), "b");
        drop(marked);
        assert!(stores.named(Some("a")).is_none());
        assert_eq!(
            stores.named(None).map(|s| s.name().to_owned()),
            Some("c".into())
        );

        // Still marked in b after another `g`: b stays, c goes.
        let (d, _weak_d) = store(&dir, "d");
        stores.browse(d, Some("b"));
        assert!(weak_b.upgrade().is_some());
        assert!(
            weak_c.upgrade().is_none(),
            "c is kept with nothing to reach it"
        );

        // Back to b: it is the one browsed, nothing earlier is kept.
        let (b_again, _) = store(&dir, "b");
        stores.browse(b_again, Some("b"));
        assert!(stores.marked.is_none());
        assert!(weak_b.upgrade().is_none(), "the old b, replaced by the new");

        // The mark gone: nothing earlier is kept.
        let (e, _) = store(&dir, "e");
        stores.browse(e, None);
        assert!(stores.named(Some("b")).is_none());
    }
}
