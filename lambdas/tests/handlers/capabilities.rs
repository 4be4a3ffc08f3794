//! The capability the BFF seals for each chat turn, sent straight to each
//! action-group handler as Bedrock would forward it. Only a valid one
//! acts, as often as the turn needs; a forged, expired, replayed, missing
//! or misplaced one gets the usual function response with the same plain
//! refusal, is audited, and nothing is asked of anyone.

use custodian_core::sealing::Sealer;
use custodian_core::turn_capability::{REFUSAL_TEXT, TurnCapability, TurnClaims};
use lambdas::Handler;
use serde_json::{Value, json};

use crate::support::*;

const GROUPS: Case = Case {
    handler: Handler::OktaOperations,
    fixture: "okta_operations_get_user_groups.json",
    group: "OktaOperations",
    function: "get_user_groups",
    acted: "Okta groups for bob@example.com",
};
const RESET: Case = Case {
    handler: Handler::CibaAuthentication,
    fixture: "ciba_authentication_authenticate_user.json",
    group: "CIBAAuthentication",
    function: "authenticate_user",
    acted: "Approve the request showing code",
};

/// One action group: its handler, fixture, names, and words that show it
/// acted.
struct Case {
    handler: Handler,
    fixture: &'static str,
    group: &'static str,
    function: &'static str,
    acted: &'static str,
}

impl Case {
    /// The fixture in `conversation` (its agent session), carrying `sealed`.
    fn event(&self, conversation: &str, sealed: &str) -> Value {
        let mut event = fixture(self.fixture);
        event["sessionId"] = json!(conversation);
        with_capability(event, sealed)
    }

    async fn send(&self, stack: &Stack, event: Value) -> (Option<String>, String) {
        let response = self.handler.handle(&stack.actions, event).await;
        read_response(&response, self.group, self.function)
    }

    async fn acts(&self, stack: &Stack, event: Value) {
        let (state, body) = self.send(stack, event).await;
        assert_eq!(state, None, "{body}");
        assert!(body.contains(self.acted), "{body}");
    }

    /// `sealed` sent in `conversation` is refused for `outcome`.
    async fn refuses(&self, stack: &Stack, conversation: &str, sealed: &str, outcome: &str) {
        self.refused(stack, self.event(conversation, sealed), outcome)
            .await;
    }

    /// Refused with the plain words, and audited with `outcome` for this
    /// call (found by its conversation, unique to the call).
    async fn refused(&self, stack: &Stack, event: Value, outcome: &str) {
        let conversation = event["sessionId"].as_str().unwrap_or_default().to_owned();
        let (state, body) = self.send(stack, event).await;
        assert_eq!(state.as_deref(), Some("FAILURE"), "{outcome}: {body}");
        assert_eq!(body, REFUSAL_TEXT, "{outcome}");
        let audited = captured_logs().lines().any(|line| {
            line.contains("\"event\":\"action.refused\"")
                && line.contains(&format!("\"subject\":\"{}\"", self.function))
                && line.contains(&format!("\"agent_session\":\"{conversation}\""))
                && line.contains(&format!("\"outcome\":\"{outcome}\""))
        });
        assert!(audited, "{} {outcome} was not audited", self.function);
    }
}

fn new_conversation() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Nothing was asked of FGA, Token Vault, Okta or Auth0's CIBA.
async fn nothing_called(stack: &Stack) {
    assert_eq!(stack.calls(), 0);
    assert!(stack.ciba_requests().await.is_empty());
}

/// A real open turn of `signed` in a new conversation, its claims changed
/// by `edit` and sealed with `sealer`: the conversation and the result.
async fn resealed(
    stack: &Stack,
    signed: &Signed,
    sealer: &Sealer,
    edit: impl FnOnce(&mut TurnClaims),
) -> (String, TurnCapability) {
    let conversation = new_conversation();
    let turn = stack.open_turn(signed, &conversation).await;
    let turns = &stack.actions.turns;
    let mut claims = turns.claims(turn.capability().expose()).unwrap();
    edit(&mut claims);
    (conversation, TurnCapability::seal(sealer, &claims))
}

#[tokio::test]
async fn one_open_turn_may_call_both_groups_as_often_as_it_needs() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    let conversation = new_conversation();
    let turn = stack.open_turn(&admin, &conversation).await;
    let sealed = turn.capability().expose();
    for case in [&GROUPS, &RESET, &GROUPS] {
        case.acts(&stack, case.event(&conversation, sealed)).await;
    }
    // The reset's card is in the capability's conversation.
    let records = stack
        .actions
        .sessions
        .store()
        .list_step_ups(&admin.sub, &conversation)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert!(
        !captured_logs().contains(sealed),
        "the capability is never logged"
    );
}

#[tokio::test]
async fn forged_capabilities_are_refused() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    let other_key = Sealer::from_keys(&Sealer::generate_key(), &[]).unwrap();
    for case in [&GROUPS, &RESET] {
        let random = "gAAAAABrandom-string-not-a-capability";
        case.refuses(&stack, &new_conversation(), random, "forged")
            .await;
        // Claims of a real open turn, sealed with another deployment's key.
        let (conversation, foreign) = resealed(&stack, &admin, &other_key, |_| {}).await;
        case.refuses(&stack, &conversation, foreign.expose(), "forged")
            .await;
    }
    nothing_called(&stack).await;
}

#[tokio::test]
async fn expired_capabilities_are_refused() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    let sealer = stack.actions.sessions.sealer();
    for case in [&GROUPS, &RESET] {
        let past = custodian_core::time::now_unix() - 1;
        let (conversation, sealed) =
            resealed(&stack, &admin, sealer, |claims| claims.expires_at = past).await;
        case.refuses(&stack, &conversation, sealed.expose(), "expired")
            .await;
    }
    nothing_called(&stack).await;
}

#[tokio::test]
async fn a_capability_replayed_after_its_turn_is_refused() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    for case in [&GROUPS, &RESET] {
        let conversation = new_conversation();
        let turn = stack.open_turn(&admin, &conversation).await;
        let sealed = turn.capability().expose().to_owned();
        case.acts(&stack, case.event(&conversation, &sealed)).await;
        stack.actions.turns.close(turn).await.unwrap();

        let calls = stack.calls();
        case.refuses(&stack, &conversation, &sealed, "replayed")
            .await;
        assert_eq!(stack.calls(), calls, "nothing more was asked");
    }
    assert_eq!(stack.ciba_requests().await.len(), 1, "one push, not two");
}

#[tokio::test]
async fn missing_capabilities_are_refused() {
    let stack = Stack::start().await;
    for case in [&GROUPS, &RESET] {
        let mut none = case.event(&new_conversation(), "");
        none["sessionAttributes"] = json!({});
        case.refused(&stack, none, "missing").await;
        case.refuses(&stack, &new_conversation(), "  ", "missing")
            .await;
        // The old bare session reference is no capability.
        let admin = stack.sign_in(ADMIN).await;
        let mut old = case.event(&new_conversation(), "");
        old["sessionAttributes"] = json!({ "custodian_session_ref": admin.session.id });
        case.refused(&stack, old, "missing").await;
    }
    nothing_called(&stack).await;
}

#[tokio::test]
async fn a_capability_sent_from_another_conversation_is_refused() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    for case in [&GROUPS, &RESET] {
        let turn = stack.open_turn(&admin, &new_conversation()).await;
        let sealed = turn.capability().expose();
        case.refuses(&stack, &new_conversation(), sealed, "other-conversation")
            .await;
    }
    nothing_called(&stack).await;
}
