//! The drivers: thin loops that run any provider to its outcome, blocking or async.

use crate::async_io::{AsyncClock, AsyncEnv, AsyncFileSource, AsyncTransport};
use crate::credential::Credential;
use crate::error::Error;
use crate::io::{
    Clock, Env, EnvError, FileError, FileSource, HttpResponse, Transport, TransportError,
};
use crate::provider::{Provider, Step};

/// Runs `provider` to its outcome, answering each step with the given
/// capabilities. All behaviour lives in the provider; this only carries
/// questions and answers.
pub fn resolve<P: Provider + ?Sized>(
    provider: &mut P,
    env: &mut impl Env,
    files: &mut impl FileSource,
    transport: &mut impl Transport,
    clock: &impl Clock,
) -> Result<Credential, Error> {
    loop {
        let answer = match provider.poll(clock.now()) {
            Step::Env(name) => Answer::Env(env.var(name)),
            Step::File(request) => Answer::File(files.read(&request)),
            Step::Http(request) => Answer::Http(transport.exchange(&request)),
            Step::Sleep(millis) => Answer::Slept(millis),
            Step::Done => Answer::Done,
        };
        match answer {
            Answer::Done => return provider.finish(),
            Answer::Slept(millis) => {
                clock.sleep(millis);
                provider.handle_slept();
            }
            Answer::Env(value) => provider.handle_env(value),
            Answer::File(result) => provider.handle_file(result),
            Answer::Http(result) => provider.handle_http(result),
        }
    }
}

/// Runs `provider` to its outcome with async capabilities: the twin of
/// [`resolve`], for async HTTP stacks. The same providers, the same steps.
pub async fn resolve_async<P: Provider + ?Sized>(
    provider: &mut P,
    env: &mut impl AsyncEnv,
    files: &mut impl AsyncFileSource,
    transport: &mut impl AsyncTransport,
    clock: &impl AsyncClock,
) -> Result<Credential, Error> {
    loop {
        let answer = match provider.poll(clock.now()) {
            Step::Env(name) => Answer::Env(env.var(name).await),
            Step::File(request) => Answer::File(files.read(&request).await),
            Step::Http(request) => Answer::Http(transport.exchange(&request).await),
            Step::Sleep(millis) => Answer::Slept(millis),
            Step::Done => Answer::Done,
        };
        match answer {
            Answer::Done => return provider.finish(),
            Answer::Slept(millis) => {
                clock.sleep(millis).await;
                provider.handle_slept();
            }
            Answer::Env(value) => provider.handle_env(value),
            Answer::File(result) => provider.handle_file(result),
            Answer::Http(result) => provider.handle_http(result),
        }
    }
}

/// An answer, held apart from the step that asked for it.
enum Answer<'a> {
    Env(Result<Option<&'a str>, EnvError>),
    File(Result<&'a [u8], FileError>),
    Http(Result<HttpResponse<'a>, TransportError>),
    Slept(u32),
    Done,
}
