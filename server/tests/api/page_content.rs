//! The page carries what it shows as JSON for the browser to hydrate from:
//! the same content as its HTML, for the signed-in user only, and text in
//! it can never end the element that holds it.

use serde_json::{Value, json};
use test_support::users::ADMIN_SUB;

use crate::helpers::{ADMIN, GROUPS_QUESTION, ask, browser, spawn_app};

/// The text of the page's data element, and that text read as JSON.
fn page_data(page: &str) -> (String, Value) {
    let start = page
        .find("id=\"page-data\"")
        .expect("the page carries its data");
    let open_end = start + page[start..].find('>').unwrap() + 1;
    let close = open_end + page[open_end..].find("</script>").unwrap();
    let text = page[open_end..close].to_owned();
    let value = serde_json::from_str(&text).expect("the page data is JSON");
    (text, value)
}

#[tokio::test]
async fn the_signed_in_page_carries_its_content_and_markup_cannot_end_it() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let id = ask(&app, &client, None, GROUPS_QUESTION)
        .await
        .conversation_id;
    let title = "</script><script>alert(1)</script><!--";
    let store = app.store().await;
    assert!(
        store
            .rename_conversation(ADMIN_SUB, &id, title)
            .await
            .unwrap()
    );

    let page = app.page(&client, &format!("/c/{id}")).await;
    let (text, data) = page_data(&page);
    assert!(!text.contains('<'), "{text}");
    let shown = &data["Ok"];
    assert_eq!(shown["viewer"]["email"], "admin@example.com");
    assert_eq!(shown["conversations"]["conversations"][0]["title"], title);
    assert_eq!(shown["conversation"]["id"], id.as_str());
    assert_eq!(shown["conversation"]["title"], title);
    assert!(
        !page.contains("<script>alert(1)"),
        "the title is text everywhere on the page"
    );
}

#[tokio::test]
async fn signed_out_and_missing_pages_say_so_in_their_data() {
    let app = spawn_app().await;
    let page = app.page(&browser(), "/").await;
    assert_eq!(page_data(&page).1, json!({ "Ok": null }));

    let client = app.sign_in(ADMIN).await;
    let missing = client.get(app.url("/c/no-such-id")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let page = missing.text().await.unwrap();
    assert_eq!(page_data(&page).1, json!({ "Err": "NotFound" }));
}
