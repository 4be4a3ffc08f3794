//! `GET /fga/admin` and its forms, `POST /fga/admin/add` and
//! `POST /fga/admin/delete`, which redirect back to the page.

use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Fga;
use super::admin_page::AdminPage;
use super::tuples::{Conflicts, WriteError};
use super::validate::TupleKey;
use crate::web::html::html;
use crate::web::same_origin::is_same_origin;

#[derive(Deserialize)]
pub struct PageParams {
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct TupleForm {
    user: String,
    relation: String,
    object: String,
}

pub async fn page(
    State(fga): State<Arc<Fga>>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> Response {
    let status = match params.ok().and_then(|Query(p)| p.done).as_deref() {
        Some("added") => Some("Tuple added."),
        Some("deleted") => Some("Tuple deleted."),
        _ => None,
    };
    render(&fga, StatusCode::OK, status, None, ["", "", ""])
}

pub async fn add(
    State(fga): State<Arc<Fga>>,
    headers: HeaderMap,
    form: Result<Form<TupleForm>, FormRejection>,
) -> Response {
    change(&fga, &headers, form, Change::Add)
}

pub async fn delete(
    State(fga): State<Arc<Fga>>,
    headers: HeaderMap,
    form: Result<Form<TupleForm>, FormRejection>,
) -> Response {
    change(&fga, &headers, form, Change::Delete)
}

#[derive(Clone, Copy)]
enum Change {
    Add,
    Delete,
}

fn change(
    fga: &Fga,
    headers: &HeaderMap,
    form: Result<Form<TupleForm>, FormRejection>,
    change: Change,
) -> Response {
    if !is_same_origin(headers) {
        tracing::info!("cross-site FGA admin form refused");
        return render(
            fga,
            StatusCode::FORBIDDEN,
            None,
            Some("This form may only be sent from the sandbox's own page."),
            ["", "", ""],
        );
    }
    let Ok(Form(form)) = form else {
        return render(
            fga,
            StatusCode::BAD_REQUEST,
            None,
            Some("Fill in user, relation and object."),
            ["", "", ""],
        );
    };
    let key = TupleKey::new(form.user.trim(), form.relation.trim(), form.object.trim());
    let (writes, deletes, done) = match change {
        Change::Add => (std::slice::from_ref(&key), &[][..], "added"),
        Change::Delete => (&[][..], std::slice::from_ref(&key), "deleted"),
    };
    match fga
        .tuples
        .write(&fga.model, writes, deletes, Conflicts::default())
    {
        Ok(()) => {
            tracing::info!(
                user = key.user,
                relation = key.relation,
                object = key.object,
                done,
                "FGA tuple changed from the admin page"
            );
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, format!("/fga/admin?done={done}"))],
            )
                .into_response()
        }
        Err(WriteError::Invalid(message) | WriteError::Conflict(message)) => {
            let draft = match change {
                Change::Add => [key.user.as_str(), &key.relation, &key.object],
                Change::Delete => ["", "", ""],
            };
            render(fga, StatusCode::BAD_REQUEST, None, Some(&message), draft)
        }
    }
}

fn render(
    fga: &Fga,
    status: StatusCode,
    done: Option<&str>,
    error: Option<&str>,
    draft: [&str; 3],
) -> Response {
    let tuples = fga.tuples.all();
    let page = AdminPage {
        tuples: &tuples,
        status: done,
        error,
        draft,
    };
    html(status, page.render())
}
