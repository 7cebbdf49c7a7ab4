//! A closed port fails fast (issue 12): a refused connection is tried once
//! more at most, and the error says the registry is not listening, naming
//! the address and how many attempts were made.

use std::net::TcpListener;

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, StoreError};

use super::run;

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    port
}

#[test]
fn a_closed_port_is_not_listening_after_one_retry_at_most() {
    let host = format!("127.0.0.1:{}", closed_port());
    let store = RemoteStore::new(&host, ConnectOptions::default()).expect("store");
    run(async {
        let error = store
            .resolve("app", "v1")
            .await
            .expect_err("nothing listens");
        let StoreError::NotListening {
            address, attempts, ..
        } = &error
        else {
            panic!("not a NotListening error: {error:?}");
        };
        assert_eq!(address, &host);
        assert!(*attempts <= 2, "{attempts} attempts at a closed port");
        let message = error.to_string();
        assert!(message.contains("not listening"), "{message}");
        assert!(message.contains(&host), "{message}");
        assert!(message.contains("resolve"), "{message}");
    });
}
