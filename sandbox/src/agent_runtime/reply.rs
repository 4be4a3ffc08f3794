//! What the sandbox agent says for each intent.

use super::intent::Intent;
use super::writer::EventWriter;

/// Multi-byte characters (em dash, bullets, ellipsis, accents) on purpose:
/// clients must never split a UTF-8 character between chunks.
const GREETING: &str = "Hello — I'm Custodian's local sandbox agent. \
I'm a deterministic intent router, not a language model, so I only understand a few requests. \
Here is what Custodian can do:\n\
• look up a user's Okta groups (\"What are the Okta groups for user bob@example.com?\")\n\
• reset a user's password after you approve a push on your phone \
(\"Reset the password for bob@example.com\").\n\
Try one of those… et voilà.";

pub async fn respond(intent: Intent, out: &mut EventWriter) -> anyhow::Result<()> {
    match intent {
        Intent::Greeting => {
            out.rationale(
                "Routing the request… no supported intent matched, so the sandbox agent \
                 introduces itself and lists what it can do.",
            )
            .await?;
            out.answer(GREETING).await
        }
    }
}
