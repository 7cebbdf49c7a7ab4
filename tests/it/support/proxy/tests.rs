use super::super::{Registry, http_get, http_request, sha256_digest};
use super::*;
use std::time::Duration;

fn push_blob(host: &str, data: &[u8]) -> String {
    let digest = sha256_digest(data);
    let r = http_request("POST", host, "/v2/proxy-test/blobs/uploads/", &[], b"").unwrap();
    assert_eq!(r.status, 202, "start upload: {}", r.text());
    let location = r.header("location").unwrap();
    let path = match location.split_once("://") {
        Some((_, rest)) => &rest[rest.find('/').unwrap()..],
        None => location,
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    let r = http_request(
        "PUT",
        host,
        &format!("{path}{sep}digest={digest}"),
        &[("Content-Type", "application/octet-stream")],
        data,
    )
    .unwrap();
    assert_eq!(r.status, 201, "finish upload: {}", r.text());
    digest
}

#[test]
fn proxy_forwards_records_and_counts() {
    let reg = Registry::olareg();
    let data: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    let digest = push_blob(reg.host(), &data);
    let proxy = FaultProxy::start(reg.host());
    let path = format!("/v2/proxy-test/blobs/{digest}");
    let r = http_get(&proxy.host(), &path, &[("X-Test", "1")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, data);
    let reqs = proxy.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, path);
    assert_eq!(reqs[0].header("x-test"), Some("1"));
    assert_eq!(reqs[0].status, 200);
    assert_eq!(proxy.bytes_sent(), data.len() as u64);
}

#[test]
fn proxy_faults_apply_in_order_and_expire() {
    let reg = Registry::distribution();
    let data: Vec<u8> = (0..4096u32).map(|i| (i % 253) as u8).collect();
    let digest = push_blob(reg.host(), &data);
    let path = format!("/v2/proxy-test/blobs/{digest}");
    let proxy = FaultProxy::start(reg.host());
    proxy.add_rule(
        Rule::new("GET", "/blobs/")
            .times(1)
            .status(429)
            .header("Retry-After", "1"),
    );
    proxy.add_rule(Rule::new("GET", "/blobs/").times(1).flip_byte(10));
    proxy.add_rule(Rule::new("GET", "/blobs/").times(1).truncate_after(100));
    proxy.add_rule(
        Rule::new("GET", "/blobs/")
            .times(1)
            .header("Docker-Content-Digest", "sha256:0000")
            .remove_header("Content-Type")
            .append(b"extra".to_vec()),
    );
    proxy.add_rule(Rule::new("GET", "/blobs/").times(1).reset_after(1000));
    proxy.add_rule(
        Rule::new("GET", "/blobs/")
            .times(1)
            .redirect_to_base(307, "http://127.0.0.1:9"),
    );

    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("1"));

    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), data.len());
    assert_eq!(r.body[10], data[10] ^ 1);
    assert_eq!(r.body[11..], data[11..]);

    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.header("content-length"), Some("100"));
    assert_eq!(r.body, data[..100]);

    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.header("docker-content-digest"), Some("sha256:0000"));
    assert_eq!(r.header("content-type"), None);
    assert_eq!(r.body.len(), data.len() + 5);
    assert!(r.body.ends_with(b"extra"));

    let before = proxy.bytes_sent();
    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.header("content-length"), Some("4096"));
    assert!(r.body.len() <= 1000, "reset after 1000 bytes");
    assert_eq!(proxy.bytes_sent() - before, 1000);

    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.status, 307);
    assert_eq!(
        r.header("location"),
        Some(format!("http://127.0.0.1:9{path}").as_str())
    );

    // Every rule used up: plain forwarding again.
    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!((r.status, r.body.clone()), (200, data.clone()));
    assert_eq!(proxy.requests().len(), 7);
    assert_eq!(proxy.requests()[6].rule, None);
    for i in 0..6 {
        assert_eq!(proxy.rule_hits(i), 1);
    }
}

#[test]
fn proxy_delay_and_stall() {
    let reg = Registry::olareg();
    let data = vec![7u8; 2000];
    let digest = push_blob(reg.host(), &data);
    let path = format!("/v2/proxy-test/blobs/{digest}");
    let proxy = FaultProxy::start(reg.host());
    proxy.add_rule(
        Rule::new("GET", "/blobs/")
            .times(1)
            .delay(Duration::from_millis(300)),
    );
    proxy.add_rule(Rule::new("GET", "/blobs/").times(1).stall_after(10));
    let t = std::time::Instant::now();
    let r = http_get(&proxy.host(), &path, &[]);
    assert_eq!(r.body, data);
    assert!(t.elapsed() >= Duration::from_millis(300));

    let mut s = std::net::TcpStream::connect(proxy.host()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    use std::io::{Read, Write};
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        proxy.host()
    )
    .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let err = loop {
        match s.read(&mut buf) {
            Ok(0) => panic!("stalled response ended: {}", String::from_utf8_lossy(&got)),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => break e,
        }
    };
    assert!(matches!(
        err.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ));
    let head_end = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert_eq!(
        got.len() - head_end - 4,
        10,
        "exactly 10 body bytes before the stall"
    );
}

#[test]
fn sink_records_and_answers() {
    let sink = RecordingSink::start_with(418, &[("X-Sink", "yes")], b"teapot");
    let r = http_request(
        "PUT",
        &sink.host(),
        "/v2/x/manifests/y?X-Amz-Signature=CANARYSIG",
        &[("Authorization", "Basic Y2FuYXJ5")],
        b"abc",
    )
    .unwrap();
    assert_eq!(r.status, 418);
    assert_eq!(r.header("x-sink"), Some("yes"));
    assert_eq!(r.body, b"teapot");
    let reqs = sink.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "PUT");
    assert_eq!(reqs[0].path, "/v2/x/manifests/y?X-Amz-Signature=CANARYSIG");
    assert_eq!(reqs[0].header("authorization"), Some("Basic Y2FuYXJ5"));
    assert_eq!(reqs[0].body_len, 3);
    sink.set_status(204);
    assert_eq!(http_get(&sink.host(), "/", &[]).status, 204);
}

#[tokio::test]
async fn starts_from_async_code() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    let sink = RecordingSink::start(200);
    let host = proxy.host();
    let reply = tokio::task::spawn_blocking(move || http_get(&host, "/v2/", &[]))
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
    assert!(!sink.host().is_empty());
    drop(proxy);
    drop(sink);
}
