//! Who the agent acts for: only ever the session named by the turn's
//! capability, the one session attribute the BFF sent. Nothing the model
//! says can change it, and a capability whose turn is over acts for nobody.

use custodian_core::actions::{ActionContext, ActionOutcome};
use custodian_core::bedrock_agent::CAPABILITY_ATTRIBUTE;
use custodian_core::turn_capability::Admitted;

use crate::event::ActionGroupEvent;

/// The actor and conversation of a call to `function`, or the failure to
/// answer with (a refusal reads the same whatever was wrong).
pub async fn admit(
    context: &ActionContext,
    event: &ActionGroupEvent,
    function: &str,
) -> Result<Admitted, ActionOutcome> {
    context
        .turns
        .admit(
            event
                .session_attributes
                .get(CAPABILITY_ATTRIBUTE)
                .map(String::as_str),
            event.session_id.as_deref(),
            function,
        )
        .await
        .map_err(|refusal| ActionOutcome::failure(refusal.to_string()))
}
