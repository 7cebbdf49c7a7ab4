//! Challenge parsing, with cases modelled on oras-go's
//! `registry/remote/auth/challenge_test.go` and RFC 7235's examples.

use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};

use super::*;

fn first(header: &str) -> (AuthScheme, BTreeMap<String, String>) {
    let challenge = parse_challenges(header)
        .into_iter()
        .next()
        .expect("at least one challenge");
    (challenge.scheme, challenge.params)
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const REALM: (&str, &str) = ("realm", "https://auth.example.io/token");
const SERVICE: (&str, &str) = ("service", "registry.example.io");
const SCOPE: (&str, &str) = ("scope", "repository:library/hello-world:pull,push");

#[test]
fn empty_header_has_no_challenge() {
    assert!(parse_challenges("").is_empty());
    assert!(parse_challenges("  , ,").is_empty());
}

#[test]
fn schemes_are_case_insensitive() {
    assert_eq!(first("Basic").0, AuthScheme::Basic);
    assert_eq!(first("bASIC realm=x").0, AuthScheme::Basic);
    assert_eq!(first("BEARER").0, AuthScheme::Bearer);
    assert_eq!(first("Basic  ").0, AuthScheme::Basic);
    assert_eq!(first("Bearer  ").1, params(&[]));
    assert_eq!(first("foo bar").0, AuthScheme::Other("foo".into()));
}

#[test]
fn basic_challenge_keeps_its_realm() {
    assert_eq!(
        first(r#"Basic realm="Test Registry""#),
        (AuthScheme::Basic, params(&[("realm", "Test Registry")]))
    );
}

#[test]
fn bearer_challenge_parameters() {
    let header = r#"Bearer realm="https://auth.example.io/token",service="registry.example.io",scope="repository:library/hello-world:pull,push""#;
    assert_eq!(
        first(header),
        (AuthScheme::Bearer, params(&[REALM, SERVICE, SCOPE]))
    );
}

#[test]
fn several_scopes_stay_one_space_separated_value() {
    let header =
        r#"Bearer realm="r",scope="repository:library/alpine:pull,push repository:ubuntu:pull""#;
    assert_eq!(
        first(header).1,
        params(&[
            ("realm", "r"),
            (
                "scope",
                "repository:library/alpine:pull,push repository:ubuntu:pull"
            )
        ])
    );
}

#[test]
fn whitespace_around_equals_and_commas_and_token_values() {
    let header = r#"Bearer realm = "https://auth.example.io/token"   ,service=registry.example.io, scope  ="repository:library/hello-world:pull,push"  "#;
    assert_eq!(first(header).1, params(&[REALM, SERVICE, SCOPE]));
}

#[test]
fn parameter_names_are_case_insensitive() {
    let header = r#"Bearer Realm="https://auth.example.io/token",SERVICE="registry.example.io""#;
    assert_eq!(first(header).1, params(&[REALM, SERVICE]));
}

#[test]
fn malformed_tails_keep_what_came_before() {
    for header in [
        r#"Bearer realm="https://auth.example.io/token",service"#,
        r#"Bearer realm="https://auth.example.io/token",service="#,
        r#"Bearer realm="https://auth.example.io/token",service= "#,
        r#"Bearer realm="https://auth.example.io/token",service="registry"#,
    ] {
        assert_eq!(
            first(header),
            (AuthScheme::Bearer, params(&[REALM])),
            "{header}"
        );
    }
}

#[test]
fn empty_and_escaped_values() {
    assert_eq!(
        first(r#"Bearer realm="r",empty="",service="s""#).1,
        params(&[("realm", "r"), ("empty", ""), ("service", "s")])
    );
    assert_eq!(
        first(r#"Bearer foo="foo\"bar",hello="\"hello world\"",slash="a\\b""#).1,
        params(&[
            ("foo", r#"foo"bar"#),
            ("hello", r#""hello world""#),
            ("slash", r"a\b")
        ])
    );
}

#[test]
fn the_insufficient_scope_error_is_a_parameter() {
    let header = r#"Bearer realm="r",error="insufficient_scope",scope="repository:a:pull,push""#;
    let challenges = parse_challenges(header);
    assert_eq!(challenges[0].param("error"), Some("insufficient_scope"));
    assert_eq!(challenges[0].param("scope"), Some("repository:a:pull,push"));
}

#[test]
fn several_challenges_in_one_header() {
    let header = r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple", Bearer realm="r",service="s""#;
    let challenges = parse_challenges(header);
    let schemes: Vec<_> = challenges.iter().map(|c| c.scheme.clone()).collect();
    assert_eq!(
        schemes,
        [
            AuthScheme::Other("Newauth".into()),
            AuthScheme::Basic,
            AuthScheme::Bearer
        ]
    );
    assert_eq!(challenges[0].param("title"), Some(r#"Login to "apps""#));
    assert_eq!(challenges[0].param("type"), Some("1"));
    assert_eq!(challenges[1].param("realm"), Some("simple"));
    assert_eq!(challenges[2].param("service"), Some("s"));
}

#[test]
fn token68_credentials_do_not_break_the_parser() {
    let challenges = parse_challenges("Negotiate abc==");
    assert_eq!(challenges[0].scheme, AuthScheme::Other("Negotiate".into()));
    let challenges = parse_challenges("Negotiate, Basic realm=x");
    assert_eq!(challenges.len(), 2);
    assert_eq!(challenges[1].param("realm"), Some("x"));
}

#[test]
fn challenges_from_several_headers_and_non_utf8_bytes() {
    let mut headers = HeaderMap::new();
    headers.append(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"a\""),
    );
    headers.append(
        WWW_AUTHENTICATE,
        HeaderValue::from_bytes(b"Bearer realm=\"r\",x=\"\xff\"").expect("opaque bytes"),
    );
    let challenges = challenges_in(&headers);
    assert_eq!(challenges.len(), 2);
    assert_eq!(challenges[1].scheme, AuthScheme::Bearer);
    assert_eq!(challenges[1].param("realm"), Some("r"));
}
