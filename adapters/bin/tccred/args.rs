//! The command line, as clap reads it.

use std::path::PathBuf;
use std::string::String;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Finds Tencent Cloud credentials the way the SDKs do, and signs API requests with them.
///
/// Credentials come from the provider named by --provider (default: the chain of
/// environment, profile file, TKE pod identity and CVM instance role). Secrets are
/// printed only by `export`, which exists to hand them to other tools.
///
/// Exit codes: 0 success, 1 no credential or an API error, 2 usage error.
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
    /// Signs an API 3.0 request, sends it, and prints the response JSON.
    ///
    /// An API error prints its code, message and request id, and exits with 1.
    Call(CallArgs),
    /// Serves a stand-in for the CVM metadata service and STS on a local port.
    ///
    /// Prints the `export` lines that point the SDKs (and tccred) at it. STS checks
    /// TC3 signatures against the --secret pairs; credentials it issues carry a
    /// counter, so each refresh is visible. Runs until killed, or for --seconds.
    Emulate(EmulateArgs),
}

/// Which provider to ask, and its settings.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Where the credential comes from.
    #[arg(long, value_enum, default_value_t = ProviderName::Chain)]
    pub provider: ProviderName,
    /// cvm: the role name (skips asking the metadata service for it).
    #[arg(long, help_heading = "Provider options")]
    pub role_name: Option<String>,
    /// sts, oidc: the role to assume, e.g. qcs::cam::uin/100000000001:roleName/reader.
    #[arg(long, help_heading = "Provider options")]
    pub role_arn: Option<String>,
    /// sts, oidc: the session name [default: tencentcloud-rust-sdk-<unix micros>].
    #[arg(long, help_heading = "Provider options")]
    pub role_session_name: Option<String>,
    /// sts, oidc: how long the credential lasts, in seconds (1 to 43200).
    #[arg(long, default_value_t = 7200, help_heading = "Provider options")]
    pub duration: u64,
    /// oidc: the identity provider registered with CAM.
    #[arg(long, help_heading = "Provider options")]
    pub provider_id: Option<String>,
    /// oidc: a file holding the OIDC token (read and trimmed).
    #[arg(long, help_heading = "Provider options")]
    pub web_identity_token_file: Option<PathBuf>,
    /// oidc: the region sent to STS; sign, call: the request's region.
    #[arg(long, default_value = "", help_heading = "Provider options")]
    pub region: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderName {
    /// Environment, profile file, TKE pod identity, CVM instance role, in that order.
    Chain,
    /// TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN.
    Env,
    /// The credentials file (TENCENTCLOUD_CREDENTIALS_FILE, ~/.tencentcloud/credentials,
    /// /etc/tencentcloud/credentials), profile TENCENTCLOUD_PROFILE or `default`.
    Profile,
    /// TKE pod identity: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE,
    /// TKE_ROLE_ARN.
    Tke,
    /// The CVM instance role, from the metadata service (TENCENTCLOUD_METADATA_ENDPOINT).
    Cvm,
    /// STS AssumeRole with the chain's credential (--role-arn, --role-session-name,
    /// --duration; TENCENTCLOUD_STS_ENDPOINT).
    Sts,
    /// STS AssumeRoleWithWebIdentity (--region, --provider-id, --role-arn,
    /// --web-identity-token-file).
    Oidc,
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

#[derive(Debug, Args)]
pub struct CallArgs {
    /// The service, e.g. `sts`.
    pub service: String,
    /// The action, e.g. `GetCallerIdentity`.
    pub action: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// The API version, e.g. `2018-08-13`.
    #[arg(long)]
    pub version: String,
    /// The JSON body [default: `{}`].
    #[arg(long)]
    pub payload: Option<String>,
    /// The endpoint: a host, or an http:// or https:// URL
    /// [default: https://SERVICE.tencentcloudapi.com/].
    #[arg(long)]
    pub endpoint: Option<String>,
    /// X-TC-Language, e.g. `en-US`.
    #[arg(long)]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct EmulateArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
    /// The role bound to the emulated instance [default: none, so 404].
    #[arg(long)]
    pub role: Option<String>,
    /// Seconds of validity of each credential issued.
    #[arg(long, default_value_t = 3600, allow_negative_numbers = true)]
    pub lifetime: i64,
    /// A long-term ID=KEY pair STS accepts for AssumeRole (repeatable).
    #[arg(long)]
    pub secret: Vec<String>,
    /// Answer every metadata request with this HTTP status.
    #[arg(long)]
    pub metadata_status: Option<u16>,
    /// Answer every STS request with this HTTP status.
    #[arg(long)]
    pub sts_status: Option<u16>,
    /// Answer every STS request with this error, as CODE:MESSAGE.
    #[arg(long)]
    pub sts_error: Option<String>,
    /// Answer every metadata credentials request with the text of this file
    /// (a malformed document, say; invalid UTF-8 is replaced).
    #[arg(long)]
    pub metadata_body: Option<PathBuf>,
    /// Answer every STS request with the text of this file (invalid UTF-8 is replaced).
    #[arg(long)]
    pub sts_body: Option<PathBuf>,
    /// Wait this long before answering each metadata request.
    #[arg(long, default_value_t = 0)]
    pub delay_ms: u64,
    /// Wait this long before answering each STS request.
    #[arg(long, default_value_t = 0)]
    pub sts_delay_ms: u64,
    /// Accept metadata requests and never answer them.
    #[arg(long)]
    pub blackhole: bool,
    /// Accept STS requests and never answer them.
    #[arg(long)]
    pub sts_blackhole: bool,
    /// Stop after this many seconds.
    #[arg(long)]
    pub seconds: Option<u64>,
}
