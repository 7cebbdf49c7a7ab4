//! Deleting one tag and nothing else. The store's own way first (the
//! tag-delete API, a layout's `index.json` entry); otherwise regctl's
//! (`regctl tag rm`, regclient's `TagDelete`): point the tag at a throwaway
//! manifest made for the purpose, then delete that manifest by digest. A
//! registry such as distribution 2.8 drops every tag naming a deleted
//! manifest, so the throwaway takes the tag with it and the manifest the
//! tag named, with its other tags, stays.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde_json::json;

use crate::oci::media_type as mt;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::ops::OpError;
use crate::store::{Store, StoreError, bytes_stream};

/// How the tag went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagDeletedBy {
    /// The store deleted the tag itself.
    TagApi,
    /// A throwaway manifest was pushed to the tag and deleted.
    Throwaway,
}

/// Deletes `tag`, which the plan saw naming `expected`. Refuses when the
/// tag names something else by now. When the throwaway cannot be deleted
/// the tag is pointed back at the manifest it named.
pub(super) async fn delete_tag_alone(
    store: &dyn Store,
    repository: &str,
    tag: &str,
    expected: &Digest,
) -> Result<TagDeletedBy, OpError> {
    let original = store.fetch_manifest(repository, tag).await?;
    if original.digest() != expected {
        return Err(OpError::Invalid(format!(
            "{tag} names {} now, not {expected} as it did when the plan was made; nothing deleted",
            original.digest()
        )));
    }
    if store.delete_tag(repository, tag).await? {
        return Ok(TagDeletedBy::TagApi);
    }
    let (throwaway, blobs) = throwaway_manifest(tag, &original.media_type)?;
    for (descriptor, content) in blobs {
        store
            .push_blob(repository, &descriptor, bytes_stream(content))
            .await?;
    }
    store
        .push_manifest(repository, &throwaway, Some(tag))
        .await?;
    if let Err(error) = store.delete_manifest(repository, throwaway.digest()).await {
        // The tag must not be left naming the throwaway.
        return Err(
            match store.push_manifest(repository, &original, Some(tag)).await {
                Ok(_) => OpError::Invalid(format!(
                    "cannot delete the tag {tag} alone ({error}); it names {expected} again"
                )),
                Err(restore) => OpError::Invalid(format!(
                    "cannot delete the tag {tag} alone ({error}), and putting it back on {expected} \
                 failed ({restore}): it names the throwaway manifest {} now",
                    throwaway.digest()
                )),
            },
        );
    }
    Ok(TagDeletedBy::Throwaway)
}

/// A manifest no one else can have pushed (its config names the tag and the
/// time to the nanosecond), of the kind the tag named: some registries
/// refuse to change a tag's manifest type. Returns it with its blobs.
fn throwaway_manifest(
    tag: &str,
    named: &str,
) -> Result<(Manifest, Vec<(Descriptor, Bytes)>), OpError> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let created = crate::ops::attach::time::rfc3339_now();
    let empty = Bytes::from_static(mt::EMPTY_JSON);
    let empty_digest = Digest::sha256_of(&empty);
    let config = json!({
        "created": created,
        "architecture": "amd64",
        "os": "linux",
        "config": {"Labels": {
            "delete-tag": tag,
            "delete-date": format!("{}.{:09}", since_epoch.as_secs(), since_epoch.subsec_nanos()),
        }},
        "rootfs": {"type": "layers", "diff_ids": [empty_digest.to_string()]},
        "history": [{"created": created, "created_by": "# regscope rm", "comment": "deletes a tag"}],
    });
    let config = Bytes::from(serde_json::to_vec(&config).map_err(invalid)?);
    let oci = matches!(named, mt::OCI_MANIFEST | mt::OCI_INDEX);
    let (media_type, config_type, layer_type) = if oci {
        (mt::OCI_MANIFEST, mt::OCI_CONFIG, mt::OCI_LAYER_TAR)
    } else {
        (
            mt::DOCKER_MANIFEST,
            mt::DOCKER_CONFIG,
            mt::DOCKER_LAYER_TAR_GZIP,
        )
    };
    let config_descriptor = Descriptor::new(config_type, Digest::sha256_of(&config), len(&config));
    let layer_descriptor = Descriptor::new(layer_type, empty_digest, len(&empty));
    let document = json!({
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": config_descriptor,
        "layers": [layer_descriptor],
    });
    let raw = Bytes::from(serde_json::to_vec(&document).map_err(invalid)?);
    let manifest =
        Manifest::parse(raw, Some(media_type)).map_err(|cause| StoreError::InvalidManifest {
            what: "the throwaway manifest".to_owned(),
            cause,
        })?;
    Ok((
        manifest,
        vec![(layer_descriptor, empty), (config_descriptor, config)],
    ))
}

fn len(bytes: &Bytes) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

fn invalid(error: serde_json::Error) -> OpError {
    OpError::Invalid(format!("cannot encode the throwaway manifest: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throwaway_is_new_each_time_and_of_the_tags_kind() {
        let (first, blobs) = throwaway_manifest("v1", mt::OCI_INDEX).expect("manifest");
        let (second, _) = throwaway_manifest("v1", mt::OCI_INDEX).expect("manifest");
        assert_ne!(first.digest(), second.digest());
        assert_eq!(first.media_type, mt::OCI_MANIFEST);
        assert!(first.subject.is_none());
        assert_eq!(blobs.len(), 2);
        let (docker, _) = throwaway_manifest("v1", mt::DOCKER_MANIFEST_LIST).expect("manifest");
        assert_eq!(docker.media_type, mt::DOCKER_MANIFEST);
    }
}
