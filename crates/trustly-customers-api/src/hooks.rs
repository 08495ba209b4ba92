//! The generated client's hooks: every request it sends goes through [`Client`]'s
//! `ClientHooks` impl, which applies the client's [`RequestSettings`] to the request and to its
//! response.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{AUTHORIZATION, USER_AGENT};

use crate::Client;
use crate::body_limit;
use crate::settings::RequestSettings;

/// The generator calls these around every operation (`HooksMode::Expected`: without this impl
/// the generated crate does not compile).
impl ClientHooks<RequestSettings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let settings = self.inner();
        let headers = request.headers_mut();
        if let Some(value) = &settings.authorization {
            headers.insert(AUTHORIZATION, value.clone());
        }
        if let Some(value) = &settings.user_agent {
            headers.insert(USER_AGENT, value.clone());
        }
        if let Some(timeout) = settings.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    /// The request sent, and its response as the settings have it read.
    ///
    /// A plain function returning reqwest's future with the settings applied to its output,
    /// rather than an `async fn`: the response then passes through one future instead of two
    /// (an `async fn` would keep the request and then the response in a state of its own).
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> {
        let settings = self.inner();
        let mut sent = self.client().execute(request);
        std::future::poll_fn(move |cx| {
            let result = std::task::ready!(std::pin::Pin::new(&mut sent).poll(cx));
            std::task::Poll::Ready(result.map(|response| received(settings, response, info)))
        })
    }
}

/// A response as `settings` have it read: shown to the observer, and its body limited.
fn received(
    settings: &RequestSettings,
    response: reqwest::Response,
    info: &OperationInfo,
) -> reqwest::Response {
    if let Some(observe) = settings.observer {
        observe(&response, info);
    }
    match settings.max_response_bytes {
        Some(limit) => body_limit::limited(response, limit),
        None => response,
    }
}
