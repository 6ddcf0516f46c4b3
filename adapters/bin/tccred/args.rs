//! The command line, as clap reads it.

use std::path::PathBuf;
use std::string::String;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Finds Tencent Cloud credentials the way the SDKs do, and signs API requests with them.
///
/// Credentials come from the provider named by --provider (default: the chain of
/// environment, profile file, TKE pod identity and CVM instance role). Secrets are
/// printed only by `export`, which exists to hand them to other tools.
#[derive(Debug, Parser)]
#[command(name = "tccred", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Shows which provider answers and what it found, without the secrets.
    ///
    /// Prints the provider, the masked secret id, whether a token is present and the
    /// expiry. With -v, prints to stderr every provider tried and why it passed.
    Resolve {
        #[command(flatten)]
        source: SourceArgs,
        /// Print each provider tried, and why it was passed over, to stderr.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Prints the full credential for another tool (this does print the secrets).
    Export {
        #[command(flatten)]
        source: SourceArgs,
        /// `json`: {"SecretId", "SecretKey", "Token", "ExpiredTime", "Provider"};
        /// `env`: shell `export` lines.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
    },
    /// Signs an API 3.0 request with TC3-HMAC-SHA256 and prints its headers.
    ///
    /// Example, Tencent's published example (signature 72e494ea...5168):
    /// TENCENTCLOUD_SECRET_ID=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE
    /// TENCENTCLOUD_SECRET_KEY=Gu5t9xGARNpq86cd98joQYCN3EXAMPLE
    /// tccred sign --service cvm --action DescribeInstances --version 2017-03-12
    /// --region ap-guangzhou --timestamp 1551113065
    /// --content-type 'application/json; charset=utf-8'
    /// --payload '{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}'
    Sign(SignArgs),
}

/// Which provider to ask, and its settings.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Where the credential comes from.
    #[arg(long, value_enum, default_value_t = ProviderName::Chain)]
    pub provider: ProviderName,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderName {
    /// Environment, then the profile file.
    Chain,
    /// TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN.
    Env,
    /// The credentials file (TENCENTCLOUD_CREDENTIALS_FILE, ~/.tencentcloud/credentials,
    /// /etc/tencentcloud/credentials), profile TENCENTCLOUD_PROFILE or `default`.
    Profile,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Env,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SignFormat {
    /// `Name: value` lines.
    Headers,
    /// One JSON object of header names to values, in send order.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum HttpMethod {
    Post,
    Get,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The service, e.g. `cvm` (signed into the credential scope).
    #[arg(long)]
    pub service: String,
    /// The action, e.g. `DescribeInstances` (first letter upper-cased).
    #[arg(long)]
    pub action: String,
    /// The API version, e.g. `2017-03-12`.
    #[arg(long)]
    pub version: String,
    /// The region; omitted from the headers when not given.
    #[arg(long, default_value = "")]
    pub region: String,
    /// The endpoint host [default: SERVICE.tencentcloudapi.com].
    #[arg(long)]
    pub host: Option<String>,
    /// The request time, unix seconds [default: now].
    #[arg(long)]
    pub timestamp: Option<u64>,
    /// The HTTP method.
    #[arg(long, value_enum, default_value_t = HttpMethod::Post)]
    pub method: HttpMethod,
    /// The Content-Type [default: application/json for POST,
    /// application/x-www-form-urlencoded for GET].
    #[arg(long)]
    pub content_type: Option<String>,
    /// The query string, already encoded (GET).
    #[arg(long, default_value = "")]
    pub query: String,
    /// The request body [default: `{}` for POST, empty for GET].
    #[arg(long, conflicts_with = "payload_file")]
    pub payload: Option<String>,
    /// Read the request body from this file (hashed as it streams in).
    #[arg(long)]
    pub payload_file: Option<PathBuf>,
    /// Sign `UNSIGNED-PAYLOAD` instead of the body, and say so in X-TC-Content-SHA256.
    #[arg(long)]
    pub unsigned_payload: bool,
    /// X-TC-Language, e.g. `en-US` or `zh-CN`; omitted when not given.
    #[arg(long)]
    pub language: Option<String>,
    /// How to print the headers.
    #[arg(long, value_enum, default_value_t = SignFormat::Headers)]
    pub format: SignFormat,
}
