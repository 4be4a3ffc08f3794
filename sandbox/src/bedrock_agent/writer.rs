//! Writes one turn's events to the response stream, paced like a model.

use std::time::Duration;

use anyhow::anyhow;
use bytes::Bytes;
use tokio::sync::mpsc;

use super::event_stream;
use super::exceptions::AgentException;
use super::trace::{
    ActionGroupInvocationInput, ActionGroupInvocationOutput, InvocationInput, Observation,
    OrchestrationTrace, Parameter, Rationale, SessionIds, Trace, TracePart,
};
use crate::intent_router::chunks::word_chunks;
use crate::web::event_stream_frames::PacedFrames;

/// Words per streamed chunk: small enough to show text arriving gradually.
const WORDS_PER_CHUNK: usize = 3;

pub struct EventWriter {
    frames: PacedFrames,
    ids: SessionIds,
    enable_trace: bool,
    stream_final_response: bool,
    /// This turn's one orchestration step, like Bedrock's `{uuid}-{step}`
    /// ids: its rationale, invocation and observation share it.
    trace_id: String,
    cut: Option<Cut>,
    /// Told once, right after the answer's first chunk is sent.
    first_chunk_sent: Option<Box<dyn FnOnce() + Send>>,
}

/// A fault armed to replace a frame of the turn.
struct Cut {
    after_frames: usize,
    kind: CutKind,
}

enum CutKind {
    Exception {
        exception: AgentException,
        message: String,
    },
    /// Nothing more is sent and the stream stays open.
    Stall,
}

/// How the caller asked the turn to be delivered.
pub struct Delivery {
    pub enable_trace: bool,
    pub stream_final_response: bool,
    pub chunk_delay: Duration,
}

impl EventWriter {
    pub fn new(frames: mpsc::Sender<Bytes>, ids: SessionIds, delivery: Delivery) -> Self {
        Self {
            frames: PacedFrames::new(frames, delivery.chunk_delay),
            ids,
            enable_trace: delivery.enable_trace,
            stream_final_response: delivery.stream_final_response,
            trace_id: format!("{}-0", uuid::Uuid::new_v4()),
            cut: None,
            first_chunk_sent: None,
        }
    }

    /// Calls `notify` right after the answer's first chunk is sent.
    pub fn on_first_chunk(&mut self, notify: impl FnOnce() + Send + 'static) {
        self.first_chunk_sent = Some(Box::new(notify));
    }

    /// A rationale trace; like every trace, dropped unless the caller
    /// enabled traces.
    pub async fn rationale(&mut self, text: &str) -> anyhow::Result<()> {
        let rationale = Rationale {
            trace_id: self.trace_id.clone(),
            text: text.to_owned(),
        };
        self.trace(OrchestrationTrace::Rationale(rationale)).await
    }

    /// The agent calling a function of an action group on Lambda.
    pub async fn invocation_input(
        &mut self,
        action_group: &str,
        function: &str,
        parameters: &[Parameter],
    ) -> anyhow::Result<()> {
        let input = InvocationInput {
            trace_id: self.trace_id.clone(),
            invocation_type: "ACTION_GROUP",
            action_group_invocation_input: ActionGroupInvocationInput {
                action_group_name: action_group.to_owned(),
                function: function.to_owned(),
                parameters: parameters.to_vec(),
                execution_type: "LAMBDA",
            },
        };
        self.trace(OrchestrationTrace::InvocationInput(input)).await
    }

    /// What the action group answered.
    pub async fn observation(&mut self, text: &str) -> anyhow::Result<()> {
        let observation = Observation {
            trace_id: self.trace_id.clone(),
            kind: "ACTION_GROUP",
            action_group_invocation_output: ActionGroupInvocationOutput {
                text: text.to_owned(),
            },
        };
        self.trace(OrchestrationTrace::Observation(observation))
            .await
    }

    async fn trace(&mut self, step: OrchestrationTrace) -> anyhow::Result<()> {
        if !self.enable_trace {
            return Ok(());
        }
        let trace = Trace::OrchestrationTrace(step);
        let frame = event_stream::trace(&TracePart::new(&self.ids, trace))?;
        self.send(frame).await
    }

    /// The final answer: word chunks when streaming was asked for, else one
    /// chunk, as Bedrock does without `streamFinalResponse`.
    pub async fn answer(&mut self, text: &str) -> anyhow::Result<()> {
        if !self.stream_final_response {
            return self.send_chunk(text).await;
        }
        for piece in word_chunks(text, WORDS_PER_CHUNK) {
            self.send_chunk(piece).await?;
        }
        Ok(())
    }

    async fn send_chunk(&mut self, text: &str) -> anyhow::Result<()> {
        self.send(event_stream::chunk(text)?).await?;
        if let Some(notify) = self.first_chunk_sent.take() {
            notify();
        }
        Ok(())
    }

    /// Makes the frame after the first `after_frames` ones an exception
    /// frame that ends the turn, as when Bedrock fails mid-reply.
    pub fn cut_after(&mut self, after_frames: usize, exception: AgentException, message: String) {
        self.cut = Some(Cut {
            after_frames,
            kind: CutKind::Exception { exception, message },
        });
    }

    /// After `after_frames` frames the stream goes quiet, still open.
    pub fn stall_after(&mut self, after_frames: usize) {
        self.cut = Some(Cut {
            after_frames,
            kind: CutKind::Stall,
        });
    }

    /// Ends the turn; an armed exception that the reply was too short to
    /// reach comes last.
    pub async fn finish(&mut self) -> anyhow::Result<()> {
        match self.cut.take() {
            Some(cut) => self.fail(cut).await,
            None => Ok(()),
        }
    }

    async fn send(&mut self, frame: Bytes) -> anyhow::Result<()> {
        if let Some(cut) = self
            .cut
            .take_if(|cut| cut.after_frames == self.frames.sent())
        {
            return self.fail(cut).await;
        }
        self.frames.send(frame).await
    }

    /// Sends the exception frame, or holds the stream open until the
    /// client leaves; the error stops the rest of the turn.
    async fn fail(&mut self, cut: Cut) -> anyhow::Result<()> {
        match cut.kind {
            CutKind::Exception { exception, message } => {
                let payload = exception.payload(&message);
                self.frames
                    .send(event_stream::exception(exception, &payload)?)
                    .await?;
                Err(anyhow!("the turn ended with an injected {exception:?}"))
            }
            CutKind::Stall => {
                self.frames.closed().await;
                Err(anyhow!("the client left an injected stall"))
            }
        }
    }
}
