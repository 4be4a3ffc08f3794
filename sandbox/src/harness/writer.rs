//! Writes one turn's frames to the response stream, paced like a model,
//! numbering content blocks as the harness does.

use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::frames;
use crate::intent_router::chunks::word_chunks;
use crate::web::event_stream_frames::PacedFrames;

/// Words per streamed text piece.
const WORDS_PER_CHUNK: usize = 3;

pub struct TurnWriter {
    out: PacedFrames,
    next_block: i32,
    output_words: usize,
    started: Instant,
}

impl TurnWriter {
    pub fn new(frames: mpsc::Sender<Bytes>, chunk_delay: Duration) -> Self {
        Self {
            out: PacedFrames::new(frames, chunk_delay),
            next_block: 0,
            output_words: 0,
            started: Instant::now(),
        }
    }

    pub async fn message_start(&mut self) -> anyhow::Result<()> {
        self.send(frames::message_start()?).await
    }

    /// One text block, streamed in word pieces.
    pub async fn text(&mut self, text: &str) -> anyhow::Result<()> {
        let index = self.next_block();
        for piece in word_chunks(text, WORDS_PER_CHUNK) {
            self.send(frames::text_delta(index, piece)?).await?;
        }
        self.output_words += text.split_whitespace().count();
        self.send(frames::block_stop(index)?).await
    }

    /// One tool-use block; its input JSON text arrives in two pieces, as
    /// models stream it.
    pub async fn tool_use(
        &mut self,
        tool_use_id: &str,
        name: &str,
        input: &str,
    ) -> anyhow::Result<()> {
        let index = self.next_block();
        self.send(frames::tool_use_start(index, tool_use_id, name)?)
            .await?;
        let middle = (0..=input.len() / 2)
            .rev()
            .find(|&i| input.is_char_boundary(i))
            .unwrap_or_default();
        for piece in [&input[..middle], &input[middle..]] {
            if !piece.is_empty() {
                self.send(frames::tool_use_delta(index, piece)?).await?;
            }
        }
        self.send(frames::block_stop(index)?).await
    }

    /// `messageStop` and the `metadata` that follows it.
    pub async fn message_stop(
        &mut self,
        stop_reason: &str,
        input_words: usize,
    ) -> anyhow::Result<()> {
        self.send(frames::message_stop(stop_reason)?).await?;
        let latency = self.started.elapsed().as_millis();
        self.send(frames::metadata(input_words, self.output_words, latency)?)
            .await
    }

    pub async fn exception(&mut self, exception_type: &str, message: &str) -> anyhow::Result<()> {
        self.send(frames::exception(exception_type, message)?).await
    }

    fn next_block(&mut self) -> i32 {
        let index = self.next_block;
        self.next_block += 1;
        index
    }

    async fn send(&mut self, frame: Bytes) -> anyhow::Result<()> {
        self.out.send(frame).await
    }
}
