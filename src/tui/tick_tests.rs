//! The spinner's schedule, counted on tokio's paused clock: ticks, never
//! durations.

use std::sync::{Arc, Mutex};

use crossterm::event::Event;
use ratatui::layout::Rect;

use super::clipboard::Clipboard;
use super::config::Config;
use super::message::Msg;
use super::tree::NodeId;
use super::tree::Status;
use super::{Driver, Launch, Start, TICK};
use crate::store::remote::ConnectOptions;

/// A download reports progress far more often than the spinner turns;
/// each report used to restart the tick's timer, so the spinner froze
/// while bytes streamed. On a fixed schedule the ticks keep coming.
#[tokio::test(start_paused = true)]
async fn ticks_keep_their_schedule_while_messages_stream() {
    let (store, _scratch) = crate::demo::open_scratch().expect("demo");
    let launch = Launch {
        store: Arc::new(store),
        start: Start::Registry,
        scratch_note: None,
        connect: ConnectOptions::default(),
    };
    let mut driver = Driver::new(
        launch,
        Config::defaults(),
        Clipboard::Memory(Arc::new(Mutex::new(Vec::new()))),
        None,
        Rect::new(0, 0, 80, 24),
    );
    // Something that stays under way for the whole test, as a download.
    driver
        .app
        .graph_mut()
        .tree
        .node_mut(&[NodeId::Registry])
        .expect("root")
        .preview_slot
        .status = Status::Loading;

    // A message every TICK / 3, for 30 ticks' worth of (virtual) time.
    const MESSAGES: u32 = 90;
    let sender = driver.sender();
    let feeder = tokio::spawn(async move {
        for _ in 0..MESSAGES {
            tokio::time::sleep(TICK / 3).await;
            let _ = sender.send(Msg::Input(Event::FocusGained));
        }
    });
    let mut ticks = 0u32;
    let mut others = 0u32;
    while !feeder.is_finished() || others < MESSAGES {
        match driver.next().await {
            Some(Msg::Tick) => {
                ticks += 1;
                driver.handle(Msg::Tick);
            }
            Some(msg) => {
                if matches!(msg, Msg::Input(Event::FocusGained)) {
                    others += 1;
                }
                driver.handle(msg);
            }
            None => break,
        }
    }
    assert_eq!(others, MESSAGES);
    // 30 ticks are due over that stretch; one either side for where the
    // schedule started and ended.
    assert!((29..=31).contains(&ticks), "{ticks} ticks");
    assert_eq!(driver.app.tick, u64::from(ticks));
}
