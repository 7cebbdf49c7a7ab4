//! The response body on its way to the client, with the rule's faults
//! applied (flipped bytes, truncation, resets, stalls, throttling) and the
//! bytes counted.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Frame;
use tokio::sync::mpsc;

use super::record::Record;
use super::{BoxError, ProxyBody, ProxyState, Rule};

pub(super) async fn pump(
    mut body: ProxyBody,
    tx: mpsc::Sender<Result<Frame<Bytes>, BoxError>>,
    rule: Rule,
    state: Arc<ProxyState>,
    record: Arc<Record>,
) {
    let limit = [rule.truncate_after, rule.reset_after, rule.stall_after]
        .into_iter()
        .flatten()
        .min();
    let mut offset: usize = 0;
    let send = |chunk: Bytes| {
        let tx = tx.clone();
        let state = state.clone();
        let record = record.clone();
        async move {
            // Counted before the hand-over, so a client that has the bytes
            // never sees a smaller count.
            let n = chunk.len() as u64;
            state.bytes_sent.fetch_add(n, Ordering::SeqCst);
            record.bytes_sent.fetch_add(n, Ordering::SeqCst);
            tx.send(Ok(Frame::data(chunk))).await.is_ok()
        }
    };
    let mut limit_reached = false;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers: dropped
        };
        let mut data = data.to_vec();
        if let Some(at) = rule.flip_byte_at
            && at >= offset
            && at < offset + data.len()
        {
            data[at - offset] ^= 0x01;
        }
        if let Some(limit) = limit {
            let room = limit.saturating_sub(offset);
            if data.len() >= room {
                data.truncate(room);
                limit_reached = true;
            }
        }
        offset += data.len();
        let pieces: Vec<Bytes> = match rule.throttle {
            Some(rate) => {
                let piece = ((rate / 10).max(1)) as usize;
                data.chunks(piece).map(Bytes::copy_from_slice).collect()
            }
            None if data.is_empty() => Vec::new(),
            None => vec![Bytes::from(data)],
        };
        for p in pieces {
            let len = p.len() as u64;
            if !send(p).await {
                return;
            }
            if let Some(rate) = rule.throttle {
                tokio::time::sleep(Duration::from_micros(len * 1_000_000 / rate)).await;
            }
        }
        if limit_reached {
            break;
        }
    }
    if limit_reached {
        if rule.stall_after.is_some_and(|n| Some(n) == limit) {
            tx.closed().await; // hang until the client goes away
            return;
        }
        if rule.reset_after.is_some_and(|n| Some(n) == limit) {
            let _ = tx.send(Err("fault proxy: connection reset".into())).await;
            return;
        }
        return; // truncate: a complete, short body
    }
    if let Some(extra) = rule.append {
        let _ = send(Bytes::from(extra)).await;
    }
}
