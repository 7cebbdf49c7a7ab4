//! Token scopes as the distribution token spec writes them
//! (`repository:<name>:pull,push`, `registry:catalog:*`), merged per
//! resource so one token answers for everything a request needs.

use std::collections::{BTreeMap, BTreeSet};

use super::Scope;

impl Scope {
    /// The scope string a token server understands.
    pub fn to_scope_string(&self) -> String {
        match self {
            Scope::Pull(repository) => format!("repository:{repository}:pull"),
            Scope::Push(repository) => format!("repository:{repository}:pull,push"),
            Scope::Delete(repository) => format!("repository:{repository}:delete"),
            Scope::Catalog => "registry:catalog:*".to_owned(),
        }
    }
}

/// A resource a scope grants actions on: (`repository`, `library/alpine`).
type Resource = (String, String);

/// A set of scopes with the actions on each resource merged, so
/// `repository:a:pull` and `repository:a:push` become `repository:a:pull,push`.
/// Two sets asking for the same access are equal, which makes this the key
/// of the token cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct ScopeSet {
    resources: BTreeMap<Resource, BTreeSet<String>>,
    /// Scope strings a challenge sent that do not read as `type:name:actions`;
    /// passed back to the token server verbatim.
    opaque: BTreeSet<String>,
}

impl ScopeSet {
    pub(crate) fn from_scopes(scopes: &[Scope]) -> ScopeSet {
        let mut set = ScopeSet::default();
        for scope in scopes {
            set.add(&scope.to_scope_string());
        }
        set
    }

    /// Adds the scopes of a challenge's `scope` parameter, which may hold
    /// several separated by spaces.
    pub(crate) fn add_all(&mut self, scopes: &str) {
        for scope in scopes.split_whitespace() {
            self.add(scope);
        }
    }

    /// Adds one scope string. One without actions asks for nothing and is
    /// dropped.
    pub(crate) fn add(&mut self, scope: &str) {
        let Some((kind, rest)) = scope.split_once(':') else {
            self.opaque.insert(scope.to_owned());
            return;
        };
        // A name may hold colons (`host:port/repo` in some registries), so
        // the actions are what follows the last one.
        let Some((name, actions)) = rest.rsplit_once(':') else {
            self.opaque.insert(scope.to_owned());
            return;
        };
        let actions: Vec<&str> = actions.split(',').filter(|a| !a.is_empty()).collect();
        if actions.is_empty() {
            return;
        }
        let entry = self
            .resources
            .entry((kind.to_owned(), name.to_owned()))
            .or_default();
        entry.extend(actions.into_iter().map(str::to_owned));
        if entry.contains("*") {
            entry.retain(|a| a == "*");
        }
    }

    /// Whether a token granted for `self` also grants everything `wanted`
    /// asks for.
    pub(crate) fn covers(&self, wanted: &ScopeSet) -> bool {
        let resources_covered = wanted.resources.iter().all(|(resource, actions)| {
            self.resources.get(resource).is_some_and(|granted| {
                granted.contains("*") || actions.iter().all(|a| granted.contains(a))
            })
        });
        resources_covered && wanted.opaque.is_subset(&self.opaque)
    }

    /// The scope strings to send, sorted, one per resource.
    pub(crate) fn to_strings(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .resources
            .iter()
            .map(|((kind, name), actions)| {
                let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
                format!("{kind}:{name}:{}", actions.join(","))
            })
            .chain(self.opaque.iter().cloned())
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(scopes: &[&str]) -> ScopeSet {
        let mut s = ScopeSet::default();
        for scope in scopes {
            s.add(scope);
        }
        s
    }

    #[test]
    fn scope_strings_follow_the_token_spec() {
        assert_eq!(
            Scope::Pull("library/alpine".into()).to_scope_string(),
            "repository:library/alpine:pull"
        );
        assert_eq!(
            Scope::Push("a/b".into()).to_scope_string(),
            "repository:a/b:pull,push"
        );
        assert_eq!(
            Scope::Delete("a".into()).to_scope_string(),
            "repository:a:delete"
        );
        assert_eq!(Scope::Catalog.to_scope_string(), "registry:catalog:*");
    }

    #[test]
    fn scopes_of_one_repository_merge() {
        let s = ScopeSet::from_scopes(&[
            Scope::Pull("app".into()),
            Scope::Delete("app".into()),
            Scope::Push("app".into()),
            Scope::Pull("other".into()),
            Scope::Catalog,
        ]);
        assert_eq!(
            s.to_strings(),
            [
                "registry:catalog:*",
                "repository:app:delete,pull,push",
                "repository:other:pull"
            ]
        );
    }

    #[test]
    fn order_and_duplicates_do_not_change_the_set() {
        let a = set(&[
            "repository:x:push",
            "repository:x:pull",
            "repository:y:pull",
        ]);
        let b = set(&["repository:y:pull", "repository:x:pull,push,pull"]);
        assert_eq!(a, b);
    }

    #[test]
    fn a_wildcard_action_absorbs_the_others() {
        let s = set(&["repository:x:pull", "repository:x:*", "repository:x:push"]);
        assert_eq!(s.to_strings(), ["repository:x:*"]);
    }

    #[test]
    fn scopes_without_actions_are_dropped_and_odd_ones_kept() {
        let s = set(&[
            "repository:x:",
            "repository:x:,,",
            "aud",
            "repository:h:5000/x:pull",
        ]);
        assert_eq!(s.to_strings(), ["aud", "repository:h:5000/x:pull"]);
    }

    #[test]
    fn challenge_scope_lists_split_on_spaces() {
        let mut s = ScopeSet::default();
        s.add_all("repository:a:pull,push  repository:b:pull");
        assert_eq!(
            s.to_strings(),
            ["repository:a:pull,push", "repository:b:pull"]
        );
    }

    #[test]
    fn coverage_compares_actions_per_resource() {
        let granted = set(&["repository:a:pull,push", "repository:b:*"]);
        assert!(granted.covers(&set(&["repository:a:pull"])));
        assert!(granted.covers(&set(&["repository:b:delete", "repository:a:push"])));
        assert!(granted.covers(&ScopeSet::default()));
        assert!(!granted.covers(&set(&["repository:a:delete"])));
        assert!(!granted.covers(&set(&["repository:c:pull"])));
        assert!(!granted.covers(&set(&["registry:catalog:*"])));
        assert!(!set(&["repository:a:pull"]).covers(&set(&["repository:a:pull,push"])));
    }
}
