//! The credential an authenticator answers challenges with: given up front,
//! or looked up the first time a registry challenges. The lookup reads the
//! docker config and may run a credential helper for up to
//! [`super::HELPER_TIMEOUT`], so it runs on a blocking thread, once, and
//! only for registries that ask: opening a store never blocks, and a
//! registry that needs no authentication never starts a helper.

use std::fmt;
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::{Credential, LookupEnv, lookup_with};
use crate::store::StoreError;
use crate::store::remote::ConnectOptions;

type Lookup = Arc<dyn Fn() -> Result<Option<Credential>, StoreError> + Send + Sync>;

pub struct CredentialSource {
    found: OnceCell<Option<Credential>>,
    /// `None` when the credential was given: there is nothing to look up.
    lookup: Option<Lookup>,
}

impl CredentialSource {
    /// A credential known now (or known to be absent).
    pub fn known(credential: Option<Credential>) -> CredentialSource {
        CredentialSource {
            found: OnceCell::new_with(Some(credential)),
            lookup: None,
        }
    }

    /// `--username`/`--password` from `options` if given (checked now, so a
    /// half-given pair is an error at once); otherwise the docker config of
    /// this process's environment, read on first use.
    pub fn for_registry(
        registry: &str,
        options: &ConnectOptions,
    ) -> Result<CredentialSource, StoreError> {
        Self::with_env(registry, options, LookupEnv::from_process())
    }

    /// [`CredentialSource::for_registry`] with the environment given.
    pub fn with_env(
        registry: &str,
        options: &ConnectOptions,
        env: LookupEnv,
    ) -> Result<CredentialSource, StoreError> {
        if options.username.is_some() || options.password.is_some() {
            let no_config = LookupEnv {
                config_dir: None,
                containers_auth_files: Vec::new(),
                ..env
            };
            return Ok(CredentialSource::known(lookup_with(
                registry, options, &no_config,
            )?));
        }
        let registry = registry.to_owned();
        let options = options.clone();
        Ok(CredentialSource {
            found: OnceCell::new(),
            lookup: Some(Arc::new(move || lookup_with(&registry, &options, &env))),
        })
    }

    /// The credential, looking it up on a blocking thread the first time.
    /// A failed lookup is not remembered: the next challenge tries again.
    pub async fn get(&self) -> Result<Option<&Credential>, StoreError> {
        let found = self
            .found
            .get_or_try_init(|| async {
                let Some(lookup) = self.lookup.clone() else {
                    return Ok(None);
                };
                tokio::task::spawn_blocking(move || lookup())
                    .await
                    .map_err(|e| {
                        StoreError::Invalid(format!("the credential lookup did not finish: {e}"))
                    })?
            })
            .await?;
        Ok(found.as_ref())
    }
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.found.get() {
            Some(credential) => credential.fmt(f),
            None => f.write_str("not yet looked up"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn given_credentials_need_no_lookup_and_half_a_pair_is_refused_at_once() {
        let options = ConnectOptions {
            username: Some("u".to_owned()),
            password: Some("p".to_owned()),
            ..ConnectOptions::default()
        };
        let source = CredentialSource::for_registry("r.example", &options).expect("source");
        assert!(source.lookup.is_none());
        assert!(matches!(
            source.get().await,
            Ok(Some(Credential::Basic { username, .. })) if username == "u"
        ));
        let half = ConnectOptions {
            username: Some("u".to_owned()),
            ..ConnectOptions::default()
        };
        assert!(CredentialSource::for_registry("r.example", &half).is_err());
        let lazy = CredentialSource::for_registry("r.example", &ConnectOptions::default())
            .expect("source");
        assert!(
            lazy.found.get().is_none(),
            "nothing is looked up before use"
        );
        assert_eq!(format!("{lazy:?}"), "not yet looked up");
    }
}
