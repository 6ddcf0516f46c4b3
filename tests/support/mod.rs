//! In-memory capabilities for driving providers in tests: a map of
//! variables, a map of files, a scripted transport and a fixed clock.
#![allow(dead_code)]
// The crate's error is large by design (held inline, no alloc).
#![allow(clippy::result_large_err)]

pub mod loopback;

use std::collections::HashMap;
use std::string::String;
use std::vec::Vec;

use tencentcloud_credential::io::{
    Env, EnvError, FileError, FileRef, FileRequest, FileSource, HttpRequest, HttpResponse,
    Transport, TransportError,
};
use tencentcloud_credential::{resolve, Clock, Credential, Error, Provider};

/// Environment variables from a map; a value of `None` reads as not unicode.
#[derive(Default)]
pub struct MapEnv {
    pub vars: HashMap<String, Option<String>>,
    pub asked: Vec<String>,
}

impl MapEnv {
    pub fn new(vars: &[(&str, &str)]) -> Self {
        let vars = vars
            .iter()
            .map(|(k, v)| (k.to_string(), Some(v.to_string())))
            .collect();
        Self {
            vars,
            asked: Vec::new(),
        }
    }

    pub fn not_unicode(mut self, name: &str) -> Self {
        self.vars.insert(name.to_string(), None);
        self
    }
}

impl Env for MapEnv {
    fn var(&mut self, name: &str) -> Result<Option<&str>, EnvError> {
        self.asked.push(name.to_string());
        match self.vars.get(name) {
            None => Ok(None),
            Some(None) => Err(EnvError::NotUnicode),
            Some(Some(v)) => Ok(Some(v.as_str())),
        }
    }
}

/// Files from a map keyed by path; `~/x` keys stand for home-relative files.
#[derive(Default)]
pub struct MapFiles {
    pub files: HashMap<String, Result<Vec<u8>, FileError>>,
    pub asked: Vec<String>,
    pub home_known: bool,
}

impl MapFiles {
    pub fn new(files: &[(&str, &[u8])]) -> Self {
        let files = files
            .iter()
            .map(|(k, v)| (k.to_string(), Ok(v.to_vec())))
            .collect();
        Self {
            files,
            asked: Vec::new(),
            home_known: true,
        }
    }

    pub fn failing(mut self, path: &str, error: FileError) -> Self {
        self.files.insert(path.to_string(), Err(error));
        self
    }
}

impl FileSource for MapFiles {
    fn read(&mut self, request: &FileRequest<'_>) -> Result<&[u8], FileError> {
        let key = match request.file {
            FileRef::Path(p) => p.to_string(),
            FileRef::Home(_) if !self.home_known => return Err(FileError::NoHome),
            FileRef::Home(p) => format!("~/{p}"),
        };
        self.asked.push(key.clone());
        match self.files.get(&key) {
            None => Err(FileError::NotFound),
            Some(Err(e)) => Err(*e),
            Some(Ok(bytes)) => Ok(bytes.as_slice()),
        }
    }
}

/// A request as the scripted transport saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub connect_timeout_ms: u32,
    pub total_timeout_ms: u32,
    pub allow_proxy: bool,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers HTTP requests from a script, in order, recording what was sent.
#[derive(Default)]
pub struct ScriptedTransport {
    pub replies: std::collections::VecDeque<Result<(u16, Vec<u8>), TransportError>>,
    pub seen: Vec<Seen>,
    current: Vec<u8>,
}

impl ScriptedTransport {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn reply(mut self, status: u16, body: impl AsRef<[u8]>) -> Self {
        self.replies.push_back(Ok((status, body.as_ref().to_vec())));
        self
    }

    pub fn fail(mut self, error: TransportError) -> Self {
        self.replies.push_back(Err(error));
        self
    }
}

impl Transport for ScriptedTransport {
    fn exchange(&mut self, request: &HttpRequest<'_>) -> Result<HttpResponse<'_>, TransportError> {
        self.seen.push(Seen {
            method: request.method.as_str(),
            url: request.url.to_string(),
            headers: request
                .headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: request.body.to_vec(),
            connect_timeout_ms: request.connect_timeout_ms,
            total_timeout_ms: request.total_timeout_ms,
            allow_proxy: request.allow_proxy,
        });
        match self.replies.pop_front() {
            None => Err(TransportError::Refused),
            Some(Err(e)) => Err(e),
            Some(Ok((status, body))) => {
                self.current = body;
                Ok(HttpResponse {
                    status,
                    body: &self.current,
                })
            }
        }
    }
}

/// A clock that always reads the same second.
#[derive(Clone, Copy)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now(&self) -> u64 {
        self.0
    }
}

/// Everything a provider may ask for, in memory.
pub struct World {
    pub env: MapEnv,
    pub files: MapFiles,
    pub http: ScriptedTransport,
    pub clock: FixedClock,
}

impl World {
    pub fn new(vars: &[(&str, &str)], files: &[(&str, &[u8])]) -> Self {
        Self {
            env: MapEnv::new(vars),
            files: MapFiles::new(files),
            http: ScriptedTransport::new(),
            clock: FixedClock(1_700_000_000),
        }
    }

    pub fn resolve(
        &mut self,
        provider: &mut (impl Provider + ?Sized),
    ) -> Result<Credential, Error> {
        resolve(
            provider,
            &mut self.env,
            &mut self.files,
            &mut self.http,
            &self.clock,
        )
    }
}
